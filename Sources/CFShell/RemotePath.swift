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
    var isFolder: Bool { container == nil || name.isEmpty || name.hasSuffix("/") }

    /// The absolute form, `/container/name`, as `pwd` shows it.
    var description: String {
        guard let container else { return "/" }
        return name.isEmpty ? "/" + container : "/" + container + "/" + name
    }

    /// The last component: the object's base name, the folder's name, or the container's.
    var lastComponent: String {
        guard let container else { return "" }
        if name.isEmpty { return container }
        var trimmed = Substring(name)
        while trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        return String(trimmed.split(separator: "/", omittingEmptySubsequences: false).last ?? trimmed)
    }

    /// The same place as a folder: `c/a` becomes `c/a/`.
    var asFolder: RemotePath {
        guard container != nil, !name.isEmpty, !name.hasSuffix("/") else { return self }
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
        var components = full.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
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
        if base.container == container, name.hasPrefix(base.name), name.count > base.name.count {
            return String(name.dropFirst(base.name.count))
        }
        return description
    }
}
