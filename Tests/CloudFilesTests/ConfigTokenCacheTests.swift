import CFSHTestSupport
import CloudFiles
import Foundation
import Testing

/// The token cache file: where it lives, who may read it, and when an entry is used.
@Suite("Token cache file")
struct ConfigTokenCacheTests {
    private func session(expiresIn seconds: TimeInterval, token: String = "tok-\(UUID().uuidString)") -> AuthSession {
        AuthSession(
            storageURL: URL(string: "http://127.0.0.1:8082/v1/AUTH_p")!, token: token,
            expiresAt: Date().addingTimeInterval(seconds),
            endpoint: AuthEndpoint(region: "RegionOne", interface: "public", serviceName: "swift"))
    }

    @Test("the cache lives in the XDG cache folder, ~/.cache by default")
    func location() {
        #expect(
            TokenCacheFile.standard(environment: ["XDG_CACHE_HOME": "/x/cache", "HOME": "/h"], appName: "cfsh")?.path
                == "/x/cache/cfsh/tokens.json")
        #expect(
            TokenCacheFile.standard(environment: ["HOME": "/h"], appName: "cfsh")?.path == "/h/.cache/cfsh/tokens.json")
        #expect(TokenCacheFile.standard(environment: [:], appName: "cfsh") == nil)
    }

    @Test("the resolver keeps tokens only when the application's variable asks it to")
    func resolverDefault() {
        let environment = ["CFSH_TOKEN_CACHE": "1", "MY_APP_TOKEN_CACHE": "1", "HOME": "/h"]
        func path(_ environment: [String: String], _ appName: String?) -> String? {
            ConnectionResolver(environment: environment, currentDirectory: "/nonexistent", appName: appName).tokenCache?
                .path
        }
        #expect(path(environment, "cfsh") == "/h/.cache/cfsh/tokens.json")
        #expect(path(environment, "my-app") == "/h/.cache/my-app/tokens.json")
        #expect(path(["HOME": "/h"], "cfsh") == nil)
        #expect(path(environment, nil) == nil)
    }

    @Test("a stored session comes back with its endpoint, from a 0600 file in a 0700 folder")
    func roundTripAndMode() throws {
        let dir = try TemporaryFolder()
        let cache = TokenCacheFile(path: dir.path + "/cache/cfsh/tokens.json")
        let stored = session(expiresIn: 3600)
        try cache.store(stored, for: "k1")
        let loaded = try #require(try cache.session(for: "k1"))
        #expect(loaded.token == stored.token)
        #expect(loaded.storageURL == stored.storageURL)
        #expect(loaded.endpoint == stored.endpoint)
        let fileMode = try FileManager.default.attributesOfItem(atPath: cache.path)[.posixPermissions] as? Int
        let folderMode =
            try FileManager.default.attributesOfItem(atPath: dir.path + "/cache/cfsh")[.posixPermissions] as? Int
        #expect(fileMode == 0o600)
        #expect(folderMode == 0o700)
        #expect(try cache.session(for: "other") == nil)
    }

    @Test("an entry is never used after its expiry, nor when it has less than the minimum left")
    func expiry() throws {
        let dir = try TemporaryFolder()
        let cache = TokenCacheFile(path: dir.path + "/tokens.json", minimumRemaining: 60)
        try cache.store(session(expiresIn: 30), for: "soon")
        try cache.store(session(expiresIn: 600), for: "later")
        #expect(try cache.session(for: "soon") == nil)
        #expect(try cache.session(for: "later") != nil)
        #expect(try cache.session(for: "later", now: Date().addingTimeInterval(601)) == nil)
    }

    @Test("a cache file readable by others is ignored")
    func othersCanRead() throws {
        let dir = try TemporaryFolder()
        let cache = TokenCacheFile(path: dir.path + "/tokens.json")
        try cache.store(session(expiresIn: 3600), for: "k")
        #expect(try cache.session(for: "k") != nil)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: cache.path)
        #expect(throws: PrivateFileError.self) { try cache.session(for: "k") }
    }

    @Test("the key depends on auth URL, user, project, region, interface and the secret")
    func keys() {
        var options = ConnectionOptions()
        options.authURL = "http://k/v3"
        options.user = "demo"
        options.password = "one"
        options.projectName = "p"
        let first = options.tokenCacheKey
        #expect(first != nil)
        options.password = "two"
        #expect(options.tokenCacheKey != first, "a different password must not find the first one's token")
        options.password = "one"
        #expect(options.tokenCacheKey == first)
        options.region = "RegionTwo"
        #expect(options.tokenCacheKey != first)
        options.authURL = "http://h/auth/v1.0"
        options.authVersion = .v1
        #expect(options.tokenCacheKey == nil, "v1.0 tokens have no known expiry and are not cached")
    }

    @Test("a cached provider serves the file's token on its first login only, then logs in for real")
    func firstUseOnly() async throws {
        let dir = try TemporaryFolder()
        let cache = TokenCacheFile(path: dir.path + "/tokens.json")
        try cache.store(session(expiresIn: 3600, token: "cached-token"), for: "k")
        let base = CountingAuthTestProvider(
            base: TokenAuthProvider(
                storageURL: URL(string: "http://127.0.0.1:8082/v1/AUTH_p")!, token: "fresh-token",
                expiresAt: Date().addingTimeInterval(7200)))
        let provider = CachedAuthProvider(base, cache: cache, key: "k")
        // Two clients over the same provider: the second login is like a refresh or a
        // re-authentication after a 401, and must not serve the file's token again.
        let first = try await LocalIdentity.withClient(provider) { try await $0.session().token }
        let second = try await LocalIdentity.withClient(provider) { try await $0.session().token }
        #expect(first == "cached-token")
        #expect(second == "fresh-token")
        #expect(await base.record.sessions.count == 1)
        #expect(try cache.session(for: "k")?.token == "fresh-token")
    }
}
