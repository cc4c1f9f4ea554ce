import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// One entry of a ``LocalTree`` walk: a regular file, or a name that is there but is not
/// synced (a symbolic link, a socket, a device), which a sync must still see so that it
/// never takes the name as missing.
public struct LocalTreeEntry: SyncNamed, Equatable {
    public enum Kind: Sendable, Equatable {
        /// A regular file.
        case file
        /// A symbolic link: never followed, never sent.
        case symbolicLink
        /// A FIFO, socket or device.
        case special
    }

    /// The path below the walked folder, components joined with `/`.
    public var relativeName: String
    /// The absolute path.
    public var path: String
    public var kind: Kind
    /// The size in bytes (0 unless a file).
    public var size: Int64
    /// The modification time, to the nanosecond the file system keeps.
    public var modificationDate: Date
}

/// A problem met during a ``LocalTree`` walk: something that is not walked. A sync counts it
/// as a failure (nothing below it is known, so nothing may be deleted on its account).
public struct LocalTreeIssue: Sendable, Equatable, CustomStringConvertible {
    /// The path, printable (a name that is not UTF-8 is shown with U+FFFD).
    public var path: String
    public var reason: String

    public var description: String { "\(Names.quoted(path)): \(reason)" }
}

/// The regular files below a local folder, in the byte order of their UTF-8 relative names:
/// the order Swift lists objects in, so that a walk and a container listing merge with
/// ``SortedMerge`` and no side is ever sorted whole.
///
/// A folder `a` is walked where `a/` sorts among its siblings: `a-b`, `a.b`, then `a/x`,
/// then `a0` (`-` and `.` sort before `/`, `0` after). Only one folder's names are held
/// per level of depth, never the whole tree. Symbolic links are not followed (they are
/// yielded as ``LocalTreeEntry/Kind/symbolicLink``); a name that is not UTF-8, or a folder
/// that cannot be read, is not walked and is reported to `issues`.
public struct LocalTree: AsyncSequence, Sendable {
    public typealias Element = LocalTreeEntry

    /// The absolute folder walked.
    public let root: String
    let issues: @Sendable (LocalTreeIssue) -> Void

    /// Walks `root` (an absolute path to a folder); `issues` is told of every name not walked.
    public init(root: String, issues: @escaping @Sendable (LocalTreeIssue) -> Void) {
        self.root = root.count > 1 && root.hasSuffix("/") ? String(root.dropLast()) : root
        self.issues = issues
    }

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(tree: self)
    }

    /// Depth-first, each folder's children sorted by their names' bytes (a folder's with a
    /// `/` after it).
    public struct AsyncIterator: AsyncIteratorProtocol {
        struct Child {
            var name: [UInt8]
            var key: [UInt8]
            var isFolder: Bool
        }
        struct Frame {
            /// The folder's absolute path, and its name below the root ending in `/` (empty for the root).
            var path: String
            var relative: String
            var children: [Child]
            var next = 0
        }

        let tree: LocalTree
        var stack: [Frame] = []
        var started = false

        init(tree: LocalTree) { self.tree = tree }

        public mutating func next() async throws -> LocalTreeEntry? {
            if !started {
                started = true
                if let children = readFolder(tree.root, shown: tree.root) {
                    stack.append(Frame(path: tree.root, relative: "", children: children))
                }
            }
            while var frame = stack.popLast() {
                guard frame.next < frame.children.count else { continue }
                let child = frame.children[frame.next]
                frame.next += 1
                stack.append(frame)
                let path = (frame.path == "/" ? "" : frame.path) + "/" + String(decoding: child.name, as: UTF8.self)
                guard let name = String(validating: child.name, as: UTF8.self) else {
                    tree.issues(
                        LocalTreeIssue(
                            path: path, reason: "the name is not UTF-8, so it cannot be an object name; not synced"))
                    continue
                }
                let relative = frame.relative + name
                if child.isFolder {
                    if let children = readFolder(path, shown: path) {
                        stack.append(Frame(path: path, relative: relative + "/", children: children))
                    }
                    continue
                }
                var info = stat()
                guard lstat(path, &info) == 0 else {
                    // Gone since the folder was read: nothing to sync.
                    if errno == ENOENT { continue }
                    tree.issues(LocalTreeIssue(path: path, reason: String(cString: strerror(errno))))
                    continue
                }
                #if canImport(Darwin)
                let time = info.st_mtimespec
                #else
                let time = info.st_mtim
                #endif
                let modified = Date(timeIntervalSince1970: Double(time.tv_sec) + Double(time.tv_nsec) / 1e9)
                let kind: LocalTreeEntry.Kind
                switch info.st_mode & S_IFMT {
                case S_IFREG: kind = .file
                case S_IFLNK: kind = .symbolicLink
                case S_IFDIR:
                    // Became a folder since it was listed: walk it now, where a file was.
                    if let children = readFolder(path, shown: path) {
                        stack.append(Frame(path: path, relative: relative + "/", children: children))
                    }
                    continue
                default: kind = .special
                }
                return LocalTreeEntry(
                    relativeName: relative, path: path, kind: kind, size: kind == .file ? Int64(info.st_size) : 0,
                    modificationDate: modified)
            }
            return nil
        }

        /// The names in the folder at `path`, sorted by bytes (folders' with `/` after them);
        /// `nil` (and an issue) when it cannot be read.
        func readFolder(_ path: String, shown: String) -> [Child]? {
            guard let directory = opendir(path) else {
                tree.issues(
                    LocalTreeIssue(path: shown, reason: "cannot read the folder: " + String(cString: strerror(errno))))
                return nil
            }
            defer { closedir(directory) }
            var children: [Child] = []
            while let entry = readdir(directory) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                    Array(raw.prefix(while: { $0 != 0 }))
                }
                if name == [0x2E] || name == [0x2E, 0x2E] { continue }
                var isFolder: Bool
                let type = entry.pointee.d_type
                if type == UInt8(DT_DIR) {
                    isFolder = true
                } else if type == UInt8(DT_UNKNOWN) {
                    var info = stat()
                    let childPath = (path == "/" ? "" : path) + "/" + String(decoding: name, as: UTF8.self)
                    isFolder = lstat(childPath, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
                } else {
                    isFolder = false
                }
                children.append(Child(name: name, key: isFolder ? name + [0x2F] : name, isFolder: isFolder))
            }
            children.sort { $0.key.lexicographicallyPrecedes($1.key) }
            return children
        }
    }
}
