#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Files only their owner may see or change: the token cache and the shell's history.
///
/// Such a file is only used in a folder that belongs to the user and that nobody else may
/// write to, since anyone who can write to the folder can swap the file for a symlink or
/// plant one at the name of a temporary file. The file itself is never opened through a
/// symlink, and is replaced by writing a new file with a fresh name (`O_EXCL`, `O_NOFOLLOW`)
/// in the same folder, flushed to disk, then renamed over it.
public enum PrivateFile {
    /// Creates the folder (and missing parents, mode 0700) and checks that it is one the
    /// user alone may write to.
    ///
    /// - Parameter folder: an absolute path.
    /// - Throws: ``PrivateFileError`` naming the folder and what is wrong with it.
    public static func prepareFolder(_ folder: String) throws(PrivateFileError) {
        var path = ""
        for component in folder.split(separator: "/") {
            path += "/" + component
            if mkdir(path, 0o700) != 0, errno != EEXIST {
                throw PrivateFileError(path: folder, reason: "cannot create the folder \(path): \(describe(errno))")
            }
        }
        try checkFolder(folder.isEmpty ? "/" : folder)
    }

    /// Checks the folder as ``checkFolder(_:)`` does, if it exists.
    ///
    /// - Throws: ``PrivateFileError`` when it exists and is not private.
    public static func checkFolderIfPresent(_ folder: String) throws(PrivateFileError) {
        var info = stat()
        if stat(folder, &info) != 0, errno == ENOENT { return }
        try checkFolder(folder)
    }

    /// Checks that a folder belongs to the user and that group and others cannot write to it.
    ///
    /// - Throws: ``PrivateFileError`` saying what is wrong and how to fix it.
    public static func checkFolder(_ folder: String) throws(PrivateFileError) {
        var info = stat()
        guard stat(folder, &info) == 0 else {
            throw PrivateFileError(path: folder, reason: "cannot use the folder \(folder): \(describe(errno))")
        }
        guard info.st_mode & S_IFMT == S_IFDIR else {
            throw PrivateFileError(path: folder, reason: "\(folder) is not a folder")
        }
        guard info.st_uid == geteuid() else {
            throw PrivateFileError(
                path: folder, reason: "the folder \(folder) belongs to another user (uid \(info.st_uid))")
        }
        guard info.st_mode & 0o022 == 0 else {
            throw PrivateFileError(
                path: folder,
                reason: "the folder \(folder) is writable by others (mode \(octal(info.st_mode & 0o7777))); "
                    + "make it private with 'chmod go-w \(folder)'")
        }
    }

