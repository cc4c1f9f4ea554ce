import Crypto
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A file that keeps tokens between runs, so that each `cfsh run` in a cron job does not
/// log in again.
///
/// It lives in the XDG cache folder (`$XDG_CACHE_HOME/cfsh/tokens.json`, by default
/// `~/.cache/cfsh/tokens.json`) with mode 0600 in a 0700 folder, and is ignored when it is
/// readable by anyone else. Entries are keyed by a hash of the auth URL, user, project,
/// region and interface; passwords and keys are never written. An entry is used only while
/// its token has more than ``minimumRemaining`` left, and never after its expiry.
public struct TokenCacheFile: Sendable {
    /// The file's path.
    public var path: String
    /// How much life a cached token must have left to be used.
    public var minimumRemaining: TimeInterval

    /// Creates a cache at a path.
    public init(path: String, minimumRemaining: TimeInterval = 60) {
        self.path = path
        self.minimumRemaining = minimumRemaining
    }

    /// The cache at its XDG place.
    ///
    /// - Parameter environment: for `XDG_CACHE_HOME` and `HOME`.
    /// - Returns: `nil` when neither is set.
    public static func standard(environment: [String: String]) -> TokenCacheFile? {
        if let xdg = environment["XDG_CACHE_HOME"], xdg.hasPrefix("/") {
            return TokenCacheFile(path: xdg + "/cfsh/tokens.json")
        }
        guard let home = environment["HOME"], !home.isEmpty else { return nil }
        return TokenCacheFile(path: home + "/.cache/cfsh/tokens.json")
    }

    /// The key of an identity, from the values that decide which token and endpoint it gets.
    public static func key(_ parts: [String?]) -> String {
        let joined = parts.map { $0 ?? "" }.joined(separator: "\u{1F}")
        return SHA256.hash(data: Data(joined.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    private struct Entry: Codable {
        var storageURL: String
        var token: String
        var expiresAt: Double
        var region: String?
        var interface: String?
        var serviceName: String?
    }

    /// The cached session for `key`, if it has enough life left.
    public func session(for key: String, now: Date = Date()) -> AuthSession? {
        guard let entry = load()[key],
              entry.expiresAt - now.timeIntervalSince1970 > minimumRemaining,
              let url = URL(string: entry.storageURL)
        else { return nil }
        let endpoint = entry.region != nil || entry.interface != nil
            ? AuthEndpoint(region: entry.region, interface: entry.interface, serviceName: entry.serviceName) : nil
        return AuthSession(storageURL: url, token: entry.token,
                           expiresAt: Date(timeIntervalSince1970: entry.expiresAt), endpoint: endpoint)
    }

    /// Stores a session with a known expiry under `key`, dropping expired entries.
    /// Failing to write is not an error: the cache only saves a login.
    public func store(_ session: AuthSession, for key: String, now: Date = Date()) {
        guard let expiresAt = session.expiresAt else { return }
        var entries = load().filter { $0.value.expiresAt > now.timeIntervalSince1970 }
        entries[key] = Entry(storageURL: session.storageURL.absoluteString, token: session.token,
                             expiresAt: expiresAt.timeIntervalSince1970, region: session.endpoint?.region,
                             interface: session.endpoint?.interface, serviceName: session.endpoint?.serviceName)
        save(entries)
    }

    /// Forgets the entry for `key`.
    public func remove(_ key: String) {
        var entries = load()
        guard entries.removeValue(forKey: key) != nil else { return }
        save(entries)
    }

    private func load() -> [String: Entry] {
        var info = stat()
        // A cache others can read or write is not trusted: its tokens may be stolen or planted.
        guard stat(path, &info) == 0, info.st_uid == getuid(), info.st_mode & 0o077 == 0,
              let data = FileManager.default.contents(atPath: path),
              let entries = try? JSONDecoder().decode([String: Entry].self, from: data)
        else { return [:] }
        return entries
    }

    private func save(_ entries: [String: Entry]) {
        let folder = (path as NSString).deletingLastPathComponent
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true,
                                                 attributes: [.posixPermissions: 0o700])
        guard let data = try? JSONEncoder().encode(entries) else { return }
        let temporary = path + ".\(getpid()).tmp"
        // Created 0600 from the start, so the tokens are never readable by others.
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        guard fd >= 0 else { return }
        let written = data.withUnsafeBytes { buffer in
            buffer.baseAddress.map { write(fd, $0, buffer.count) } ?? 0
        }
        fchmod(fd, 0o600)
        close(fd)
        if written == data.count {
            rename(temporary, path)
        } else {
            unlink(temporary)
        }
    }
}

/// A provider that first looks in a ``TokenCacheFile`` and stores what it gets there.
///
/// Only the first authentication of a process may use the file: every later one (a
/// proactive refresh, or the re-authentication after a 401) asks the identity service, so
/// a token the server refuses is replaced, never served again.
public struct CachedAuthProvider: AuthProvider {
    /// The provider that really authenticates.
    public let base: any AuthProvider
    /// The file.
    public let cache: TokenCacheFile
    /// This identity's key in the file (see ``TokenCacheFile/key(_:)``).
    public let key: String
    private let firstUse = FirstUse()

    /// Wraps a provider.
    public init(_ base: any AuthProvider, cache: TokenCacheFile, key: String) {
        self.base = base
        self.cache = cache
        self.key = key
    }

    /// The base provider's summary.
    public var summary: String { base.summary }

    /// A cached session on the first call if one has enough life left; else a new one.
    public func authenticate(using context: AuthContext) async throws -> AuthSession {
        if await firstUse.claim(), let session = cache.session(for: key) {
            context.logger.debug("using the cached token for \(base.summary), valid until \(session.expiresAt.map { "\($0)" } ?? "?")")
            return session
        }
        let session = try await base.authenticate(using: context)
        cache.store(session, for: key)
        return session
    }

    private actor FirstUse {
        private var used = false
        func claim() -> Bool {
            defer { used = true }
            return !used
        }
    }
}
