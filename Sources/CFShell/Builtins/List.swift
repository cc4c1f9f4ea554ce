import CFShellLanguage
import CloudFiles
import Foundation

/// One line of `ls` output: how it is shown, and the exact path it stands for.
enum ListItem: Sendable {
    case container(ContainerRecord)
    case object(ObjectRecord, path: String, exact: RemotePath)
    case folder(path: String, exact: RemotePath)
    /// A container a glob matched, whose totals are not known yet.
    case missingContainerDetails(container: String, path: String)

    var path: String {
        switch self {
        case .container(let record): record.name
        case .object(_, let path, _), .folder(let path, _), .missingContainerDetails(_, let path): path
        }
    }

    /// What `$(ls …)` hands on: the object, pseudo-folder or container itself.
    var exact: ExactPath {
        switch self {
        case .container(let record): ExactPath(path: RemotePath(container: record.name), isObject: false)
        case .object(_, _, let exact): ExactPath(path: exact, isObject: true)
        case .folder(_, let exact): ExactPath(path: exact, isObject: false)
        case .missingContainerDetails(let container, _):
            ExactPath(path: RemotePath(container: container), isObject: false)
        }
    }

    /// The item as `ls --json` prints it.
    var json: JSONValue {
        switch self {
        case .container(let record):
            return .object([
                ("path", .string(record.name)), ("type", .string("container")), ("name", .string(record.name)),
                ("objects", .int(record.objectCount)), ("bytes", .int(record.bytesUsed)),
                ("last_modified", Format.isoDate(record.lastModified)),
            ])
        case .object(let record, let path, _):
            var fields: [(String, JSONValue)] = [
                ("path", .string(path)), ("type", .string("object")), ("name", .string(record.name)),
                ("bytes", .int(record.bytes)), ("hash", .string(record.hash)),
                ("content_type", .string(record.contentType)), ("last_modified", Format.isoDate(record.lastModified)),
            ]
            if record.isSymlink {
                let target = record.symlinkTarget
                fields.append(
                    (
                        "symlink_target",
                        .optional(target.map { RemotePath(container: $0.container, name: $0.name).description })
                    ))
                fields.append(("symlink_account", .optional(target?.account)))
            }
            return .object(fields)
        case .folder(let path, _):
            return .object([("path", .string(path)), ("type", .string("folder"))])
        case .missingContainerDetails(let container, let path):
            return .object([("path", .string(path)), ("type", .string("container")), ("name", .string(container))])
        }
    }
}

/// `ls`: list containers, or the objects and pseudo-folders in a container.
enum List: Builtin {
    static let spec = CommandSpec(
        "ls", "[-l] [-h] [-r] [--json] [PATH…]",
        summary: "List containers, or the objects and pseudo-folders in a container.",
        details: """
            At the account root, ls lists containers. In a container it lists one level: objects, and \
            pseudo-folders with a trailing '/'. A PATH naming an object lists that object. Globs \
            (*, ?, […]) match one level. Paths are printed so they can be typed back: relative to the \
            working folder, or absolute when they lie outside it.

            The time -l shows is the file's: the X-Object-Meta-Mtime that cfsh, swift and rclone \
            store, else the upload time. A listing carries only the upload time, so -l reads each \
            object's mtime with a HEAD ('set parallel' at a time); --upload-time shows the upload \
            time from the listing, with no HEAD. --older-than and --newer-than list only the objects \
            of that age (by the same time), leaving out pseudo-folders and containers.
            """,
        options: [
            CommandSpec.Option("-l", "--long", help: "size, date and content type (containers: objects and bytes)"),
            CommonOptions.human,
            CommandSpec.Option("-r", "--recursive", help: "every object below, not only one level"),
            CommonOptions.json,
        ] + ObjectFilter.ageOptions + [Versions.listOption],
        examples: ["ls -lh /backups/2024/", "ls -r logs/ --json", "ls -r --older-than 7d /backups/"])

    static func completion(at position: Int) -> CompletionSlots.Slot {
        .remote(.any)
    }