    /// The bytes of a file the user owns, opened without following a symlink and without
    /// waiting on a FIFO.
    ///
    /// - Parameters:
    ///   - path: the file.
    ///   - privateOnly: refuse a file that group or others may read or write.
    ///   - limit: the most bytes to read; a longer file is refused.
    /// - Returns: `nil` when the file does not exist.
    /// - Throws: ``PrivateFileError`` when it is a symlink, not a regular file, someone
    ///   else's, too open, too long, or unreadable.
    public static func contents(
        _ path: String, privateOnly: Bool, limit: Int = 16 << 20
    ) throws(PrivateFileError) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else {
            if errno == ENOENT { return nil }
            throw openError(path, errno)
        }
        defer { close(fd) }
        try checkFile(fd, path, privateOnly: privateOnly)
        var data: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw PrivateFileError(path: path, reason: "cannot read \(path): \(describe(errno))")
            }
            if count == 0 { return data }
            data += chunk[..<count]
            if data.count > limit {
                throw PrivateFileError(path: path, reason: "\(path) is larger than \(limit) bytes")
            }
        }
    }

    /// Replaces the file with `bytes`, mode 0600: written to a new file in the same folder,
    /// flushed, then renamed over it, so a reader sees the old file or the new one, and a
    /// symlink at the file's name or at any temporary name is never written through.
    ///
    /// - Throws: ``PrivateFileError`` when the new file cannot be written or renamed.
    public static func replace(_ path: String, with bytes: [UInt8]) throws(PrivateFileError) {
        let (folder, name) = split(path)
        var fd: Int32 = -1
        var temporary = ""
        for _ in 0..<16 {
            temporary = folder + "/." + name + "." + randomSuffix() + ".tmp"
            fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
            if fd >= 0 || errno != EEXIST { break }
        }
        guard fd >= 0 else {
            throw PrivateFileError(path: path, reason: "cannot create a file in \(folder): \(describe(errno))")
        }
        do throws(PrivateFileError) {
            try writeAll(fd, bytes, path)
            guard fsync(fd) == 0 else {
                throw PrivateFileError(path: path, reason: "cannot write \(path): \(describe(errno))")
            }
        } catch {
            close(fd)
            unlink(temporary)
            throw error
        }
        close(fd)
        guard rename(temporary, path) == 0 else {
            let code = errno
            unlink(temporary)
            throw PrivateFileError(path: path, reason: "cannot replace \(path): \(describe(code))")
        }
    }

    /// Adds `bytes` at the end of the file, creating it with mode 0600; an existing file
    /// readable by others is tightened to 0600. A symlink or a file of someone else's is refused.
    ///
    /// - Throws: ``PrivateFileError`` saying what went wrong.
    public static func append(_ path: String, _ bytes: [UInt8]) throws(PrivateFileError) {
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK, 0o600)
        guard fd >= 0 else { throw openError(path, errno) }
        defer { close(fd) }
        try checkFile(fd, path, privateOnly: false)
        _ = fchmod(fd, 0o600)
        try writeAll(fd, bytes, path)
    }

    private static func checkFile(_ fd: Int32, _ path: String, privateOnly: Bool) throws(PrivateFileError) {
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            throw PrivateFileError(path: path, reason: "cannot read \(path): \(describe(errno))")
        }
        guard info.st_mode & S_IFMT == S_IFREG else {
            throw PrivateFileError(path: path, reason: "\(path) is not a regular file")
        }
        guard info.st_uid == geteuid() else {
            throw PrivateFileError(path: path, reason: "\(path) belongs to another user (uid \(info.st_uid))")
        }
        if privateOnly, info.st_mode & 0o077 != 0 {
            throw PrivateFileError(
                path: path,
                reason:
                    "\(path) may be read by others (mode \(octal(info.st_mode & 0o7777))); remove it or 'chmod 600' it")
        }
    }

    private static func openError(_ path: String, _ code: Int32) -> PrivateFileError {
        if code == ELOOP || code == EMLINK {
            return PrivateFileError(path: path, reason: "\(path) is a symbolic link; it is not followed")
        }
        return PrivateFileError(path: path, reason: "cannot open \(path): \(describe(code))")
    }

    private static func writeAll(_ fd: Int32, _ bytes: [UInt8], _ path: String) throws(PrivateFileError) {
        var rest = bytes[...]
        while !rest.isEmpty {
            let written = rest.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                throw PrivateFileError(path: path, reason: "cannot write \(path): \(describe(errno))")
            }
            rest = rest.dropFirst(written)
        }
    }

    private static func split(_ path: String) -> (folder: String, name: String) {
        guard let slash = path.utf8.lastIndex(of: UInt8(ascii: "/")) else { return (".", path) }
        let folder = String(path[..<slash])
        return (folder.isEmpty ? "/" : folder, String(path[path.utf8.index(after: slash)...]))
    }

    private static func randomSuffix() -> String {
        var generator = SystemRandomNumberGenerator()
        return String(generator.next() as UInt64, radix: 36)
    }

    private static func octal(_ mode: mode_t) -> String {
        "0" + String(mode, radix: 8)
    }

    private static func describe(_ code: Int32) -> String {
        String(cString: strerror(code))
    }
}

/// A private file or its folder that cannot be used, and why.
public struct PrivateFileError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file or folder concerned.
    public var path: String
    /// A sentence naming the path and what is wrong.
    public var reason: String

    /// Creates an error.
    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    /// The ``reason``.
    public var description: String { reason }
}
