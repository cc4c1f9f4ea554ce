import AsyncHTTPClient
import CFSHTestSupport
import CloudFiles
import Foundation
import Logging
import Synchronization
import Testing

/// Wraps a provider to count authentications, and can hand out a bad token first (a
/// revoked one, as far as the server can tell), hide the expiry or claim a short one.
final class CountingProvider: AuthProvider {
    let base: any AuthProvider
    let badTokensFirst: Int
    let hideExpiry: Bool
    let lifetime: TimeInterval?
    private let counter = Mutex(0)

    init(_ base: any AuthProvider, badTokensFirst: Int = 0, hideExpiry: Bool = false, lifetime: TimeInterval? = nil) {
        self.base = base
        self.badTokensFirst = badTokensFirst
        self.hideExpiry = hideExpiry
        self.lifetime = lifetime
    }

    var count: Int { counter.withLock { $0 } }

    func authenticate(using context: AuthContext) async throws -> AuthSession {
        let number = counter.withLock { value in
            value += 1
            return value
        }
        var session = try await base.authenticate(using: context)
        if number <= badTokensFirst {
            session.token = "AUTH_tk" + UUID().uuidString.replacingOccurrences(of: "-", with: "")
        }
        if hideExpiry { session.expiresAt = nil }
        if let lifetime { session.expiresAt = Date(timeIntervalSinceNow: lifetime) }
        return session
    }
}

@Suite("Authentication, the token cache and re-authentication", .timeLimit(.minutes(5)))
struct AuthTests {
    @Test("v1.0 auth returns the storage URL and the tempauth expiry")
    func v1() async throws {
        try await TestServer.withClient { client in
            let session = try await client.session()
            #expect(session.storageURL.absoluteString.hasSuffix("/v1/AUTH_test"))
            #expect(!session.token.isEmpty)
            let expiry = try #require(session.expiresAt)
            #expect(expiry > Date())
            #expect(!session.description.contains(session.token))
        }
    }

    @Test("a wrong key fails with authenticationFailed, and the key is nowhere in the error")
    func wrongKey() async throws {
        try await TestServer.requireServer()
        let secret = "not-the-key-\(UUID().uuidString)"
        let client = CloudFilesClient(auth: .v1(authURL: TestServer.authURL, user: "test:tester", key: secret))
        defer { Task { try await client.shutdown() } }
        do {
            _ = try await client.accountInfo()
            Issue.record("no error")
        } catch let error as CloudFilesError {
            #expect(error == .authenticationFailed)
            #expect(error.status == 401)
            #expect(!error.description.contains(secret))
            #expect(error.description.contains("test:tester"))
        }
    }

    @Test("an auth URL that answers 2xx without a token is an authentication failure")
    func notAnAuthURL() async throws {
        try await TestServer.requireServer()
        // /info answers 200 with JSON and no X-Storage-Url.
        let client = CloudFilesClient(
            auth: .v1(authURL: URL(string: "http://127.0.0.1:8080/info")!, user: "u", key: "k"))
        defer { Task { try await client.shutdown() } }
        await #expect(throws: CloudFilesError.authenticationFailed) { try await client.session() }
    }

    @Test("a pre-authenticated token works without any auth request")
    func preauthenticated() async throws {
        let session = try await TestServer.withClient { try await $0.session() }
        let client = CloudFilesClient(auth: .token(storageURL: session.storageURL, token: session.token))
        defer { Task { try await client.shutdown() } }
        let info = try await client.accountInfo()
        #expect(info.containerCount >= 0)
    }

    @Test("a refused pre-authenticated token is a 401 error after one retry")
    func badToken() async throws {
        let session = try await TestServer.withClient { try await $0.session() }
        let provider = CountingProvider(TokenAuthProvider(storageURL: session.storageURL, token: "AUTH_tkbogus"))
        let client = CloudFilesClient(auth: provider)
        defer { Task { try await client.shutdown() } }
        do {
            _ = try await client.accountInfo()
            Issue.record("no error")
        } catch let error as CloudFilesError {
            #expect(error == .unauthorized)
            #expect(error.status == 401)
            #expect(error.method == "HEAD")
            #expect(error.transactionID != nil)
        }
        #expect(provider.count == 2)
    }

