import Foundation

/// Where a typed remote path points, split for a one-level listing: a
/// container prefix at the account, or a container and an object prefix.
struct RemotePathSplit: Equatable {
    /// `nil` while the container name itself is being typed.
    var container: String?
    /// What listed names must start with.
    var prefix: String

    /// - Parameters:
    ///   - typed: the word as typed, quotes removed; relative unless it starts with `/`.
    ///   - folder: the remote working folder, absolute.
    init(typed: String, folder: String) {
        let absolute = typed.hasPrefix("/") ? typed : (folder.hasSuffix("/") ? folder : folder + "/") + typed
        var parts = absolute.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        parts.removeFirst()  // before the leading "/"
        let partial = parts.removeLast()
        var folders: [String] = []
        for part in parts {
            switch part {
            case ".": continue
            case "..": _ = folders.popLast()
            default: folders.append(part)
            }
        }
        // "/a//b" is not a container "a" with "/b" inside: keep only a real container name.
        if let first = folders.first, !first.isEmpty {
            container = first
            prefix = folders.dropFirst().map { $0 + "/" }.joined() + partial
        } else {
            container = nil
            prefix = partial
        }
    }
}

/// Listings made for completion, kept a few seconds so that pressing Tab
/// again, or typing one more letter, does not list again.
final class RemoteNameCache {
    private struct Entry {
        var container: String?
        var prefix: String
        var names: [String]
        /// The listing returned everything under `prefix` (it was not cut at the limit).
        var complete: Bool
        var time: ContinuousClock.Instant
    }

    private var entries: [Entry] = []
    private let lifetime: Duration

    init(lifetime: Duration = .seconds(5)) {
        self.lifetime = lifetime
    }

    func names(container: String?, prefix: String) -> [String]? {
        let now = ContinuousClock.now
        entries.removeAll { now - $0.time > lifetime }
        if let exact = entries.last(where: { $0.container == container && $0.prefix == prefix }) {
            return exact.names
        }
        // A complete listing of a shorter prefix at the same level answers too;
        // one level up does not, since it shows deeper names only as folders.
        let wider = entries.last {
            $0.container == container && $0.complete && prefix.hasPrefix($0.prefix)
                && !prefix.dropFirst($0.prefix.count).contains("/")
        }
        return wider?.names.filter { $0.hasPrefix(prefix) }
    }

    func store(_ names: [String], container: String?, prefix: String, complete: Bool) {
        entries.append(Entry(container: container, prefix: prefix, names: names, complete: complete, time: .now))
        if entries.count > 64 { entries.removeFirst(entries.count - 64) }
    }
}

/// Local files and folders for completion, one folder level at a time.
enum LocalPathLister {
    struct Entry: Equatable {
        /// What to add after the typed text (a folder ends in `/`).
        var tail: String
        var display: String
        var isFolder: Bool
    }

    /// Entries of the folder part of `typed` whose names start with its last part.
    /// Hidden files show only when that part starts with a dot.
    static func entries(typed: String, base: String) -> [Entry] {
        let slash = typed.lastIndex(of: "/")
        let folderPart = slash.map { String(typed[...$0]) } ?? ""
        let partial = slash.map { String(typed[typed.index(after: $0)...]) } ?? typed
        let folder: String
        if folderPart.hasPrefix("/") {
            folder = folderPart
        } else if folderPart.isEmpty {
            folder = base
        } else {
            folder = (base.hasSuffix("/") ? base : base + "/") + folderPart
        }
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return [] }
        return names.filter { $0.hasPrefix(partial) && (partial.hasPrefix(".") || !$0.hasPrefix(".")) }
            .sorted()
            .map { name in
                var isDirectory: ObjCBool = false
                let path = (folder.hasSuffix("/") ? folder : folder + "/") + name
                let isFolder =
                    FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
                    && isDirectory.boolValue
                let suffix = isFolder ? "/" : ""
                return Entry(
                    tail: String(name.dropFirst(partial.count)) + suffix, display: name + suffix, isFolder: isFolder)
            }
    }
}
