import Foundation
import NIOCore
import NIOPosix

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// An open file descriptor that closes itself when the last reference goes away.
///
/// Reads and writes use `pread`/`pwrite` at explicit offsets on NIO's blocking-I/O thread
/// pool, so several readers (one per upload attempt or segment) can share one descriptor,
/// and a request body still being drained after its request failed can never read from a
/// descriptor number that was closed and reused.
final class LocalFile: Sendable {
    let descriptor: Int32
    let path: String

    private init(descriptor: Int32, path: String) {
        self.descriptor = descriptor
        self.path = path
    }

    deinit {
        _ = close(descriptor)
    }

    static func error(_ verb: String, _ path: String, code: Int32 = errno) -> CloudFilesError {
        CloudFilesError.localFile.with(message: "cannot \(verb) '\(path)': \(String(cString: strerror(code)))")
    }

    /// Opens a file for reading.
    static func openForReading(_ path: String) async throws -> LocalFile {
        try await NIOThreadPool.singleton.runIfActive {
            let fd = open(path, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else { throw error("open", path) }
            var info = stat()
            if fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR {
                _ = close(fd)
                throw CloudFilesError.localFile.with(message: "'\(path)' is a folder, not a file")
            }
            return LocalFile(descriptor: fd, path: path)
        }
    }

    /// Creates a new file that must not exist yet (`O_EXCL`), mode 0666 less the umask.
    static func create(_ path: String) async throws -> LocalFile {
        try await NIOThreadPool.singleton.runIfActive {
            let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
            guard fd >= 0 else { throw error("create", path) }
            return LocalFile(descriptor: fd, path: path)
        }
    }

    /// Creates a file with no name in `folder` (Linux `O_TMPFILE`), mode 0666 less the umask:
    /// nothing named exists until ``link(as:)``, so a crash or SIGKILL leaves nothing behind.
    /// - Returns: `nil` where the system or the file system cannot do it.
    static func createUnnamed(in folder: String) async throws -> LocalFile? {
        #if os(Linux)
        try await NIOThreadPool.singleton.runIfActive {
            // The name is given through /proc/self/fd; without /proc it could never get one.
            guard access("/proc/self/fd", X_OK) == 0 else { return nil }
            let fd = open(folder, O_WRONLY | O_CLOEXEC | unnamedFileFlag, 0o666)
            if fd < 0 {
                if [EOPNOTSUPP, EISDIR, EINVAL].contains(errno) { return nil }
                throw error("create a file in", folder)
            }
            return LocalFile(descriptor: fd, path: folder)
        }
        #else
        return nil
        #endif
    }

    /// Gives a file from ``createUnnamed(in:)`` the name `path`, which must not exist.
    func link(as path: String) async throws {
        #if os(Linux)
        try await NIOThreadPool.singleton.runIfActive {
            if linkat(AT_FDCWD, "/proc/self/fd/\(self.descriptor)", AT_FDCWD, path, AT_SYMLINK_FOLLOW) != 0 {
                throw Self.error("name the file", path)
            }
        }
        #else
        throw Self.error("name the file", path, code: ENOTSUP)
        #endif
    }

    /// Gives this file the permission bits of the regular file at `path`, when there is one
    /// (a link there is not followed), less set-user-ID and set-group-ID.
    func copyMode(from path: String) async throws {
        try await NIOThreadPool.singleton.runIfActive {
            var info = stat()
            guard lstat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return }
            if fchmod(self.descriptor, info.st_mode & 0o1777) != 0 {
                throw Self.error("set the mode of the file for", path)
            }
        }
    }

    /// Size and modification time.
    func status() async throws -> (size: Int64, modified: Date) {
        try await NIOThreadPool.singleton.runIfActive {
            var info = stat()
            guard fstat(self.descriptor, &info) == 0 else { throw Self.error("stat", self.path) }
            #if canImport(Darwin)
            let time = info.st_mtimespec
            #else
            let time = info.st_mtim
            #endif
            let modified = Date(timeIntervalSince1970: Double(time.tv_sec) + Double(time.tv_nsec) / 1e9)
            return (Int64(info.st_size), modified)
        }
    }

    /// Reads up to `count` bytes at `offset`; fewer only at the end of the file.
    func read(at offset: Int64, count: Int, allocator: ByteBufferAllocator) async throws -> ByteBuffer {
        try await NIOThreadPool.singleton.runIfActive {
            var buffer = allocator.buffer(capacity: count)
            var done = 0
            while done < count {
                let got = buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: count - done) { raw in
                    pread(self.descriptor, raw.baseAddress, count - done, off_t(offset) + off_t(done))
                }
                if got < 0 {
                    if errno == EINTR { continue }
                    throw Self.error("read", self.path)
                }
                if got == 0 { break }
                done += got
            }
            return buffer
        }
    }

    /// Writes all of `buffer` at `offset`.
    func write(_ buffer: ByteBuffer, at offset: Int64) async throws {
        try await NIOThreadPool.singleton.runIfActive {
            var done = 0
            let total = buffer.readableBytes
            while done < total {
                let wrote = buffer.withUnsafeReadableBytes { raw in
                    pwrite(self.descriptor, raw.baseAddress! + done, total - done, off_t(offset) + off_t(done))
                }
                if wrote < 0 {
                    if errno == EINTR { continue }
                    throw Self.error("write", self.path)
                }
                done += wrote
            }
        }
    }

    /// Sets the access and modification times.
    func setModificationDate(_ date: Date) async throws {
        try await NIOThreadPool.singleton.runIfActive {
            let seconds = date.timeIntervalSince1970.rounded(.down)
            let nanos = Int((date.timeIntervalSince1970 - seconds) * 1e9)
            let spec = timespec(tv_sec: Int(seconds), tv_nsec: nanos)
            var times = (spec, spec)
            let result = withUnsafePointer(to: &times) { pointer in
                pointer.withMemoryRebound(to: timespec.self, capacity: 2) { futimens(self.descriptor, $0) }
            }
            if result != 0 { throw Self.error("set the modification time of", self.path) }
        }
    }

    /// Flushes to disk.
    func sync() async throws {
        try await NIOThreadPool.singleton.runIfActive {
            if fsync(self.descriptor) != 0 { throw Self.error("flush", self.path) }
        }
    }

    /// Renames a file, replacing the target atomically.
    static func rename(_ from: String, to: String) async throws {
        try await NIOThreadPool.singleton.runIfActive {
            if posixRename(from, to) != 0 { throw error("rename to '\(to)'", from) }
        }
    }

    /// Removes a file, ignoring a missing one. Used for cleanup, including after
    /// cancellation, so it does not check for cancellation itself.
    static func remove(_ path: String) {
        _ = unlink(path)
    }
}

#if os(Linux)
/// `O_TMPFILE`, whose C macro is not imported: `__O_TMPFILE | O_DIRECTORY`.
private let unnamedFileFlag: Int32 = 0o20000000 | O_DIRECTORY
#endif

/// The C `rename`, out of reach of ``LocalFile/rename(_:to:)``'s name.
private func posixRename(_ from: String, _ to: String) -> Int32 {
    rename(from, to)
}
