/// A place in the account: the root, a container, a pseudo-folder (a prefix
/// ending in `/`) or an object.
struct RemotePath: Sendable, Equatable, Hashable, CustomStringConvertible {
    /// `nil` at the account root.
    var container: String?
    /// The object name or prefix inside the container; empty for the container itself.
    var name: String

    static let root = RemotePath(container: nil, name: "")

    init(container: String?, name: String = "") {
        self.container = container
        self.name = container == nil ? "" : name
    }

    var isRoot: Bool { container == nil }
    /// A container, or a prefix ending in `/`: something that holds objects.
    var isFolder: Bool { container == nil || name.isEmpty || name.utf8.last == UInt8(ascii: "/") }

    /// The absolute form, `/container/name`, as `pwd` shows it.
    var description: String {
        guard let container else { return "/" }
        return name.isEmpty ? "/" + container : "/" + container + "/" + name
    }

    /// The last component: the object's base name, the folder's name, or the container's.
    var lastComponent: String {
        guard let container else { return "" }
        if name.isEmpty { return container }
        var trimmed = Substring(name).utf8[...]
        while trimmed.last == UInt8(ascii: "/") { trimmed = trimmed.dropLast() }
        let last = trimmed.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false).last ?? trimmed
        return String(decoding: last, as: UTF8.self)
    }

    /// The same place as a folder: `c/a` becomes `c/a/`.
    var asFolder: RemotePath {
        guard container != nil, !name.isEmpty, name.utf8.last != UInt8(ascii: "/") else { return self }
        return RemotePath(container: container, name: name + "/")
    }

    /// Resolves `text` against the working folder `base`: a leading `/` starts
    /// from the account root; `.` and `..` components move within the path.
    ///
    /// Names are otherwise kept exactly, `//` included, because Swift object
    /// names may contain them.
    static func resolve(_ text: String, from base: RemotePath) -> RemotePath {
        var full: String
        if text.hasPrefix("/") {
            full = String(text.drop { $0 == "/" })
        } else if let container = base.container {
            full = container + "/" + base.name + text
        } else {
            full = text
        }
        // Split on the byte '/': as Characters, a '/' with a combining mark after it is one
        // grapheme and would not separate anything.
        var components = full.utf8.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false)
            .map { String(decoding: $0, as: UTF8.self) }
        if components.contains(where: { $0 == "." || $0 == ".." }) {
            var kept: [String] = []
            for (index, component) in components.enumerated() {
                let isLast = index == components.count - 1
                switch component {
                case ".":
                    if isLast { kept.append("") }
                case "..":
                    if !kept.isEmpty, kept.last == "" && kept.count > 1 { kept.removeLast() }
                    if !kept.isEmpty { kept.removeLast() }
                    if isLast { kept.append("") }
                default:
                    kept.append(component)
                }
            }
            components = kept
        }
        guard let first = components.first, !first.isEmpty else { return .root }
        return RemotePath(container: first, name: components.dropFirst().joined(separator: "/"))
    }

    /// How to show this path to someone working in `base`: relative when it is
    /// below `base`, absolute otherwise, so that it can be typed back as it is.
    func display(relativeTo base: RemotePath) -> String {
        guard let container else { return "/" }
        if base.isRoot { return name.isEmpty ? container : container + "/" + name }
        // Byte-wise: String.hasPrefix compares canonically equivalent text as equal, and the
        // rest would then name a different object.
        if base.container.map({ $0.utf8.elementsEqual(container.utf8) }) == true,
            name.utf8.starts(with: base.name.utf8), name.utf8.count > base.name.utf8.count
        {
            return String(decoding: name.utf8.dropFirst(base.name.utf8.count), as: UTF8.self)
        }
        return description
    }
}

/// A path inside a container: what object requests and listings of a container take.
/// Unlike `RemotePath` it cannot be the account root, so code that holds one needs no
/// `container!`: the check is made once, where the `RemotePath` is turned into it.
struct ObjectPath: Sendable, Equatable, Hashable {
    var container: String
    /// The object name, or a prefix in the container; empty for the container itself.
    var name: String

    var remotePath: RemotePath { RemotePath(container: container, name: name) }
}

extension RemotePath {
    /// The same place as an `ObjectPath`; `nil` at the account root.
    var inContainer: ObjectPath? {
        container.map { ObjectPath(container: $0, name: name) }
    }

    /// The same place as an `ObjectPath`, or `error` at the account root.
    func inContainer(orThrow error: @autoclosure () -> ShellError) throws(ShellError) -> ObjectPath {
        guard let path = inContainer else { throw error() }
        return path
    }
}

/// A remote path exactly as the server named it: from a listing (`$(ls …)`) or a glob's
/// match. It reaches the next command as that object, never parsed again, so nothing in
/// the name (`..`, `.`, a leading `/`, a line break, `*`, a leading `-`) changes what it means.
struct ExactPath: Sendable, Equatable, Hashable {
    var path: RemotePath
    /// An object, even when its name ends in `/` (a directory marker); otherwise a
    /// container or a pseudo-folder.
    var isObject: Bool

    /// The path with `suffix` written after it, as in `$dir/name` or `${f}.bak`: the name
    /// grows by exactly that text (after a container, a leading `/` separates).
    func extended(by suffix: String) -> ExactPath {
        guard let container = path.container, !suffix.isEmpty else { return self }
        var name = path.name
        if name.isEmpty {
            name =
                suffix.utf8.first == UInt8(ascii: "/")
                ? String(decoding: suffix.utf8.dropFirst(), as: UTF8.self) : suffix
        } else {
            name += suffix
        }
        let extended = RemotePath(container: container, name: name)
        return ExactPath(path: extended, isObject: !extended.isFolder)
    }
}

/// One item of a list: a variable's value, an argument before options are read.
struct Value: Sendable, Equatable {
    /// What `echo` prints and what `"…$x…"` joins: the text, or an exact path's display form.
    var text: String
    /// Set when the item came from the server.
    var exact: ExactPath?

    init(_ text: String, exact: ExactPath? = nil) {
        self.text = text
        self.exact = exact
    }
}