    /// Lists as the pages arrive: names and JSON print item by item, so memory stays flat
    /// however long the listing and the first page shows at once; `-l` aligns its columns
    /// over the first ``ListingPrinter/alignmentWindow`` rows of each operand.
    static func run(_ arguments: ParsedArguments<Argument>, in shell: isolated Shell) async throws {
        if arguments.has("--versions") { return try await Versions.list(arguments, in: shell) }
        let client = try await shell.connectedClient()
        let recursive = arguments.has("-r")
        let details = arguments.has("-l") || arguments.has("--json")
        let printer = ListingPrinter(
            style: arguments.has("--json") ? .json : arguments.has("-l") ? .long(human: arguments.has("-h")) : .names,
            output: shell.stdout, ownAccount: try? await client.storageURL().lastPathComponent)
        let filter = try ObjectFilter.read(arguments)
        if filter != nil && !recursive && arguments.operands.isEmpty && shell.remoteDirectory.isRoot {
            throw ShellError.usage("the age filters select objects: at the account root, add -r to list every object")
        }
        let sink = ListingSink(
            printer: printer, details: details, client: client, filter: filter,
            showsFileTimes: arguments.has("-l") && !arguments.has("--json") && !arguments.has("--upload-time"),
            parallel: shell.settings.parallel)
        let operands: [Argument?] = arguments.operands.isEmpty ? [nil] : arguments.operands
        for operand in operands {
            // The rows of the operand before, with their file times.
            try await sink.flush()
            defer { sink.endGroup() }
            let written = operand?.text ?? ""
            if let operand, let pattern = operand.pattern {
                let matches = try await shell.expandRemoteGlob(pattern, written: written)
                // For JSON a glob is a question, and no match the answer `[]`.
                if matches.isEmpty && !arguments.has("--json") {
                    guard shell.settings.noMatchIsError else { continue }
                    throw ShellError.failure("nothing matches '\(written)'")
                }
                for match in matches {
                    if recursive && match.object == nil {
                        try await listContents(
                            of: match.path, written: match.display, recursive: true, sink: sink, in: shell)
                    } else if let record = match.object {
                        try await emit(sink, .object(record, path: match.display, exact: match.path), in: shell)
                    } else if let container = match.path.container, match.path.name.isEmpty {
                        try await emit(
                            sink, .missingContainerDetails(container: container, path: match.display), in: shell)
                    } else {
                        try await emit(sink, .folder(path: match.display, exact: match.path), in: shell)
                    }
                }
                continue
            }
            let path = try operand?.remotePath(from: shell.remoteDirectory) ?? shell.remoteDirectory
            if let exact = operand?.exact, exact.isObject {
                // Exactly that object, even when its name ends in '/' or names a folder too.
                guard let record = try await objectRecord(path, client: client) else {
                    throw ShellError.failure("no object \(Names.quoted(written))")
                }
                try await emit(sink, .object(record, path: written, exact: path), in: shell)
                continue
            }
            do {
                if try operand?.isFolder(from: shell.remoteDirectory) ?? true {
                    let listed = try await listContents(
                        of: path, written: written, recursive: recursive, sink: sink, in: shell)
                    if listed.count == 0 {
                        try await nothingListed(
                            path, empty: listed.marker || operand == nil || path.name.isEmpty,
                            recursive: recursive, printer: printer, in: shell)
                    }
                    continue
                }
                // `c/name`: a pseudo-folder if anything is below `name/`, else the object itself.
                let folder = path.asFolder
                let listed = try await listContents(
                    of: folder, written: written + "/", recursive: recursive, sink: sink, in: shell)
                if listed.count == 0 {
                    if let record = try await objectRecord(path, client: client) {
                        try await emit(
                            sink, .object(record, path: shell.display(path, written: written), exact: path), in: shell)
                    } else {
                        try await nothingListed(
                            path, empty: listed.marker, recursive: recursive, printer: printer, in: shell)
                    }
                }
            } catch let error as CloudFilesError where error == .notFound {
                // The container is missing: say which, and what is close.
                throw error.with(message: await shell.missingMessage(path))
            }
        }
        try await sink.flush()
        printer.finish()
    }

    /// After an operand that listed nothing: an existing container, an empty pseudo-folder
    /// (a directory marker) or the working folder is empty, which a terminal is told;
    /// anything else matches nothing, an error unless `set nomatch ok`.
    private static func nothingListed(
        _ path: RemotePath, empty: Bool, recursive: Bool, printer: ListingPrinter, in shell: isolated Shell
    ) async throws {
        if empty || path.container == nil {
            guard shell.stdout.isTerminal, printer.printsNotes else { return }
            shell.stdout.line(path.container == nil && !recursive ? "(no containers)" : "(no objects)")
            return
        }
        guard shell.settings.noMatchIsError else { return }
        throw ShellError.failure(await shell.missingMessage(path))
    }

    /// Prints one item; a container that a glob matched gets its totals first, when shown.
    private static func emit(_ sink: ListingSink, _ item: ListItem, in shell: isolated Shell) async throws {
        if case .missingContainerDetails(let container, let shown) = item, sink.details, sink.filter == nil {
            let info = try await sink.client.containerInfo(container)
            sink.printer.add(
                .container(ContainerRecord(name: shown, objectCount: info.objectCount, bytesUsed: info.bytesUsed)))
        } else {
            try await sink.add(item)
        }
    }

