import CFSHTestSupport
import CloudFiles
import Foundation
import Testing

extension KeystoneIntegration {
    /// A secret given to `connect` must not reach debug logs or any error message.
    @Suite("Secrets stay out of logs and errors", .timeLimit(.minutes(2)))
    struct KeystoneSecretTests {
        @Test("a password given as an option is absent from debug logs and from the errors of every failing step")
        func passwordNeverShown() async throws {
            _ = try await LocalIdentity.requireKeystone()
            let (logger, logs) = AuthTestLogHandler.logger()
            var texts: [String] = []
            var tokens: [String] = []

            // A working login, with requests logged at debug level.
            let options = LocalIdentity.demoPasswordOptions
            let resolver = ConnectionResolver(environment: [:], currentDirectory: "/nonexistent")
            try await LocalIdentity.withClient(AnyAuthProvider(try resolver.provider(for: options)), logger: logger) {
                client in
                tokens.append(try await client.session().token)
                _ = try await client.accountInfo()
                texts.append("\(try await client.session())")
            }

            // Each way a connect can fail after the secret was given.
            let changes: [(inout ConnectionOptions) -> Void] = [
                { $0.password = "wr0ng-\(UUID().uuidString)" },
                { $0.region = nil },
                { $0.region = "Nowhere" },
                { $0.projectName = "no-such-project" },
                { $0.authURL = "http://127.0.0.1:5000/nothing-here" },
                { $0.authURL = "http://127.0.0.1:9/v3" },
                {
                    $0.authURL = LocalIdentity.rackspaceURL.absoluteString
                    $0.key = "rax-\(UUID().uuidString)"
                },
            ]
            let failing = changes.map { change in
                var changed = options
                change(&changed)
                return changed
            }

            // No retries, so that the unreachable port fails at once.
            let once = CloudFilesClient.Configuration(retryPolicy: .none, connectTimeout: .seconds(2))
            for attempt in failing {
                let provider = AnyAuthProvider(try resolver.provider(for: attempt))
                try await LocalIdentity.withClient(provider, logger: logger, configuration: once) { client in
                    do {
                        _ = try await client.accountInfo()
                        Issue.record("expected \(attempt) to fail")
                    } catch {
                        texts.append("\(error)")
                        texts.append(String(reflecting: error))
                        texts.append(error.localizedDescription)
                    }
                }
            }
            let secrets = Set(([options] + failing).flatMap(\.secrets) + tokens)
            #expect(secrets.count == 4, "the password, the wrong password, the API key and the token")
            #expect(texts.count == 1 + 3 * failing.count)
            #expect(
                logs.all.contains { $0.contains("POST http://127.0.0.1:5000/v3/auth/tokens") },
                "the identity requests should be logged at debug level")
            for text in texts + logs.all {
                for secret in secrets {
                    #expect(!text.contains(secret), "a secret appeared in: \(text)")
                }
            }
        }
    }
}
