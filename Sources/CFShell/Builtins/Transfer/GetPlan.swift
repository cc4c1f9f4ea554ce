import CloudFiles
import Foundation

/// What `get` writes where, decided from plain values: the remote paths the operands name,
/// the listings of the folders among them, and the local target. No network, no file
/// system: `GetRunner` lists and probes the cluster, feeds the answers in as they come
/// (a listing is never held whole), and downloads what the plan says.
struct GetPlan: Sendable, Equatable {
    /// Where objects go: the last of two or more operands, else the local working folder.
    struct Target: Sendable, Equatable {
        /// As written; `nil` when no LOCAL was given.
        var text: String?
        /// The absolute path, with the `/` it was written with.
        var path: String
        /// Objects go below it under their own names, rather than becoming it: no LOCAL
        /// given, a LOCAL ending in `/`, one that is an existing folder, or any LOCAL of a
        /// `get -r` or of a glob, whatever the count of objects they find (0, 1 or many).
        var isFolder: Bool
        /// `path` without its trailing `/`: what server names are checked below.
        var folder: String

        /// `isFolderByForm`: `-r` was given, or an operand is a glob, so that the layout
        /// never depends on how many objects the server holds.
        init(text: String?, path: String, isExistingFolder: Bool, isFolderByForm: Bool = false) {
            self.text = text
            self.path = path
            isFolder = text == nil || text?.hasSuffix("/") == true || isExistingFolder || isFolderByForm
            folder = path.hasSuffix("/") ? String(path.dropLast()) : path
        }

        /// Splits `operands` into the remote sources and the LOCAL as written (the last of two or more).
        static func split(_ operands: [Argument]) throws(ShellError) -> (sources: [Argument], text: String?) {
            var sources = operands
            guard sources.count >= 2 else { return (sources, nil) }
            let last = sources.removeLast()
            if last.pattern != nil { throw ShellError.usage("the destination '\(last.text)' cannot be a pattern") }
            return (sources, last.text)
        }
    }

    /// One object to download, or one folder to make.
    struct Item: Sendable, Equatable {
        var local: String
        var container: String
        var name: String
        /// What to print for it: `label -> local`.
        var label: String
        /// A directory marker: make the folder instead of downloading.
        var isFolder = false
        /// The listing record of the object to download, when a listing found it.
        var record: ObjectRecord?
        /// For a name the server chose: `local`, checked, with the folders to make. `nil` for
        /// a file name the user typed, whose folders are theirs to name.
        var target: SafeLocalPath?
    }

    /// An object whose name cannot be written safely below the target folder.
    struct Refusal: Sendable, Equatable {
        /// The remote path as shown.
        var shown: String
        var reason: String
    }

    /// A container or pseudo-folder that `get -r` downloads: what its listing's names are below.
    struct Folder: Sendable, Equatable {
        var container: String
        /// The prefix to list, ending in `/`; empty for the whole container.
        var prefix: String
        /// The first component below the target folder: the pseudo-folder's own last
        /// component, or the container's name. Checked like the rest: a glob can match a
        /// pseudo-folder named `../`. `nil` for the contents form (`c/` or `c/prefix/`
        /// written with its `/`, as rsync reads a source): the objects go straight below
        /// the target folder.
        var root: String?
    }

    var target: Target
    /// The remote working folder, which listed objects are shown relative to.
    var remoteDirectory: RemotePath
    /// In the order of the operands and of each listing.
    var items: [Item] = []
    var refused: [Refusal] = []
    /// The folders `-r` makes even when their listing is empty: each container's or
    /// pseudo-folder's own below the target, so that an empty one still has its place.
    var folders: [SafeLocalPath] = []

    init(target: Target, remoteDirectory: RemotePath) {
        self.target = target
        self.remoteDirectory = remoteDirectory
    }

    /// Whether the runner must ask the server if `path` is an object: with `-r`, a name no
    /// listing gave as an object may be a pseudo-folder written without its `/` (then it
    /// goes on as `path.asFolder`). Refuses the account root.
    static func needsObjectCheck(_ path: RemotePath, listed: Bool, recursive: Bool) throws(ShellError) -> Bool {
        _ = try container(of: path)
        return recursive && !path.isFolder && !listed
    }

    private static func container(of path: RemotePath) throws(ShellError) -> String {
        guard let container = path.container else {
            throw ShellError.usage("get needs a container, a pseudo-folder or an object, not the account root")
        }
        return container
    }

