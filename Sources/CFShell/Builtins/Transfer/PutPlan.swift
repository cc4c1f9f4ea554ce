import CloudFiles
import Foundation

/// What `put` sends where, decided from plain values: the operands, the local files found
/// for them and the remote target. No network, no file system: `PutRunner` reads the disk
/// and the cluster, and does what the plan says.
struct PutPlan: Sendable, Equatable {
    /// Where the files go: the last of two or more operands, else the remote working folder.
    struct Target: Sendable, Equatable {
        var container: String
        /// The object name, or the prefix of a pseudo-folder (empty for the container itself).
        var name: String
        /// The destination as written, for messages; empty when none was given.
        var text: String
        /// Files go below it under their own names (a container or a pseudo-folder),
        /// rather than becoming it: a name ending in `/` that is not an exact object.
        var isFolder: Bool

        /// Splits `operands` into the local sources and the target, resolved against `remoteDirectory`.
        static func split(
            _ operands: [Argument], from remoteDirectory: RemotePath
        ) throws(ShellError) -> (sources: [Argument], target: Target) {
            var sources = operands
            var destination = remoteDirectory
            var text = ""
            var isObject = false
            if sources.count >= 2 {
                let last = sources.removeLast()
                if last.pattern != nil { throw ShellError.usage("the destination '\(last.text)' cannot be a pattern") }
                text = last.text
                destination = try last.remotePath(from: remoteDirectory)
                if last.exact?.isObject == true { isObject = true }
            }
            guard let container = destination.container else {
                throw ShellError.usage(
                    "put needs a container: give a REMOTE such as 'backups/' as the last operand, or 'cd' into one")
            }
            let target = Target(
                container: container, name: destination.name, text: text, isFolder: destination.isFolder && !isObject)
            return (sources, target)
        }

        /// Refuses the local folder `shown` when it cannot go up: without `-r`, or to a single object.
        /// The runner asks before walking the folder, so that a refused one is never read.
        func admitFolder(_ shown: String, recursive: Bool) throws(ShellError) {
            guard recursive else { throw ShellError.failure("'\(shown)' is a folder; 'put -r' uploads folders") }
            guard isFolder else {
                throw ShellError.usage("a folder goes into a pseudo-folder or a container: end '\(text)' with '/'")
            }
        }
    }

    /// One local operand as found on disk (a glob gives one per match).
    struct LocalSource: Sendable, Equatable {
        /// As written, or as the glob matched it: the start of the labels.
        var shown: String
        /// The absolute path, without a trailing `/` (except for `/` itself).
        var absolute: String
        /// `nil` for a file; for a folder, the files below it as sorted relative paths.
        var files: [String]?
        /// A folder written with a trailing `/` (not a glob's match): its contents go up,
        /// without the folder's own name, as rsync reads `data/`.
        var contentsOnly = false
    }

    /// One file to upload.
    struct Item: Sendable, Equatable {
        var local: String
        /// The object name in the target's container.
        var name: String
        /// What to print for it: `label -> remote`.
        var label: String
    }

    var target: Target
    /// In the order of the operands, a folder's files sorted.
    var items: [Item]

    /// Each file of `sources` to an object: below a folder target under its base name (a
    /// folder's files under the folder's name and their relative paths, or under their
    /// relative paths alone for `data/`), else as the target.
    init(target: Target, sources: [LocalSource], recursive: Bool) throws(ShellError) {
        self.target = target
        var items: [Item] = []
        for source in sources {
            let base = URL(fileURLWithPath: source.absolute, isDirectory: source.files != nil).lastPathComponent
            if let files = source.files {
                try target.admitFolder(source.shown, recursive: recursive)
                for relative in files {
                    let label = source.shown.hasSuffix("/") ? source.shown + relative : source.shown + "/" + relative
                    items.append(
                        Item(
                            local: source.absolute + "/" + relative,
                            name: target.name + (source.contentsOnly ? "" : base + "/") + relative,
                            label: label))
                }
            } else {
                let name = target.isFolder ? target.name + base : target.name
                items.append(Item(local: source.absolute, name: name, label: source.shown))
            }
        }
        if !target.isFolder && items.count > 1 {
            throw ShellError.usage("\(items.count) files need a destination folder: end '\(target.text)' with '/'")
        }
        self.items = items
    }

    /// One file with its size, and how it goes up.
    struct Upload: Sendable, Equatable {
        var item: Item
        var size: Int64
        var method: UploadMethod
    }

    /// The items with their `sizes` (in order), each sent whole or in segments as
    /// `limits` and the segment size asked for (`--segment-size`, `set segment-size`) decide.
    func uploads(sizes: [Int64], limits: UploadLimits, segmentSize: Int64?) -> [Upload] {
        zip(items, sizes).map { item, size in
            Upload(item: item, size: size, method: limits.method(for: size, asked: segmentSize))
        }
    }

    /// Whether to read what the container holds before sending: for `--skip-identical`, and to
    /// find the large objects that plain files replace (whose segments then go too), unless
    /// `--leave-segments` keeps them or the container is empty.
    static func readsExisting(_ flags: TransferFlags, objectsThere: Int64) -> Bool {
        flags.skipIdentical || (!flags.leaveSegments && objectsThere > 0)
    }

    /// Whether a file sent whole over the object `existing` (from a listing or a HEAD) must
    /// then delete that object's old segments.
    static func replacesLargeObject(_ existing: ObjectRecord?, leaveSegments: Bool) -> Bool {
        !leaveSegments && existing.map(\.mayBeLargeObject) == true
    }

    /// The prefix one listing needs to see every name of `names`: their longest common
    /// prefix, `nil` when they share none.
    static func listingPrefix(of names: [String]) -> String? {
        guard let first = names.first else { return nil }
        // By Unicode scalars, never Characters: names are bytes, and a prefix cut by canonical
        // equivalence would leave out a name spelt in another normalisation form.
        var prefix = Array(first.unicodeScalars)
        for name in names.dropFirst() {
            let scalars = Array(name.unicodeScalars)
            var count = 0
            while count < min(prefix.count, scalars.count) && prefix[count] == scalars[count] { count += 1 }
            prefix.removeLast(prefix.count - count)
            if prefix.isEmpty { break }
        }
        var text = ""
        text.unicodeScalars.append(contentsOf: prefix)
        return text.isEmpty ? nil : text
    }
}

/// How one file goes up.
enum UploadMethod: Sendable, Equatable {
    /// In one request.
    case whole
    /// As a large object of segments of `segmentSize` bytes, sent in parallel and resumable.
    case segmented(segmentSize: Int64, manifest: LargeObjectOptions.ManifestKind)
}

/// What the cluster allows for uploads, from `/info`.
struct UploadLimits: Sendable, Equatable {
    var maxFileSize: Int64
    var hasStaticLargeObjects: Bool
    var maxSegments: Int

    /// The segment size for a file of `size` bytes, or `nil` to send it whole: the size
    /// asked for when the file is larger, and always segments past `max_file_size`.
    func segmentSize(for size: Int64, asked: Int64?) -> Int64? {
        if let asked, size > asked { return asked }
        if size > maxFileSize { return min(maxFileSize, 1 << 30) }
        return nil
    }

    /// How a file of `size` bytes goes up: whole, or in segments under a static manifest
    /// where the cluster has them, else a dynamic one.
    func method(for size: Int64, asked: Int64?) -> UploadMethod {
        guard let segmentSize = segmentSize(for: size, asked: asked) else { return .whole }
        return .segmented(segmentSize: segmentSize, manifest: hasStaticLargeObjects ? .static : .dynamic)
    }
}
