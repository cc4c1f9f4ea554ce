import CloudFiles
import Foundation
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

extension KeystoneIntegration {
    /// Proactive refresh against the Keystone twin on :5001, whose tokens live 10 seconds.
    @Suite("Keystone tokens that expire during a long job", .timeLimit(.minutes(3)))
    struct KeystoneRefreshTests {
        @Test("a stream of writes lasting two and a half token lifetimes finishes, refreshing each token before it expires")
        func refreshAcrossLongJob() async throws {
            _ = try await LocalIdentity.requireKeystone()
            let provider = CountingAuthTestProvider(base: KeystoneV3AuthProvider.keystoneV3(
                authURL: LocalIdentity.shortKeystoneURL, method: LocalIdentity.demoByName,
                scope: LocalIdentity.demoScope, region: "RegionOne"))
            let (logger, logs) = AuthTestLogHandler.logger()
            let container = LocalIdentity.uniqueContainer("ks-refresh")
            let started = Date()
            var writes = 0
            try await LocalIdentity.withClient(provider, logger: logger) { client in
                let lifetime = try #require(try await client.session().expiresAt).timeIntervalSinceNow
                let nominal = LocalIdentity.shortTokenSeconds
                #expect(lifetime > 2 && lifetime <= nominal + 0.5, "the :5001 Keystone should hand out \(nominal)-second tokens")
                try await client.createContainer(container)
                // The proxy refuses a token the moment it expires, cached or not (keystonemiddleware
                // checks expires_at on every request), so a late refresh would show as a 401.
                while Date().timeIntervalSince(started) < 2.5 * LocalIdentity.shortTokenSeconds {
                    try await client.updateContainerMetadata(container, set: ["step": String(writes)])
                    writes += 1
                }
                let info = try await client.containerInfo(container)
                #expect(info.metadata["step"] == String(writes - 1))
                try await client.deleteContainer(container)
            }
            let starts = await provider.record.starts
            let sessions = await provider.record.sessions
            #expect(writes > 5)
            #expect(sessions.count >= 3, "2.5 token lifetimes of work need at least 3 tokens")
            // Proactive: every new login began while the previous token was still valid.
            for (index, start) in starts.enumerated().dropFirst() where index - 1 < sessions.count {
                let previousExpiry = try #require(sessions[index - 1].expiresAt)
                #expect(start < previousExpiry, "login \(index) started after the token it replaced had expired")
            }
            let refused = logs.all.filter { $0.contains("→ 401") }
            #expect(refused.isEmpty, "requests were refused with 401: \(refused)")
        }

        @Test("a token refused by Keystone leads to exactly one new login, and the request succeeds")
        func reauthenticatesOnceAfterRevocation() async throws {
            _ = try await LocalIdentity.requireKeystone()
            let provider = CountingAuthTestProvider(base: KeystoneV3AuthProvider.keystoneV3(
                authURL: LocalIdentity.keystoneURL, method: LocalIdentity.demoByName,
                scope: LocalIdentity.demoScope, region: "RegionOne", interface: .internal))
            // The internal proxy asks Keystone about every token, so the revocation counts at once.
            try await LocalIdentity.withClient(provider) { client in
                let first = try await client.session()
                try await revoke(first.token)
                _ = try await client.accountInfo()
                let second = try await client.session()
                #expect(second.token != first.token)
            }
            #expect(await provider.record.sessions.count == 2)
        }

        /// Revokes a token with `DELETE /v3/auth/tokens` (a user may revoke their own).
        private func revoke(_ token: String) async throws {
            var request = URLRequest(url: LocalIdentity.keystoneURL.appendingPathComponent("auth/tokens"))
            request.httpMethod = "DELETE"
            request.setValue(token, forHTTPHeaderField: "X-Auth-Token")
            request.setValue(token, forHTTPHeaderField: "X-Subject-Token")
            let (_, response) = try await URLSession.shared.data(for: request)
            #expect((response as? HTTPURLResponse)?.statusCode == 204)
        }
    }
}
