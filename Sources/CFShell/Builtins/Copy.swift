import CFShellLanguage
import CloudFiles

/// `cp`: copy objects on the server.
enum Copy: Builtin {
    static let spec = CommandSpec(
        "cp", "[-v] [-q] [--json] SOURCE… DEST", summary: "Copy objects on the server.",
        details: """
            A DEST ending in '/' or naming a container is a folder: each object keeps its base \
            name there. Otherwise DEST is the new name, and only one SOURCE may be given. On a \
            terminal (or with -v) it ends with one line: the objects, their bytes and the time; \
            --json prints that as an object instead.
            """,
        options: [
            CommandSpec.Option("-v", "--verbose", help: "print each object as it is done"),
            CommandSpec.Option("-q", "--quiet", help: "no summary line, even on a terminal"),
            TransferFlags.jsonSummaryOption,
        ],
        operands: 2...Int.max)

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
        let sources = try await shell.objectOperands(Array(arguments.operands.dropLast()), command: command)
        if !destinationIsFolder && sources.count > 1 {
            throw ShellError.usage(
                "\(sources.count) objects need a destination folder: end '\(destinationText)' with '/'")
        }
        for source in sources {
            let name = destinationIsFolder ? destination.name + source.path.remotePath.lastComponent : destination.name
            let target = ObjectPath(container: destinationContainer, name: name)
            if target == source.path {
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
                    try await client.copyObject(from: source.path, to: target)
                    if move {
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