    @Test("a revoked token: 20 concurrent requests get 401 and cause exactly one re-authentication")
    func revokedTokenConcurrent() async throws {
        try await TestServer.requireServer()
        let provider = CountingProvider(
            V1AuthProvider(authURL: TestServer.authURL, user: LocalServer.user, key: LocalServer.key), badTokensFirst: 1
        )
        let client = CloudFilesClient(auth: provider)
        defer { Task { try await client.shutdown() } }
        // The first (bad) token is cached before the requests start.
        _ = try await client.session()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<20 {
                group.addTask { _ = try await client.accountInfo() }
            }
            try await group.waitForAll()
        }
        #expect(provider.count == 2)
    }

    @Test("a token that really expires (4 s tempauth token_life on :8081) is renewed after a 401")
    func realExpiry() async throws {
        // test:tester3 is used only here on the short-life proxy; it has no rights in
        // AUTH_test, so its requests answer 403 while the token is valid and 401 once it
        // is not. Read rights on one container come from an ACL.
        try await TestServer.withClient { admin in
            try await TestServer.withContainer(admin, prefix: "cf-expiry") { container in
                try await admin.updateContainerMetadata(
                    container, headers: ["X-Container-Read": LocalServer.unprivilegedUser])
                try await admin.uploadObject("o", in: container, bytes: .init(string: "hello"))
                let provider = CountingProvider(
                    V1AuthProvider(
                        authURL: TestServer.shortTokenAuthURL, user: LocalServer.unprivilegedUser,
                        key: LocalServer.unprivilegedKey),
                    hideExpiry: true)
                let client = CloudFilesClient(auth: provider)
                defer { Task { try await client.shutdown() } }
                let life = try await ShortToken.fresh()
                #expect(try await client.contents("o", in: container) == .init(string: "hello"))
                try await Task.sleep(for: .seconds(Int(life.rounded(.up)) + 1))
                #expect(try await client.contents("o", in: container) == .init(string: "hello"))
                #expect(provider.count == 2)
            }
        }
    }

    @Test("v1 sessions learn the expiry from X-Auth-Token-Expires, and tempauth's short tokens really expire")
    func shortTokenExpires() async throws {
        try await TestServer.requireServer()
        let life = try await ShortToken.fresh()
        let context = AuthContext(httpClient: .shared, logger: Logger(label: "t"))
        let provider = V1AuthProvider(
            authURL: TestServer.shortTokenAuthURL, user: LocalServer.unprivilegedUser, key: LocalServer.unprivilegedKey)
        let first = try await provider.authenticate(using: context)
        #expect(life > 0 && life <= 5)
        try await Task.sleep(for: .seconds(Int(life.rounded(.up)) + 1))
        let second = try await provider.authenticate(using: context)
        #expect(first.token != second.token)
    }

    @Test("with a known expiry the token is refreshed in the background before it runs out, without a 401")
    func proactiveRefresh() async throws {
        try await TestServer.requireServer()
        // The real token lives a day; the provider claims 2 s, so the cache must refresh
        // every ~1.5 s. A refresh that came too late would show as a request waiting for
        // authentication; one that never came, as no new authentications.
        let provider = CountingProvider(
            V1AuthProvider(authURL: TestServer.authURL, user: LocalServer.user, key: LocalServer.key), lifetime: 2)
        let log = LogCapture()
        let client = CloudFilesClient(auth: provider, logger: log.logger(level: .debug))
        defer { Task { try await client.shutdown() } }
        let start = ContinuousClock.now
        var requests = 0
        // At least 5 s and 20 requests: under load one request can take seconds.
        while ContinuousClock.now - start < .seconds(5) || requests < 20 {
            _ = try await client.accountInfo()
            requests += 1
            try await Task.sleep(for: .milliseconds(50))
        }
        let elapsed = (ContinuousClock.now - start).components.seconds
        // A refresh about every 1.5 s, never more than one a second (plus the first).
        #expect(provider.count >= 3)
        #expect(
            Int64(provider.count) <= elapsed + 2,
            "\(provider.count) authentications for \(requests) requests in \(elapsed) s")
        #expect(!log.text.contains("→ 401"))
    }
}

/// test:tester3 on the 4-second-token proxy (:8081). tempauth shares one token per user
/// through memcached, whichever proxy issued it, so a long-lived token issued on :8080 would
/// be handed out on :8081 too. Forgetting the user's current token in memcached (the token
/// itself stays valid for whoever holds it) makes :8081 issue a short one.
enum ShortToken {
    static let memcached = (host: "127.0.0.1", port: 11222)

    /// Makes :8081 hand test:tester3 a fresh short token; returns its lifetime in seconds.
    static func fresh() async throws -> TimeInterval {
        let provider = V1AuthProvider(
            authURL: TestServer.shortTokenAuthURL, user: LocalServer.unprivilegedUser, key: LocalServer.unprivilegedKey)
        let context = AuthContext(httpClient: .shared, logger: Logger(label: "short-token"))
        var life: TimeInterval = .infinity
        for _ in 0..<3 {
            try forgetUserToken(LocalServer.unprivilegedUser)
            life =
                try await provider.authenticate(using: context).expiresAt.map { $0.timeIntervalSinceNow } ?? .infinity
            if life <= 5 { return life }
        }
        throw ShortTokenError(life: life)
    }

    /// Deletes tempauth's `AUTH_/user/<user>` entry (memcached keys are MD5s of the names).
    static func forgetUserToken(_ user: String) throws {
        let key = md5Hex("AUTH_/user/\(user)".utf8)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw ShortTokenError(life: 0) }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(memcached.port).bigEndian
        address.sin_addr.s_addr = inet_addr(memcached.host)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else { throw ShortTokenError(life: 0) }
        let command = Array("delete \(key)\r\n".utf8)
        _ = command.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
        var reply = [UInt8](repeating: 0, count: 64)
        _ = recv(fd, &reply, reply.count, 0)
    }

    struct ShortTokenError: Error, CustomStringConvertible {
        var life: TimeInterval
        var description: String {
            "the :8081 proxy (4 s token_life, scripts/swift-server) did not hand test:tester3 a short token (life \(life) s); is memcached on 127.0.0.1:11222?"
        }
    }
}
