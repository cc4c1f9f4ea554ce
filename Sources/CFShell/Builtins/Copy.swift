import CFShellLanguage
import CloudFiles

/// `cp`: copy objects on the server.
enum Copy: Builtin {
    static let spec = CommandSpec(
        "cp", "[-v] [-q] [--json] [--whole] [--meta K=V]… [--fresh-metadata] [--content-type TYPE] SOURCE… DEST",
        summary: "Copy objects on the server.",
        details: """
            A DEST ending in '/' or naming a container is a folder: each object keeps its base \
            name there. Otherwise DEST is the new name, and only one SOURCE may be given. On a \
            terminal (or with -v) it ends with one line: the objects, their bytes and the time; \
            --json prints that as an object instead.

            A large object (static or dynamic) is copied as its manifest: the copy is a large \
            object too, and uses the same segments. Both are then marked with the metadata \
            Cfsh-Shared-Segments, and rm of either keeps the segments (the other still needs \
            them; 'orphans' finds them once neither does). --whole copies the joined content \
            as one ordinary object instead, which the server allows up to its object size \
            limit (5 GiB by default).

            The copy keeps the source's metadata and content type; --meta K=V (repeatable) \
            adds or changes a key, --fresh-metadata drops the source's metadata (only --meta \
            keys are kept), --content-type sets the type.

            --from-account ACCOUNT copies from another account (X-Copy-From-Account), and \
            --to-account ACCOUNT into another one (COPY with Destination-Account), where that \
            account's container ACLs let this user read the source (X-Container-Read) or write \
            the copy (X-Container-Write). ACCOUNT is the account as in the storage URL \
            (AUTH_partner); paths in the other account are written from the root \
            (/container/object). A large object is copied whole across accounts, since a \
            manifest names its segments in its own account.
            """,
        options: [
            CommandSpec.Option("-v", "--verbose", help: "print each object as it is done"),
            CommandSpec.Option("-q", "--quiet", help: "no summary line, even on a terminal"),
            TransferFlags.jsonSummaryOption,
            CommandSpec.Option(
                "--whole", help: "copy a large object's content as one object, not its manifest (up to 5 GiB)"),
            CommandSpec.Option("--meta", value: "K=V", help: "set metadata K on the copy (repeatable)"),
            CommandSpec.Option("--fresh-metadata", help: "do not keep the source's metadata, only --meta keys"),
            CommandSpec.Option(
                "--content-type", value: "TYPE", help: "the copy's content type (default: the source's)"),
            CommandSpec.Option("--from-account", value: "ACCOUNT", help: "the sources are in this account (AUTH_…)"),
            CommandSpec.Option("--to-account", value: "ACCOUNT", help: "copy into this account (AUTH_…)"),
        ],
        operands: 2...Int.max,
        examples: [
            "cp /big/disk.img /big/disk-copy.img  # a large object: its manifest, same segments",
            "cp --meta owner=ann --fresh-metadata docs/a.txt docs/b.txt",
            "cp --to-account AUTH_partner /shared/report.pdf /inbox/",
        ])

    /// The `--meta K=V` values as metadata.
    static func metadata(_ arguments: ParsedArguments<Argument>) throws -> [String: String] {
        var metadata: [String: String] = [:]
        for pair in arguments.values("--meta") {
            guard let equals = pair.firstIndex(of: "="), equals != pair.startIndex else {
                throw ShellError.usage("--meta needs KEY=VALUE, not \(Names.quoted(pair))")
            }
            metadata[String(pair[..<equals]).lowercased()] = String(pair[pair.index(after: equals)...])
        }
        return metadata
    }

    static func completion(at position: Int) -> CompletionSlots.Slot {
        .remote(.any)
    }

    static func run(_ arguments: ParsedArguments<Argument>, in shell: isolated Shell) async throws {
        if let target = arguments.operands.last { await shell.noteIfNewRelativeTarget(target) }
        try await copy(arguments, move: false, in: shell)
    }

