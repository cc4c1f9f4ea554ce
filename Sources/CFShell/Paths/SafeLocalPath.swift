import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A local file or folder below a target folder, named by something a server sent.
///
/// The one place where remote names become local paths. Names are split on the byte `/`
/// and each component is checked as bytes, never as Swift `Character`s: a `/` followed by
/// a combining mark is one `Character` but still a separator to the file system, and
/// `..` followed by a mark is an ordinary name to it. A component is refused when it is
/// empty (a leading `/` or `//`), exactly `.` or `..`, holds a NUL, or is longer than
/// NAME_MAX (255 bytes). The target folder itself is the user's and is taken as typed.
struct SafeLocalPath: Sendable, Equatable {
    /// The target folder, without a trailing `/` (except for `/` itself).
    let folder: String
    /// Checked components below `folder`.
    let components: [String]
    /// A folder to make (the name ended with `/`, or a directory marker), not a file to write.
    var isFolder: Bool

    static let nameMax = 255

    /// Why a name cannot be written below the target folder.
    struct Refusal: Error, Equatable {
        var reason: String
    }

    /// `relative`, split on `/`, below `folder`, after `leading` components (each checked too,
    /// such as the pseudo-folder's own name). One trailing `/` marks a folder.
    init(folder: String, leading: [String] = [], relative: String) throws(Refusal) {
        var parts: [String] = []
        for component in leading {
            parts.append(try Self.checked(Substring(component).utf8))
        }
        var isFolder = false
        if !relative.isEmpty {
            var pieces = relative.utf8.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false)
            if pieces.count > 1, pieces.last!.isEmpty {
                pieces.removeLast()
                isFolder = true
            }
            for piece in pieces { parts.append(try Self.checked(piece)) }
        } else {
            isFolder = true
        }
        guard !parts.isEmpty else { throw Refusal(reason: "it names the target folder itself") }
        self.folder = folder.count > 1 && folder.hasSuffix("/") ? String(folder.dropLast()) : folder
        self.components = parts
        self.isFolder = isFolder
    }

    /// The full path, for the file system calls that take one.
    var path: String {
        (folder == "/" ? "" : folder) + "/" + components.joined(separator: "/")
    }

    /// The last component of a remote name or prefix, by bytes: `a/b/` gives `b`.
    static func lastComponent(of name: String) -> String {
        var bytes = Substring(name).utf8[...]
        if bytes.last == UInt8(ascii: "/") { bytes = bytes.dropLast() }
        let last = bytes.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false).last ?? bytes
        return String(Substring(last))
    }

    /// `name` without its first `prefix.utf8.count` bytes, when it starts with those bytes.
    static func dropPrefix(_ prefix: String, of name: String) -> String? {
        let bytes = Substring(name).utf8
        guard bytes.starts(with: prefix.utf8) else { return nil }
        return String(Substring(bytes.dropFirst(prefix.utf8.count)))
    }

    private static func checked(_ bytes: Substring.UTF8View) throws(Refusal) -> String {
        if bytes.isEmpty {
            throw Refusal(reason: "it has an empty component (a leading '/' or '//')")
        }
        if bytes.elementsEqual(".".utf8) || bytes.elementsEqual("..".utf8) {
            throw Refusal(reason: "it has a '\(String(Substring(bytes)))' component")
        }
        if bytes.contains(0) { throw Refusal(reason: "it contains a NUL byte") }
        if bytes.contains(UInt8(ascii: "/")) { throw Refusal(reason: "a single component holds a '/'") }
        if bytes.count > nameMax {
            throw Refusal(reason: "a component is \(bytes.count) bytes long, more than a file name can be (\(nameMax))")
        }
        // Split at the ASCII byte '/', the pieces of valid UTF-8 are valid UTF-8: exact bytes.
        return String(Substring(bytes))
    }

    /// Makes the folders leading to this path (and the path itself for a folder), walking
    /// down from the target folder one component at a time with `openat`/`mkdirat` and
    /// `O_NOFOLLOW`, so that an existing symbolic link below the target folder is refused,
    /// never followed out of it. The file itself is later renamed into place, which
    /// replaces a link there rather than writing through it.
    ///
    /// A process that swaps a checked folder for a link between this walk and the write
    /// is not guarded against: that needs local write access to the target folder.
    func createFolders() throws(Refusal) {
        var fd = Self.openFolder(folder)
        if fd < 0, errno == ENOENT {
            try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            fd = Self.openFolder(folder)
        }
        guard fd >= 0 else { throw Refusal(reason: "cannot open the folder '\(folder)': \(Self.lastError())") }
        var walked = folder == "/" ? "" : folder
        for component in isFolder ? components : components.dropLast() {
            walked += "/" + component
            if mkdirat(fd, component, 0o777) != 0, errno != EEXIST {
                let error = Self.lastError()
                close(fd)
                throw Refusal(reason: "cannot create the folder '\(walked)': \(error)")
            }
            let next = openat(fd, component, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            let code = errno
            close(fd)
            guard next >= 0 else {
                if code == ELOOP || code == ENOTDIR {
                    throw Refusal(reason: "'\(walked)' is a symbolic link or a file, not a folder; it is not followed")
                }
                throw Refusal(reason: "cannot open the folder '\(walked)': \(String(cString: strerror(code)))")
            }
            fd = next
        }
        close(fd)
    }

    private static func openFolder(_ path: String) -> Int32 {
        open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    }

    private static func lastError() -> String { String(cString: strerror(errno)) }
}