    /// Takes in what one operand or glob match names, shown as `display`; `record` when a
    /// listing gave it as an object. An object becomes an item: the target file itself, or
    /// its last name component below a target folder (refused when unsafe). A folder, which
    /// needs `-r`, is returned for the runner to list into `add(_:in:)`: below the target
    /// under its own name, or, with `contentsOnly` (an operand written ending in `/`, never
    /// a glob's match), its contents straight below the target.
    mutating func add(
        _ path: RemotePath, display: String, record: ObjectRecord?, recursive: Bool, contentsOnly: Bool = false
    ) throws(ShellError) -> Folder? {
        let container = try Self.container(of: path)
        if path.isFolder {
            guard recursive else {
                throw ShellError.failure(
                    "'\(display)' is \(Shell.describeFolder(path)); 'get -r' downloads everything in it")
            }
            if contentsOnly { return Folder(container: container, prefix: path.name, root: nil) }
            let root = path.name.isEmpty ? container : SafeLocalPath.lastComponent(of: path.name)
            if let own = try? SafeLocalPath(folder: target.folder, leading: [root], relative: "") {
                folders.append(own)
            }
            return Folder(container: container, prefix: path.name, root: root)
        }
        var item = Item(local: target.path, container: container, name: path.name, label: display, record: record)
        if target.isFolder {
            do {
                let local = try SafeLocalPath(
                    folder: target.folder, relative: SafeLocalPath.lastComponent(of: path.name))
                item.local = local.path
                item.target = local
            } catch {
                refused.append(Refusal(shown: display, reason: error.reason))
                return nil
            }
        }
        items.append(item)
        return nil
    }

    /// Takes in one object of `folder`'s listing: an item at its name below the folder's
    /// root (a zero-byte directory marker becomes a folder to make), or a refusal when the
    /// name cannot be written safely. The prefix's own marker is skipped.
    mutating func add(_ record: ObjectRecord, in folder: Folder) {
        guard let relative = SafeLocalPath.dropPrefix(folder.prefix, of: record.name), !relative.isEmpty else { return }
        let shown = RemotePath(container: folder.container, name: record.name).display(relativeTo: remoteDirectory)
        var local: SafeLocalPath
        do {
            local = try SafeLocalPath(
                folder: target.folder, leading: folder.root.map { [$0] } ?? [], relative: relative)
        } catch {
            refused.append(Refusal(shown: shown, reason: error.reason))
            return
        }
        if record.isDirectoryMarker && record.bytes == 0 { local.isFolder = true }
        items.append(
            Item(
                local: local.path, container: folder.container, name: record.name, label: shown,
                isFolder: local.isFolder, record: record, target: local))
    }

    /// Once every operand is in: two different objects must not be written to one local
    /// path (`get c/a/x.sql c/b/x.sql out/`, or `c/**/*.sql`, match by base name): the first
    /// keeps it, each later one is refused, so nothing downloaded is silently overwritten
    /// by another. The same object named twice is downloaded once. Paths compare as bytes.
    mutating func refuseCollisions() {
        var owners: [[UInt8]: Item] = [:]
        var kept: [Item] = []
        for item in items {
            let key = Array(item.local.utf8)
            guard let owner = owners[key] else {
                owners[key] = item
                kept.append(item)
                continue
            }
            let same =
                owner.container.utf8.elementsEqual(item.container.utf8) && owner.name.utf8.elementsEqual(item.name.utf8)
            if same || (item.isFolder && owner.isFolder) { continue }
            refused.append(
                Refusal(
                    shown: item.label,
                    reason: "'\(owner.label)' is written to the same local path '\(item.local)'"))
        }
        items = kept
    }

    /// Once every operand is in: several objects need a target folder (only plain
    /// operands get here: with `-r` or a glob the target is always a folder).
    func checkTarget() throws(ShellError) {
        if !target.isFolder && items.count > 1 {
            throw ShellError.usage("\(items.count) objects need a local folder: end '\(target.text ?? "")' with '/'")
        }
    }

    /// The sum of the objects' sizes for the progress line, when listings gave every one.
    var totalBytes: Int64? {
        let known = items.compactMap { $0.record?.bytes }
        return known.count == items.count ? WireNumber.sum(known) : nil
    }

    /// One line on standard error for each refused object, printed before anything is written.
    var refusalLines: [String] {
        refused.map {
            "get: refusing \(Names.quoted($0.shown)): \(Names.printable($0.reason)); nothing was written for it"
        }
    }

    /// The failure `get` ends with once the rest is written, when objects were refused.
    var refusalError: ShellError? {
        guard !refused.isEmpty else { return nil }
        let count = refused.count
        return ShellError.failure(
            "refused \(count) object\(count == 1 ? "" : "s") whose name\(count == 1 ? "" : "s") cannot be written safely below the target folder"
        )
    }
}
