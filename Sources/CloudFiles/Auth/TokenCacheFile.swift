import Crypto
import Foundation
import _CryptoExtras

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A file that keeps tokens between runs, so that each run of a program in a cron job does
/// not log in again.
///
/// It lives in the XDG cache folder (`$XDG_CACHE_HOME/APPNAME/tokens.json`, by default
/// `~/.cache/APPNAME/tokens.json`) with mode 0600, in a folder only the user may write to (see
/// ``PrivateFile``); a file readable by others, a symlink, or a folder others may write to is
/// refused. Entries are keyed by a salted, slow hash (PBKDF2) of the identity *and its
/// secret*, with a random salt kept in the file: a different password, key or
/// application-credential secret finds no entry and goes to the identity service, and the
/// file holds no secret and nothing to look a secret up by on another machine. An entry is
/// used only while its token has more than ``minimumRemaining`` left, and never after its expiry.
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

    /// The cache at its XDG place, `CACHE/APPNAME/tokens.json`.
    ///
    /// - Parameters:
    ///   - environment: for `XDG_CACHE_HOME` and `HOME`.
    ///   - appName: the folder under the cache folder, named for the program.
    /// - Returns: `nil` when neither variable gives an absolute folder.
    public static func standard(environment: [String: String], appName: String) -> TokenCacheFile? {
        if let xdg = environment["XDG_CACHE_HOME"], xdg.hasPrefix("/") {
            return TokenCacheFile(path: xdg + "/\(appName)/tokens.json")
        }
        guard let home = environment["HOME"], home.hasPrefix("/") else { return nil }
        return TokenCacheFile(path: home + "/.cache/\(appName)/tokens.json")
    }

    /// The key of an identity, from the values that decide which token and endpoint it gets
    /// and from its secret. It stays in memory: the file keys entries by a salted hash of it.
    public static func key(_ parts: [String?]) -> String {
        // Length-prefixed, so that no two lists of parts give the same text.
        let joined = parts.map { $0.map { "\($0.utf8.count):\($0)" } ?? "-" }.joined(separator: ",")
        return SHA256.hash(data: Data(joined.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// PBKDF2 rounds for an entry's key: slow enough that guessing a password from a stolen
    /// file is costly, fast enough (tens of milliseconds) for one login per run.
    static let rounds = 210_000

    private struct Entry: Codable {
        var storageURL: String
        var token: String
        var expiresAt: Double
        var region: String?
        var interface: String?
        var serviceName: String?
    }

    private struct Contents: Codable {
        /// Random bytes, base64, made when the file is first written.
        var salt: String
        var entries: [String: Entry]
    }

    /// The cached session for `key`, if it has enough life left.
    ///
    /// - Throws: ``PrivateFileError`` when the file or its folder is not private to the user.
    public func session(for key: String, now: Date = Date()) throws(PrivateFileError) -> AuthSession? {
        guard let contents = try load(),
            let entry = contents.entries[Self.entryKey(key, salt: contents.salt)],
            entry.expiresAt.isFinite,
            entry.expiresAt - now.timeIntervalSince1970 > minimumRemaining,
            let url = URL(string: entry.storageURL)
        else { return nil }
        let endpoint =
            entry.region != nil || entry.interface != nil
            ? AuthEndpoint(region: entry.region, interface: entry.interface, serviceName: entry.serviceName) : nil
        return AuthSession(
            storageURL: url, token: entry.token,
            expiresAt: Date(timeIntervalSince1970: entry.expiresAt), endpoint: endpoint)
    }

    /// Stores a session with a known expiry under `key`, dropping expired entries.
    ///
    /// - Throws: ``PrivateFileError`` when the file or its folder is not private to the user,
    ///   or cannot be written.
    public func store(_ session: AuthSession, for key: String, now: Date = Date()) throws(PrivateFileError) {
        guard let expiresAt = session.expiresAt else { return }
        try PrivateFile.prepareFolder(folder)
        var contents = try load() ?? Contents(salt: Self.newSalt(), entries: [:])
        contents.entries = contents.entries.filter { $0.value.expiresAt > now.timeIntervalSince1970 }
        contents.entries[Self.entryKey(key, salt: contents.salt)] = Entry(
            storageURL: session.storageURL.absoluteString, token: session.token,
            expiresAt: expiresAt.timeIntervalSince1970, region: session.endpoint?.region,
            interface: session.endpoint?.interface, serviceName: session.endpoint?.serviceName)
        try save(contents)
    }

    /// Forgets the entry for `key`.
    ///
    /// - Throws: ``PrivateFileError`` as ``store(_:for:now:)`` does.
    public func remove(_ key: String) throws(PrivateFileError) {
        guard var contents = try load(),
            contents.entries.removeValue(forKey: Self.entryKey(key, salt: contents.salt)) != nil
        else { return }
        try save(contents)
    }

    private var folder: String { (path as NSString).deletingLastPathComponent }

    /// The file's contents; `nil` when there is none yet or it is not ours to read (an older
    /// format, or garbage), in which case the next store starts afresh.
    private func load() throws(PrivateFileError) -> Contents? {
        // A cache others can write to, or read, is not trusted: its tokens may be planted or stolen.
        try PrivateFile.checkFolderIfPresent(folder)
        guard let bytes = try PrivateFile.contents(path, privateOnly: true, limit: 4 << 20),
            let contents = try? JSONDecoder().decode(Contents.self, from: Data(bytes)),
            Data(base64Encoded: contents.salt)?.count ?? 0 >= 16
        else { return nil }
        return contents
    }

    private func save(_ contents: Contents) throws(PrivateFileError) {
        guard let data = try? JSONEncoder().encode(contents) else { return }
        try PrivateFile.replace(path, with: Array(data))
    }

    private static func newSalt() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<4).flatMap { _ in withUnsafeBytes(of: generator.next() as UInt64) { Array($0) } }
        return Data(bytes).base64EncodedString()
    }

    static func entryKey(_ key: String, salt: String) -> String {
        let saltBytes = Data(base64Encoded: salt) ?? Data(salt.utf8)
        guard
            let derived = try? KDF.Insecure.PBKDF2.deriveKey(
                from: Data(key.utf8), salt: saltBytes, using: .sha256, outputByteCount: 32,
                unsafeUncheckedRounds: rounds)
        else {
            // PBKDF2 cannot fail with these arguments; fall back to a keyed hash rather than trap.
            let mac = HMAC<SHA256>.authenticationCode(for: Data(key.utf8), using: SymmetricKey(data: saltBytes))
            return Data(mac).map { String(format: "%02x", $0) }.joined()
        }
        return derived.withUnsafeBytes { $0.map { String(format: "%02x", $0) }.joined() }
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
    ///
    /// A cache file or folder that is not private to the user is not used: the login goes
    /// to the identity service, with one warning saying why.
    public func authenticate(using context: AuthContext) async throws -> AuthSession {
        if await firstUse.claim() {
            do {
                if let session = try cache.session(for: key) {
                    context.logger.debug(
                        "using the cached token for \(base.summary), valid until \(session.expiresAt.map { "\($0)" } ?? "?")"
                    )
                    return session
                }
            } catch {
                await warn(error, context)
            }
        }
        let session = try await base.authenticate(using: context)
        do {
            try cache.store(session, for: key)
        } catch {
            await warn(error, context)
        }
        return session
    }

    private func warn(_ error: PrivateFileError, _ context: AuthContext) async {
        guard await firstUse.claimWarning() else { return }
        context.logger.warning("not using the token cache: \(error.reason)")
    }

    private actor FirstUse {
        private var used = false
        private var warned = false
        func claim() -> Bool {
            defer { used = true }
            return !used
        }
        func claimWarning() -> Bool {
            defer { warned = true }
            return !warned
        }
    }
}
