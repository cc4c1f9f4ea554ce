import CFSHTestSupport
import CloudFiles
import Foundation
import Testing

extension KeystoneIntegration {
    /// With the token cache on, a cached token is only ever handed to the same secret: a
    /// wrong password, key or application-credential secret goes to the identity service
    /// and fails there.
    @Suite("Token cache: a different secret never gets the cached token", .timeLimit(.minutes(2)))
    struct TokenCacheSecretTests {
        /// One way to log in, with its secret right and wrong.
        struct Login: Sendable, CustomTestStringConvertible {
            var name: String
            var options: @Sendable (LocalIdentity.Ids) -> ConnectionOptions
            var wrong: @Sendable (inout ConnectionOptions, String) -> Void
            /// v1.0 tokens are never cached; the case checks that stays safe.
            var cached = true
            var testDescription: String { name }
        }

        /// Options for the local Keystone in RegionOne, with `settings` applied.
        static func keystone(_ settings: (inout ConnectionOptions) -> Void) -> ConnectionOptions {
            var options = options(LocalIdentity.keystoneURL.absoluteString, settings)
            options.region = "RegionOne"
            return options
        }

        /// Options for `authURL`, with `settings` applied.
        static func options(_ authURL: String, _ settings: (inout ConnectionOptions) -> Void) -> ConnectionOptions {
            var options = ConnectionOptions()
            options.authURL = authURL
            settings(&options)
            return options
        }

        static let logins: [Login] = [
            Login(
                name: "Keystone password", options: { _ in LocalIdentity.demoPasswordOptions },
                wrong: { $0.password = $1 }),
            Login(
                name: "Keystone application credential by id",
                options: { ids in
                    keystone {
                        $0.applicationCredentialID = ids.applicationCredential
                        $0.applicationCredentialSecret = LocalIdentity.appCredentialSecret
                    }
                }, wrong: { $0.applicationCredentialSecret = $1 }),
            Login(
                name: "Keystone application credential by name",
                options: { _ in
                    keystone {
                        $0.user = LocalIdentity.demoUser
                        $0.applicationCredentialName = LocalIdentity.appCredentialName
                        $0.applicationCredentialSecret = LocalIdentity.appCredentialSecret
                    }
                }, wrong: { $0.applicationCredentialSecret = $1 }),
            Login(
                name: "Rackspace API key",
                options: { _ in
                    options(LocalIdentity.rackspaceURL.absoluteString) {
                        $0.user = LocalIdentity.rackspaceUser
                        $0.key = LocalIdentity.rackspaceAPIKey
                    }
                }, wrong: { $0.key = $1 }),
            Login(
                name: "Rackspace password",
                options: { _ in
                    options(LocalIdentity.rackspaceURL.absoluteString) {
                        $0.user = LocalIdentity.rackspaceUser
                        $0.password = LocalIdentity.rackspacePassword
                    }
                }, wrong: { $0.password = $1 }),
            Login(
                name: "v1.0 tempauth key",
                options: { _ in
                    options(TestServer.authURL.absoluteString) {
                        $0.user = LocalServer.user
                        $0.key = LocalServer.key
                    }
                }, wrong: { $0.key = $1 }, cached: false),
        ]

        @Test("the right secret fills the cache; a wrong one is refused by the identity service", arguments: logins)
        func wrongSecretIsAsked(login: Login) async throws {
            let ids = try await LocalIdentity.requireKeystone()
            try await LocalIdentity.requireRackspace()
            let folder = try TemporaryFolder()
            let cache = TokenCacheFile(path: folder.path + "/cfsh/tokens.json")
            let resolver = ConnectionResolver(environment: [:], currentDirectory: "/nonexistent", tokenCache: cache)
            let right = login.options(ids)
            let once = CloudFilesClient.Configuration(retryPolicy: .none)

            try await LocalIdentity.withClient(AnyAuthProvider(try resolver.provider(for: right)), configuration: once)
            {
                _ = try await $0.accountInfo()
            }
            #expect(FileManager.default.fileExists(atPath: cache.path) == login.cached)

            var wrong = right
            let secret = "wr0ng-\(UUID().uuidString)"
            login.wrong(&wrong, secret)
            let error = await #expect(throws: CloudFilesError.self, "a wrong secret must not connect") {
                try await LocalIdentity.withClient(
                    AnyAuthProvider(try resolver.provider(for: wrong)), configuration: once
                ) {
                    _ = try await $0.accountInfo()
                }
            }
            #expect(error == .authenticationFailed || error == .unauthorized)
            #expect(error?.status == 401)
            if let contents = FileManager.default.contents(atPath: cache.path) {
                let text = String(decoding: contents, as: UTF8.self)
                for secret in [secret, right.password, right.key, right.applicationCredentialSecret].compactMap(\.self)
                {
                    #expect(!text.contains(secret), "the cache file holds a secret in clear")
                }
            }

            // The right secret still finds its entry afterwards.
            try await LocalIdentity.withClient(AnyAuthProvider(try resolver.provider(for: right)), configuration: once)
            {
                _ = try await $0.accountInfo()
            }
        }
    }
}