    /// The listing record of exactly this object, or `nil`.
    private static func objectRecord(_ path: RemotePath, client: CloudFilesClient) async throws -> ObjectRecord? {
        guard let container = path.container else { return nil }
        let listing = client.listObjects(in: container, ObjectListingOptions(prefix: path.name, delimiter: "/"))
        for try await entry in listing {
            if case .object(let record) = entry, record.name.utf8.elementsEqual(path.name.utf8) { return record }
            if entry.name > path.name + "/" { break }
        }
        return nil
    }

    /// What is inside the root, a container or a prefix, handed to `emit` page by page as it
    /// arrives: one level, or everything below with `recursive`.
    /// - Returns: how many items were emitted, and whether a directory marker for the
    ///   prefix itself was seen (an empty pseudo-folder that exists).
    @discardableResult
    private static func listContents(
        of path: RemotePath, written: String, recursive: Bool, sink: ListingSink, in shell: isolated Shell
    ) async throws -> (count: Int, marker: Bool) {
        let client = sink.client
        func shown(_ container: String, _ name: String) -> String {
            let target = RemotePath(container: container, name: name)
            return written.hasPrefix("/") ? target.description : target.display(relativeTo: shell.remoteDirectory)
        }
        var count = 0
        guard let container = path.container else {
            for try await record in client.listContainers() {
                if recursive {
                    count += try await listContents(
                        of: RemotePath(container: record.name),
                        written: written.hasPrefix("/") ? "/" + record.name : record.name,
                        recursive: true, sink: sink, in: shell
                    ).count
                } else {
                    try await emit(sink, .container(record), in: shell)
                    count += 1
                }
            }
            return (count, false)
        }
        var options = ObjectListingOptions(prefix: nonEmpty(path.name))
        if !recursive { options.delimiter = "/" }
        var marker = false
        for try await entry in client.listObjects(in: container, options) {
            switch entry {
            case .object(let record):
                // A directory marker for the prefix itself is the folder, not an entry in it.
                if record.name == path.name {
                    marker = true
                    continue
                }
                try await emit(
                    sink,
                    .object(
                        record, path: shown(container, record.name),
                        exact: RemotePath(container: container, name: record.name)),
                    in: shell)
            case .subdirectory(let prefix):
                try await emit(
                    sink,
                    .folder(path: shown(container, prefix), exact: RemotePath(container: container, name: prefix)),
                    in: shell)
            }
            count += 1
        }
        return (count, marker)
    }
}

/// Where `ls` sends what it lists: the age filters, and the file times `-l` shows, applied
/// on the way to the printer. Objects whose time needs a `HEAD` wait in a batch of at most
/// ``batchSize`` items, read `parallel` at a time, then go out in listing order.
final class ListingSink {
    let printer: ListingPrinter
    /// Whether containers need their totals (`-l`, `--json`).
    let details: Bool
    let client: CloudFilesClient
    /// `--older-than`, `--newer-than`: only objects, of that age.
    let filter: ObjectFilter?
    /// Whether `-l` shows objects' `X-Object-Meta-Mtime` (not with `--upload-time`).
    let showsFileTimes: Bool
    /// Whether that mtime is read: for `-l`, or for an age filter without `--upload-time`.
    let readsFileTimes: Bool
    let parallel: Int

    /// Items held for their file times; `nil` marks the end of an operand's group.
    private var pending: [ListItem?] = []
    private var pendingObjects = 0
    static let batchSize = 256

    init(
        printer: ListingPrinter, details: Bool, client: CloudFilesClient, filter: ObjectFilter?, showsFileTimes: Bool,
        parallel: Int
    ) {
        self.printer = printer
        self.details = details
        self.client = client
        self.filter = filter
        self.showsFileTimes = showsFileTimes
        self.readsFileTimes = showsFileTimes || filter?.readsFileTimes == true
        self.parallel = parallel
    }

    func add(_ item: ListItem, isolation: isolated (any Actor)? = #isolation) async throws {
        if let filter {
            // Pseudo-folders and containers have no time of their own: a filter lists objects.
            guard case .object(let record, _, _) = item, filter.matchesListing(record) else { return }
        }
        guard readsFileTimes, case .object = item else {
            if pending.isEmpty { printer.add(item) } else { pending.append(item) }
            return
        }
        pending.append(item)
        pendingObjects += 1
        if pendingObjects >= Self.batchSize { try await flush() }
    }

