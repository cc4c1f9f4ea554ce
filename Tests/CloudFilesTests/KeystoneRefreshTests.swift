import CFSHTestSupport
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
        @Test(
            "an upload of many files lasting two and a half token lifetimes finishes, each token refreshed before it expires"
        )
        func refreshAcrossLongUpload() async throws {
            _ = try await LocalIdentity.requireKeystone()
            let provider = CountingAuthTestProvider(
                base: KeystoneV3AuthProvider.keystoneV3(
                    authURL: LocalIdentity.shortKeystoneURL, method: LocalIdentity.demoByName,
                    scope: LocalIdentity.demoScope, region: "RegionOne"))
            let (logger, logs) = AuthTestLogHandler.logger()
            let container = LocalIdentity.uniqueContainer("ks-refresh")
            let folder = try TemporaryFolder()
            try folder.write("part.bin", String(repeating: "cfsh", count: 16 * 1024))
            let started = Date()
            var uploaded: [String] = []
            try await LocalIdentity.withClient(provider, logger: logger) { client in
                let lifetime = try #require(try await client.session().expiresAt).timeIntervalSinceNow
                let nominal = LocalIdentity.shortTokenSeconds
                #expect(
                    lifetime > 2 && lifetime <= nominal + 0.5,
                    "the :5001 Keystone should hand out \(nominal)-second tokens")
                try await client.createContainer(container)
                // Like `put -r` over a folder: one PUT per file, for longer than any token lives.
                // The proxy refuses a token the moment it expires, cached or not (keystonemiddleware
                // checks expires_at on every request), so a late refresh would show as a 401.
                while Date().timeIntervalSince(started) < 2.5 * nominal {
                    let name = "part-\(String(format: "%04d", uploaded.count))"
                    try await client.uploadObject(name, in: container, fromFile: folder.path + "/part.bin")
                    uploaded.append(name)
                }
                // Listings are eventually consistent: allow the container updater a few seconds.
                var listed: [String] = []
                for _ in 0..<20 {
                    listed = []
                    for try await entry in client.listObjects(in: container) { listed.append(entry.name) }
                    if listed == uploaded { break }
                    try await Task.sleep(for: .milliseconds(500))
                }
                #expect(listed == uploaded)
                for name in uploaded { try await client.deleteObject(name, in: container) }
                try await client.deleteContainer(container)
            }
            #expect(uploaded.count > 5)
            let starts = await provider.record.starts
            let sessions = await provider.record.sessions
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
            let provider = CountingAuthTestProvider(
                base: KeystoneV3AuthProvider.keystoneV3(
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