    /// `cp`, and `mv` when `move` is set: copies each source on the server, then (for `mv`)
    /// deletes it.
    static func copy(_ arguments: ParsedArguments<Argument>, move: Bool, in shell: isolated Shell) async throws {
        let command = move ? "mv" : "cp"
        let verbose = try shell.verbosity(arguments)
        let report = SummaryReport(
            json: arguments.has("--json"), verbose: verbose,
            showsProgress: !arguments.has("-q") && shell.tty.showsProgress)
        let client = try await shell.connectedClient()
        let destinationText = arguments.operands.last!.text
        if arguments.operands.last!.pattern != nil {
            throw ShellError.usage("the destination \(Names.quoted(destinationText)) cannot be a pattern")
        }
        let destination = try arguments.operands.last!.remotePath(from: shell.remoteDirectory)
        let destinationIsFolder = try arguments.operands.last!.isFolder(from: shell.remoteDirectory)
        guard let destinationContainer = destination.container else {
            throw ShellError.usage("the destination must be in a container, not the account root")
        }
        let options = CopyOptions(
            sourceAccount: arguments.value("--from-account"), destinationAccount: arguments.value("--to-account"),
            metadata: try metadata(arguments), freshMetadata: arguments.has("--fresh-metadata"),
            contentType: arguments.value("--content-type"), largeObjects: arguments.has("--whole") ? .whole : .manifest)
        let crossAccount = options.sourceAccount != nil || options.destinationAccount != nil
        if options.sourceAccount != nil && options.destinationAccount != nil {
            throw ShellError.usage("give --from-account or --to-account, not both")
        }
        if options.sourceAccount != nil, let pattern = arguments.operands.dropLast().first(where: { $0.pattern != nil })
        {
            throw ShellError.usage(
                "\(Names.quoted(pattern.text)) is a pattern: name each object of another account in full")
        }
        let sources = try await shell.objectOperands(Array(arguments.operands.dropLast()), command: command)
        if !destinationIsFolder && sources.count > 1 {
            throw ShellError.usage(
                "\(sources.count) objects need a destination folder: end '\(destinationText)' with '/'")
        }
        for source in sources {
            let name = destinationIsFolder ? destination.name + source.path.remotePath.lastComponent : destination.name
            let target = ObjectPath(container: destinationContainer, name: name)
            if target == source.path && !crossAccount {
                throw ShellError.usage("'\(source.display)' and '\(destinationText)' are the same object")
            }
        }
        let summary = SummaryCounter(TransferSummary(move ? .mv : .cp))
        summary.update { $0.bytesKnown = sources.allSatisfy { $0.record != nil } }
        do {
            for source in sources {
                let name =
                    destinationIsFolder ? destination.name + source.path.remotePath.lastComponent : destination.name
                let target = ObjectPath(container: destinationContainer, name: name)
                do {
                    let copied = try await client.copyObject(
                        source.path.name, in: source.path.container, to: target.name, in: target.container,
                        options: options)
                    if move && copied.sharesSegments {
                        // The copy uses the segments: only the source manifest goes.
                        try await client.deleteObject(source.path.name, in: source.path.container)
                    } else if move {
                        try await shell.deleteObjects(
                            [source], client: client, verbose: false,
                            flags: TransferFlags(
                                parallel: shell.settings.parallel, segmentSize: shell.settings.segmentSize))
                    }
                } catch let error where !error.isCancellation {
                    summary.update { $0.failed(CommandFailure(path: source.display, error: error.userMessage)) }
                    throw error
                }
                let size = source.record?.bytes ?? 0
                summary.update { $0.transferred(bytes: size, sent: size) }
                if verbose {
                    shell.stdout.line(
                        shell.stdout.shown(
                            "\(source.display) -> \(shell.display(target.remotePath, written: destinationText))"))
                }
            }
        } catch let error where !error.isCancellation {
            report.finish(summary, in: shell)
            throw error
        }
        report.finish(summary, in: shell)
    }
}