    /// Ends an operand: the printer's group ends once the items held before it are out.
    func endGroup() {
        if pending.isEmpty { printer.endGroup() } else { pending.append(nil) }
    }

    /// Reads the held objects' file times, then prints what passes, in order.
    func flush(isolation: isolated (any Actor)? = #isolation) async throws {
        guard !pending.isEmpty else { return }
        let held = pending
        pending = []
        pendingObjects = 0
        var paths: [ObjectPath] = []
        var fallback: [Date?] = []
        for case .object(let record, _, let exact)? in held {
            paths.append(ObjectPath(container: exact.container ?? "", name: exact.name))
            fallback.append(record.lastModified)
        }
        let times = try await FileTimes.read(paths, fallback: fallback, client: client, parallel: parallel)
        var next = 0
        for item in held {
            guard let item else {
                printer.endGroup()
                continue
            }
            guard case .object(var record, let path, let exact) = item else {
                printer.add(item)
                continue
            }
            let time = times[next].time
            next += 1
            if let filter, !filter.matchesAge(time) { continue }
            // -l shows the file's time; --json keeps last_modified the upload time.
            if showsFileTimes { record.lastModified = time }
            printer.add(.object(record, path: path, exact: exact))
        }
    }
}

/// Writes `ls` output item by item. Names and JSON go out at once; `-l` holds the first
/// ``alignmentWindow`` rows of an operand to size its columns, then prints the rest with
/// those widths as they come, so a listing of any length needs bounded memory.
final class ListingPrinter {
    enum Style {
        case names
        case long(human: Bool)
        case json
    }

    /// Rows of one operand that `-l` measures before printing (one server page).
    static let alignmentWindow = 10_000

    private let style: Style
    private let output: OutputChannel
    private var held: [ListItem] = []
    private var widths: [Int]?
    private var rightAligned: Set<Int> = []
    private var jsonItems = 0

    /// Whether a terminal may be told of an empty listing (not in JSON).
    var printsNotes: Bool {
        if case .json = style { return false }
        return true
    }

    /// The account listed, so that `-l` names another account a link points into.
    private let ownAccount: String?

    init(style: Style, output: OutputChannel, ownAccount: String? = nil) {
        self.style = style
        self.output = output
        self.ownAccount = ownAccount
    }

    func add(_ item: ListItem) {
        switch style {
        case .names:
            output.item(item.path, exact: item.exact)
        case .json:
            output.write((jsonItems == 0 ? "[\n  " : ",\n  ") + item.json.pretty(indent: "  "))
            jsonItems += 1
        case .long(let human):
            if let widths {
                output.line(Format.row(cells(item, human: human), widths: widths, rightAligned: rightAligned))
            } else {
                held.append(item)
                if held.count >= Self.alignmentWindow { printHeld(human: human) }
            }
        }
    }

    /// Ends one operand: `-l` sizes the next operand's columns afresh.
    func endGroup() {
        if case .long(let human) = style { printHeld(human: human) }
        widths = nil
    }

    /// Ends the output (closes the JSON array).
    func finish() {
        if case .json = style { output.line(jsonItems == 0 ? "[]" : "\n]") }
    }

    private func printHeld(human: Bool) {
        guard !held.isEmpty else { return }
        let rows = held.map { cells($0, human: human) }
        let containers = held.allSatisfy { if case .container = $0 { true } else { false } }
        rightAligned = containers ? [0, 1] : [0]
        let widths = Format.columnWidths(rows)
        for row in rows { output.line(Format.row(row, widths: widths, rightAligned: rightAligned)) }
        self.widths = widths
        held = []
    }

    /// The columns of one `-l` row; names and content types escaped on a terminal.
    private func cells(_ item: ListItem, human: Bool) -> [String] {
        Self.cells(item, human: human, ownAccount: ownAccount).map(output.shown)
    }

    private static func cells(_ item: ListItem, human: Bool, ownAccount: String?) -> [String] {
        switch item {
        case .container(let record):
            return [
                String(record.objectCount), Format.size(record.bytesUsed, human: human),
                Format.date(record.lastModified), record.name,
            ]
        case .object(let record, let path, _):
            // A link as `ls -l` shows one: `name -> /container/object`.
            let shown =
                record.isSymlink ? path + " -> " + Link.display(record.symlinkTarget, ownAccount: ownAccount) : path
            return [
                Format.size(record.bytes, human: human), Format.date(record.lastModified), record.contentType, shown,
            ]
        case .folder(let path, _):
            return ["-", "-", "-", path]
        case .missingContainerDetails(_, let name):
            return ["-", "-", "-", name]
        }
    }
}
