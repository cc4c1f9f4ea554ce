import CFShellLanguage
import CloudFiles

/// `rm`: delete objects.
enum Remove: Builtin {
    static let spec = CommandSpec(
        "rm", "[-r] [OPTIONS] REMOTE…",
        summary: "Delete objects.",
        details: """
            Globs are allowed; a glob that matches nothing deletes nothing and says so. With -r, a \
            pseudo-folder or a container is emptied of everything below it (the container stays: \
            use rmdir --force to delete it too). Many objects go with bulk delete when the cluster \
            has it; a large object, static or dynamic, goes with its segments unless --leave-segments is given. \
            On a terminal (or with -v) rm ends with one line: the numbers deleted, not found and \
            failed, and the time; --json prints them as an object instead.
            """,
        options: [
            CommandSpec.Option("-r", "--recursive", help: "delete everything under pseudo-folders and containers")
        ]
            + TransferFlags.deletionOptions + [TransferFlags.jsonSummaryOption],
        operands: 1...Int.max)

    static func completion(at position: Int) -> CompletionSlots.Slot {
        .remote(.any)
    }

    static func run(_ arguments: ParsedArguments<Argument>, in shell: isolated Shell) async throws {
        let (client, verbose, flags) = try await shell.transferSetup(arguments)
        try await shell.reportingDeletions(command: "rm", arguments, verbose: verbose, flags: flags) { _ in
            try await remove(arguments, client: client, verbose: verbose, flags: flags, in: shell)
        }
    }

    /// Deletes what the operands name; `reportingDeletions` counts it.
    private static func remove(
        _ arguments: ParsedArguments<Argument>, client: CloudFilesClient, verbose: Bool, flags: TransferFlags,
        in shell: isolated Shell
    ) async throws {
        let recursive = arguments.has("-r")
        for operand in arguments.operands {
            if let pattern = operand.pattern {
                let matches = try await shell.expandRemoteGlob(pattern, written: operand.text)
                let folders = matches.filter { $0.object == nil }
                if matches.isEmpty {
                    shell.reportNothingMatched(operand.text, command: "rm")
                    continue
                }
                if !recursive, let folder = folders.first {
                    throw ShellError.failure(
                        "'\(folder.display)' is \(Shell.describeFolder(folder.path)); 'rm -r' deletes everything in it")
                }
                for folder in folders {
                    try await shell.deleteEverything(
                        in: folder.path.asFolder, client: client, verbose: verbose, flags: flags)
                }
                let objects = matches.compactMap(\.asObject)
                try await shell.deleteObjects(objects, client: client, verbose: verbose, flags: flags)
                continue
            }
            let path = try operand.remotePath(from: shell.remoteDirectory)
            let object = try path.inContainer(orThrow: .usage("rm deletes objects, not the whole account"))
            if try operand.isFolder(from: shell.remoteDirectory) {
                guard recursive else {
                    throw ShellError.failure(
                        "\(Names.quoted(operand.text)) is \(Shell.describeFolder(path)); 'rm -r \(Names.printable(operand.text))' deletes everything in it"
                            + (path.name.isEmpty ? ", 'rmdir --force' the container too" : ""))
                }
                let deleted = try await shell.deleteEverything(in: path, client: client, verbose: verbose, flags: flags)
                if deleted == DeleteTally() { shell.reportNothingMatched(operand.text, command: "rm", folder: true) }
                continue
            }
            let named = RemoteObject(path: object, display: shell.display(path, written: operand.text))
            // A name from a listing is exactly one object: -r does not reach below it.
            if recursive && operand.exact == nil {
                let deleted = try await shell.deleteEverything(
                    in: path.asFolder, client: client, verbose: verbose, flags: flags)
                if try await shell.objectExists(path) {
                    try await shell.deleteObjects([named], client: client, verbose: verbose, flags: flags)
                } else if deleted == DeleteTally() {
                    shell.reportNothingMatched(operand.text, command: "rm", folder: true)
                }
                continue
            }
            do {
                try await shell.deleteObjects([named], client: client, verbose: verbose, flags: flags)
            } catch let error as CloudFilesError where error == .notFound && operand.exact == nil {
                // Say so when the name is a pseudo-folder rather than a missing object.
                let below = client.listObjects(
                    in: object.container, ObjectListingOptions(prefix: object.name + "/", limit: 1))
                var iterator = below.makeAsyncIterator()
                if try await iterator.next() != nil {
                    throw ShellError.failure(
                        "\(Names.quoted(operand.text)) is a pseudo-folder; 'rm -r \(Names.printable(operand.text))' deletes everything in it"
                    )
                }
                throw error
            }
        }
    }
}
