import CFShellLanguage
import CloudFiles
import Foundation

/// `find`: the objects below paths that pass the filters, printed as full paths that mean
/// exactly those objects when typed back.
enum Find: Builtin {
    static let spec = CommandSpec(
        "find",
        "[PATH…] [--name GLOB] [--older-than AGE] [--newer-than AGE] [--larger SIZE] [--smaller SIZE] [--json]",
        summary: "Find objects below paths by name, age and size; print their full paths.",
        details: """
            find walks everything below each PATH (a container, a pseudo-folder, an object or a glob; \
            the working folder by default, every container at the account root) and prints each \
            object that passes every filter as a full path, /container/name, one a line, quoted as \
            cfsh reads it back ('my file', "it's"), so a line pasted into cfsh names exactly that \
            object. In $(find …) each item is the object itself. A name that no typed path can \
            name (a '.' or '..' component, a trailing '/') is left out of the text and counted on \
            standard error; --json and $(find …) include it.

            --name matches the base name (after the last '/') with a glob: *, ?, […]; \\ makes a \
            character literal. AGE is a number and a unit, s, m, h, d or w (30m, 12h, 7d, 2w, \
            1d12h). SIZE is bytes or a number with K, M, G or T, powers of 1024 (500k, 10M, 1.5G); \
            --larger and --smaller are strict. Age is measured from the object's time, as ls -l \
            shows it: its X-Object-Meta-Mtime, else its upload time. That costs one HEAD per \
            object the name and size filters let through ('set parallel' at a time); \
            --upload-time uses the listing's upload time, with no HEAD.
            """,
        options: ObjectFilter.allOptions + [CommonOptions.json],
        operands: 0...Int.max)

    static func completion(at position: Int) -> CompletionSlots.Slot {
        .remote(.any)
    }

    static func run(_ arguments: ParsedArguments<Argument>, in shell: isolated Shell) async throws {
        let client = try await shell.connectedClient()
        var filter = try ObjectFilter.read(arguments) ?? ObjectFilter()
        filter.uploadTime = arguments.has("--upload-time")
        let printer = FindPrinter(json: arguments.has("--json"), output: shell.stdout)
        let walker = FindWalker(filter: filter, client: client, parallel: shell.settings.parallel, printer: printer)
        let operands: [Argument?] = arguments.operands.isEmpty ? [nil] : arguments.operands
        for operand in operands {
            let written = operand?.text ?? ""
            if let operand, let pattern = operand.pattern {
                let matches = try await shell.expandRemoteGlob(pattern, written: written)
                if matches.isEmpty { throw ShellError.failure("nothing matches \(Names.quoted(written))") }
                for match in matches {
                    if let record = match.object, let container = match.path.container {
                        try await walker.consider([record], in: container)
                    } else {
                        try await walker.walk(match.path.asFolder)
                    }
                }
                continue
            }
            let path = try operand?.remotePath(from: shell.remoteDirectory) ?? shell.remoteDirectory
            if let exact = operand?.exact, exact.isObject, let container = path.container {
                try await walker.walk(
                    container: container, prefix: path.name, only: { $0.utf8.elementsEqual(path.name.utf8) })
            } else if try operand?.isFolder(from: shell.remoteDirectory) ?? true {
                try await walker.walk(path)
            } else if let container = path.container {
                // `c/name`: the object itself, and everything below `name/`.
                let name = path.name
                let below = Array((name + "/").utf8)
                try await walker.walk(
                    container: container, prefix: name,
                    only: { $0.utf8.elementsEqual(name.utf8) || $0.utf8.starts(with: below) })
            }
        }
        printer.finish(errors: shell.stderr)
    }
}

/// Lists what `find` looks at, page by page, and hands what passes to the printer.
struct FindWalker {
    let filter: ObjectFilter
    let client: CloudFilesClient
    let parallel: Int
    let printer: FindPrinter

    /// Everything below the root, a container or a prefix.
    func walk(_ path: RemotePath) async throws {
        guard let container = path.container else {
            for try await record in client.listContainers() {
                try await walk(container: record.name, prefix: "", only: nil)
            }
            return
        }
        try await walk(container: container, prefix: path.name, only: nil)
    }

    /// The objects of `container` whose names start with `prefix` (and pass `only`).
    func walk(container: String, prefix: String, only: (@Sendable (String) -> Bool)?) async throws {
        let options = ObjectListingOptions(prefix: prefix.isEmpty ? nil : prefix)
        for try await page in client.listObjects(in: container, options).pages {
            let records = page.compactMap { entry -> ObjectRecord? in
                guard case .object(let record) = entry, only?(record.name) ?? true else { return nil }
                return record
            }
            try await consider(records, in: container)
        }
    }

    /// Prints those of `records` that pass the filter.
    func consider(_ records: [ObjectRecord], in container: String) async throws {
        for (record, mtime) in try await filter.selectTimed(records, in: container, client: client, parallel: parallel)
        {
            printer.add(record, in: container, mtime: mtime)
        }
    }
}

/// Writes `find`'s results: quoted full paths, exact items in `$(…)`, or a JSON array.
final class FindPrinter: @unchecked Sendable {
    private let json: Bool
    private let output: OutputChannel
    private var count = 0
    /// Names left out of the text because no typed path names them.
    private var untypeable = 0

    init(json: Bool, output: OutputChannel) {
        self.json = json
        self.output = output
    }

    func add(_ record: ObjectRecord, in container: String, mtime: Date?) {
        let path = RemotePath(container: container, name: record.name)
        count += 1
        if json {
            let item = JSONValue.object([
                ("path", .string(path.description)), ("container", .string(container)), ("name", .string(record.name)),
                ("bytes", .int(record.bytes)), ("hash", .string(record.hash)),
                ("content_type", .string(record.contentType)), ("last_modified", Format.isoDate(record.lastModified)),
                ("mtime", Format.isoDate(mtime)),
            ])
            output.write((count == 1 ? "[\n  " : ",\n  ") + item.pretty(indent: "  "))
            return
        }
        if output.capturesItems {
            output.item(path.description, exact: ExactPath(path: path, isObject: true))
        } else if Self.canBeTyped(path), let typed = WordQuoting.quoted(path.description) {
            output.line(output.shown(typed))
        } else {
            untypeable += 1
        }
    }

    func finish(errors: OutputChannel) {
        if json { output.line(count == 0 ? "[]" : "\n]") }
        if untypeable > 0 {
            output.flush()
            errors.line(
                "find: left out \(untypeable) name\(untypeable == 1 ? "" : "s") that no typed path can name "
                    + "(a '.' or '..' component, a trailing '/', or an escape fused with a combining mark); "
                    + "--json and $(find …) include them")
            errors.flush()
        }
    }

    /// Whether `RemotePath.resolve` reads the absolute path back as this object: no
    /// component `.` or `..` (which move), and no trailing `/` (which makes a folder).
    static func canBeTyped(_ path: RemotePath) -> Bool {
        guard let container = path.container, !path.name.isEmpty else { return false }
        let components = (container + "/" + path.name).utf8.split(
            separator: UInt8(ascii: "/"), omittingEmptySubsequences: false)
        if components.last?.isEmpty ?? true { return false }
        return !components.contains { $0.elementsEqual(".".utf8) || $0.elementsEqual("..".utf8) }
    }
}
