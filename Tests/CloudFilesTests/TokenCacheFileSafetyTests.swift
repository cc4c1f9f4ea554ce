import CFSHTestSupport
import CloudFiles
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The token cache file is only read from and written to a folder and a file that belong to
/// the user alone, and never through a symlink someone planted.
@Suite("Token cache file: unsafe folders and symlinks are refused")
struct TokenCacheFileSafetyTests {
    private func session(token: String = "tok-\(UUID().uuidString)") -> AuthSession {
        AuthSession(
            storageURL: URL(string: "http://127.0.0.1:8082/v1/AUTH_p")!, token: token,
            expiresAt: Date().addingTimeInterval(3600))
    }

    @Test("a cache folder others may write to is neither written nor read", arguments: [0o777, 0o770, 0o722, 0o1777])
    func writableFolder(mode: Int) throws {
        let dir = try TemporaryFolder()
        let folder = dir.path + "/cfsh"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let cache = TokenCacheFile(path: folder + "/tokens.json")
        try cache.store(session(), for: "k")
        #expect(try cache.session(for: "k") != nil, "a safe folder works")
        #expect(chmod(folder, mode_t(mode)) == 0)
        let error = #expect(throws: PrivateFileError.self, "an entry read from an unsafe folder") {
            try cache.session(for: "k")
        }
        #expect(error?.reason.contains("is writable by others") == true)
        try FileManager.default.removeItem(atPath: cache.path)
        #expect(throws: PrivateFileError.self) { try cache.store(session(), for: "k") }
        #expect(!FileManager.default.fileExists(atPath: cache.path), "a cache written into a folder others can write")
    }

    @Test("a cache file that is a symlink is not read, and nothing is written through it")
    func symlinkedFile() throws {
        let dir = try TemporaryFolder()
        let elsewhere = TokenCacheFile(path: dir.path + "/elsewhere/tokens.json")
        try elsewhere.store(session(token: "planted"), for: "k")
        let before = try #require(FileManager.default.contents(atPath: elsewhere.path))
        let cache = TokenCacheFile(path: dir.path + "/cfsh/tokens.json")
        try FileManager.default.createDirectory(atPath: dir.path + "/cfsh", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: cache.path, withDestinationPath: elsewhere.path)
        #expect(throws: PrivateFileError.self, "a token read through a symlink") { try cache.session(for: "k") }
        #expect(throws: PrivateFileError.self) { try cache.store(session(token: "mine"), for: "k2") }
        #expect(FileManager.default.contents(atPath: elsewhere.path) == before, "written through the symlink")
        let kind = try FileManager.default.attributesOfItem(atPath: cache.path)[.type] as? FileAttributeType
        #expect(kind == .typeSymbolicLink, "the link is left for the user to look at")
    }

    @Test("a planted symlink at any temporary name is never followed")
    func plantedTemporary() throws {
        let dir = try TemporaryFolder()
        let victim = try Victim(in: dir)
        let cache = TokenCacheFile(path: dir.path + "/tokens.json")
        // The names a writer could predict: the pid-based one, and a few others.
        try victim.plant(["tokens.json.\(getpid()).tmp", ".tokens.json.tmp", "tokens.json.tmp"], in: dir)
        try cache.store(session(), for: "k")
        #expect(victim.isIntact)
        #expect(try cache.session(for: "k") != nil)
    }

    @Test("a cache file readable by others is ignored")
    func unsafeFile() throws {
        let dir = try TemporaryFolder()
        let cache = TokenCacheFile(path: dir.path + "/tokens.json")
        try cache.store(session(), for: "k")
        #expect(chmod(cache.path, 0o640) == 0)
        #expect(throws: PrivateFileError.self) { try cache.session(for: "k") }
    }

    @Test(
        "a cache folder or file of another user is refused",
        .enabled(if: geteuid() == 0, "needs root to give a file away"))
    func otherOwner() throws {
        let dir = try TemporaryFolder()
        let folder = dir.path + "/cfsh"
        #expect(mkdir(folder, 0o700) == 0)
        let cache = TokenCacheFile(path: folder + "/tokens.json")
        try cache.store(session(), for: "k")
        #expect(chown(cache.path, 65534, 65534) == 0)
        let fileError = #expect(throws: PrivateFileError.self) { try cache.session(for: "k") }
        #expect(fileError?.reason.contains("belongs to another user") == true)
        #expect(chown(folder, 65534, 65534) == 0)
        let folderError = #expect(throws: PrivateFileError.self) { try cache.store(session(), for: "k") }
        #expect(folderError?.reason == "the folder \(folder) belongs to another user (uid 65534)")
    }

    @Test("a FIFO in the cache file's place is neither waited on nor read", .timeLimit(.minutes(1)))
    func fifo() throws {
        let dir = try TemporaryFolder()
        let cache = TokenCacheFile(path: dir.path + "/tokens.json")
        #expect(mkfifo(cache.path, 0o600) == 0)
        #expect(throws: PrivateFileError.self) { try cache.session(for: "k") }
        #expect(throws: PrivateFileError.self) { try cache.store(session(), for: "k") }
        var info = stat()
        #expect(lstat(cache.path, &info) == 0 && info.st_mode & S_IFMT == S_IFIFO, "the FIFO is left alone")
    }
}

@Suite("Token cache: an unsafe cache is skipped with one warning")
struct CachedProviderSafetyTests {
    @Test("a cache folder others may write to is not used: the login goes to the provider and one warning says why")
    func unsafeFolderWarns() async throws {
        let dir = try TemporaryFolder()
        let folder = dir.path + "/cfsh"
        #expect(mkdir(folder, 0o700) == 0)
        #expect(chmod(folder, 0o777) == 0)
        let cache = TokenCacheFile(path: folder + "/tokens.json")
        let base = CountingAuthTestProvider(
            base: TokenAuthProvider(
                storageURL: URL(string: "http://127.0.0.1:8082/v1/AUTH_p")!, token: "fresh-token",
                expiresAt: Date().addingTimeInterval(7200)))
        let provider = CachedAuthProvider(base, cache: cache, key: "k")
        let (logger, logs) = AuthTestLogHandler.logger(level: .warning)
        for _ in 0..<2 {
            let token = try await LocalIdentity.withClient(provider, logger: logger) { try await $0.session().token }
            #expect(token == "fresh-token")
        }
        #expect(await base.record.sessions.count == 2)
        let warnings = logs.all.filter { $0.hasPrefix("warning") }
        #expect(warnings.count == 1, "\(warnings)")
        #expect(
            warnings.first?.contains("not using the token cache: the folder \(folder) is writable by others") == true)
        #expect(!FileManager.default.fileExists(atPath: cache.path))
    }
}
