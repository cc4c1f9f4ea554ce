import CFSHTestSupport
import CloudFiles
import Foundation
import Logging
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Every test that talks to the local Keystone, run one at a time: Keystone has a single
/// worker, and the refresh test needs each request answered well within a token's lifetime,
/// which a queue of parallel logins would not allow on two cores.
@Suite("Keystone integration", .serialized)
struct KeystoneIntegration {}

/// The local Keystone, its proxies and the Rackspace stand-in (their addresses and accounts are
/// in CFSHTestSupport), as the library tests use them.
extension LocalIdentity {
    static let demoByName = KeystoneV3AuthProvider.Method.password(
        user: .name(demoUser, domain: .default), password: demoPassword)
    static let demoScope = KeystoneV3AuthProvider.Scope.project(name: demoProject, domain: .default)

    /// What `connect` resolves for the demo user's password login to project demo in RegionOne.
    static var demoPasswordOptions: ConnectionOptions {
        var options = ConnectionOptions()
        options.authURL = keystoneURL.absoluteString
        options.user = demoUser
        options.password = demoPassword
        options.projectName = demoProject
        options.region = "RegionOne"
        return options
    }

    /// The ids Keystone gave the demo user, project and application credential.
    struct Ids: Sendable {
        var user: String
        var project: String
        var applicationCredential: String
    }

    /// Fails the test with the command to run when Keystone or its proxies are down.
    static func requireKeystone() async throws -> Ids {
        let message =
            "Keystone is not reachable at \(keystoneURL) (or its twin on :5001, or its Swift proxies "
            + "on 8082/8083): start it with `scripts/keystone-server start`"
        try #require(await keystoneUp.value, Comment(rawValue: message))
        return try await ids.value
    }

    /// Checked once per test process.
    private static let keystoneUp = Task<Bool, Never> {
        for url in [keystoneURL, shortKeystoneURL, publicProxyHealthURL, internalProxyHealthURL] {
            guard await reachable(url) else { return false }
        }
        return true
    }

    private static let ids = Task<Ids, any Error> { try await discoverIds() }

    /// Fails the test with the command to run when the Rackspace stand-in is down.
    static func requireRackspace() async throws {
        try #require(
            await reachable(rackspaceURL),
            "the Rackspace identity stand-in is not reachable at \(rackspaceURL): start it with `scripts/rackspace-identity start` (after `scripts/swift-server start`)"
        )
    }

    static func reachable(_ url: URL) async -> Bool {
        var request = URLRequest(url: url)
        request.timeoutInterval = 30
        guard let (_, response) = try? await URLSession.shared.data(for: request) else { return false }
        return (response as? HTTPURLResponse).map { $0.statusCode < 500 } ?? false
    }

    /// Logs in by name once and reads the ids tests need from Keystone itself, so that
    /// the tests do not depend on where the script keeps its state.
    static func discoverIds() async throws -> Ids {
        var login = URLRequest(url: keystoneURL.appendingPathComponent("auth/tokens"))
        login.httpMethod = "POST"
        login.setValue("application/json", forHTTPHeaderField: "Content-Type")
        login.httpBody = Data(
            """
            {"auth": {"identity": {"methods": ["password"], "password": {"user": {"name": "\(demoUser)",
            "domain": {"id": "default"}, "password": "\(demoPassword)"}}},
            "scope": {"project": {"name": "\(demoProject)", "domain": {"id": "default"}}}}}
            """.utf8)
        let (body, response) = try await URLSession.shared.data(for: login)
        let http = try #require(response as? HTTPURLResponse)
        try #require(http.statusCode == 201, "demo login at Keystone answered \(http.statusCode)")
        let token = try #require(http.value(forHTTPHeaderField: "X-Subject-Token"))
        let json = try #require(try JSONSerialization.jsonObject(with: body) as? [String: Any])
        let tokenJSON = try #require(json["token"] as? [String: Any])
        let user = try #require((tokenJSON["user"] as? [String: Any])?["id"] as? String)
        let project = try #require((tokenJSON["project"] as? [String: Any])?["id"] as? String)
        var list = URLRequest(
            url: URL(string: "\(keystoneURL)/users/\(user)/application_credentials?name=\(appCredentialName)")!)
        list.setValue(token, forHTTPHeaderField: "X-Auth-Token")
        let (listBody, _) = try await URLSession.shared.data(for: list)
        let listJSON = try #require(try JSONSerialization.jsonObject(with: listBody) as? [String: Any])
        let creds = try #require(listJSON["application_credentials"] as? [[String: Any]])
        let credential = try #require(
            creds.first?["id"] as? String,
            "no application credential \(appCredentialName): run `scripts/keystone-server start`")
        return Ids(user: user, project: project, applicationCredential: credential)
    }

    /// A client over `provider`, shut down after `body`.
    @discardableResult
    static func withClient<T>(
        _ provider: some AuthProvider,
        logger: Logger = Logger(label: "test"),
        configuration: CloudFilesClient.Configuration = .init(),
        _ body: (CloudFilesClient) async throws -> T
    ) async throws -> T {
        try await CloudFilesClient(auth: provider, configuration: configuration, logger: logger).use(body)
    }

    /// A unique container name for one test.
    static func uniqueContainer(_ prefix: String) -> String {
        "\(prefix)-\(UUID().uuidString.prefix(8).lowercased())"
    }
}

/// A log handler that keeps every message (with metadata), to prove secrets never reach logs.
/// A value type, as swift-log expects: a copy given another level leaves this one alone.
struct AuthTestLogHandler: LogHandler {
    final class Store: @unchecked Sendable {
        private let lock = NSLock()
        private var lines: [String] = []

        func append(_ line: String) {
            lock.lock()
            lines.append(line)
            lock.unlock()
        }

        var all: [String] {
            lock.lock()
            defer { lock.unlock() }
            return lines
        }
    }

    let store: Store
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    init(store: Store) {
        self.store = store
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var line = "\(event.level) \(event.message)"
        let merged = metadata.merging(event.metadata ?? [:]) { $1 }
        if !merged.isEmpty { line += " \(merged)" }
        store.append(line)
    }

    /// A logger writing into a new store, at debug level (what `cfsh --debug` uses) by default.
    static func logger(level: Logger.Level = .debug) -> (Logger, Store) {
        let store = Store()
        var logger = Logger(label: "recording") { _ in AuthTestLogHandler(store: store) }
        logger.logLevel = level
        return (logger, store)
    }
}

/// A provider that counts its authentications and remembers each session's expiry.
actor AuthTestRecord {
    private(set) var starts: [Date] = []
    private(set) var sessions: [AuthSession] = []

    func started() { starts.append(Date()) }
    func finished(_ session: AuthSession) { sessions.append(session) }
}

struct CountingAuthTestProvider<Base: AuthProvider>: AuthProvider {
    let base: Base
    let record = AuthTestRecord()

    var summary: String { base.summary }

    func authenticate(using context: AuthContext) async throws -> AuthSession {
        await record.started()
        let session = try await base.authenticate(using: context)
        await record.finished(session)
        return session
    }
}
