import CFShellLanguage
import CloudFiles

/// `rm`: delete objects.
enum Remove: Builtin {
    static let spec = CommandSpec(
        "rm", "[-r] [-f] [--older-than AGE] [--newer-than AGE] [OPTIONS] REMOTE…",
        summary: "Delete objects.",
        details: """
            Globs are allowed. An operand that matches nothing (a missing object, a glob or \
            pseudo-folder with nothing in it) is an error, with close names when there are: a \
            prune script with a typo fails instead of deleting nothing for ever. With -f it is \
            not an error and says nothing; with 'set nomatch ok' it is a note. With -r, a \
            pseudo-folder or a container is emptied of everything below it (the container stays: \
            use rmdir --force to delete it too). Many objects go with bulk delete when the cluster \
            has it; a large object, static or dynamic, goes with its segments unless --leave-segments is given. \
            On a terminal (or with -v) rm ends with one line: the numbers deleted, not found, failed \
            and kept by a filter, and the time; --json prints them as an object instead. \
            --older-than and --newer-than delete only the objects of that age, by their time as \
            ls -l shows it (X-Object-Meta-Mtime, else the upload time; one HEAD per object, or \
            none with --upload-time), and keep every other, also below a folder with -r. In a \
            versioned container rm writes a delete marker and the versions stay; --version ID \
            deletes that one version of one object, and only it (see 'help versions').
            """,
        options: [
            CommandSpec.Option("-r", "--recursive", help: "delete everything under pseudo-folders and containers"),
            CommandSpec.Option("-f", "--force", help: "a missing object or an operand matching nothing is no error"),
        ]
            + TransferFlags.deletionOptions + ObjectFilter.ageOptions + [
                TransferFlags.jsonSummaryOption, Versions.versionOption,
            ],
        operands: 1...Int.max,
        examples: [
            "rm old.log", "rm -r /backups/2023/  # everything in the pseudo-folder",
            "rm -f /tmp/*.part  # no error when nothing matches",
        ])

    static func completion(at position: Int) -> CompletionSlots.Slot {
        .remote(.any)
    }

    static func run(_ arguments: ParsedArguments<Argument>, in shell: isolated Shell) async throws {
        if let id = arguments.value("--version") { return try await Versions.remove(arguments, id: id, in: shell) }
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
        let force = arguments.has("-f")
        let filter = try ObjectFilter.read(arguments)
        for operand in arguments.operands {
            do {
                if let pattern = operand.pattern {
                    let matches = try await shell.expandRemoteGlob(pattern, written: operand.text)
                    let folders = matches.filter { $0.object == nil }
                    if matches.isEmpty {
                        try await nothingMatched(operand, path: nil, force: force, in: shell)
                        continue
                    }
                    if !recursive, let folder = folders.first {
                        throw ShellError.failure(
                            "'\(folder.display)' is \(Shell.describeFolder(folder.path)); 'rm -r' deletes everything in it"
                        )
                    }
                    for folder in folders {
                        try await shell.deleteEverything(
                            in: folder.path.asFolder, client: client, verbose: verbose, flags: flags,
                            filter: filter)
                    }
                    let matched = matches.compactMap(\.asObject)
                    let objects = try await selected(matched, by: filter, client: client, parallel: flags.parallel)
                    DeletionLog.current?.add(DeleteTally(filtered: matched.count - objects.count))
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
                    let deleted = try await shell.deleteEverything(
                        in: path, client: client, verbose: verbose, flags: flags, filter: filter)
                    if deleted == DeleteTally() {
                        // An empty container is emptied already; a pseudo-folder with nothing in it is a typo.
                        if path.name.isEmpty {
                            if !force { shell.reportNothingMatched(operand.text, command: "rm", folder: true) }
                        } else {
                            try await nothingMatched(operand, path: path, folder: true, force: force, in: shell)
                        }
                    }
                    continue
                }
                let named = RemoteObject(path: object, display: shell.display(path, written: operand.text))
                // A name from a listing is exactly one object: -r does not reach below it.
                if recursive && operand.exact == nil {
                    let deleted = try await shell.deleteEverything(
                        in: path.asFolder, client: client, verbose: verbose, flags: flags, filter: filter)
                    if try await shell.objectExists(path) {
                        if let filter, !(try await matches(object, filter, client: client)) {
                            DeletionLog.current?.add(DeleteTally(filtered: 1))
                            if verbose {
                                shell.stdout.line(
                                    shell.stdout.shown("kept \(named.display): not \(filter.ageDescription)"))
                            }
                            continue
                        }
                        try await shell.deleteObjects([named], client: client, verbose: verbose, flags: flags)
                    } else if deleted == DeleteTally() {
                        try await nothingMatched(operand, path: path, folder: true, force: force, in: shell)
                    }
                    continue
                }
                if let filter, !(try await matches(object, filter, client: client)) {
                    DeletionLog.current?.add(DeleteTally(filtered: 1))
                    if verbose {
                        shell.stdout.line(shell.stdout.shown("kept \(named.display): not \(filter.ageDescription)"))
                    }
                    continue
                }
                do {
                    try await shell.deleteObjects([named], client: client, verbose: verbose, flags: flags)
                } catch let error as CloudFilesError where error == .notFound && operand.exact == nil && !force {
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
            } catch let error as CloudFilesError where error == .notFound && force {
                // rm -f: a missing object or container is what was asked for.
                continue
            }
        }
    }

    /// The objects of `objects` (glob matches, with their listing records) that `filter`
    /// selects, in order; all of them without a filter.
    private static func selected(
        _ objects: [RemoteObject], by filter: ObjectFilter?, client: CloudFilesClient, parallel: Int
    ) async throws -> [RemoteObject] {
        guard let filter else { return objects }
        var containers: [String] = []
        for object in objects where !containers.contains(where: { $0.utf8.elementsEqual(object.path.container.utf8) }) {
            containers.append(object.path.container)
        }
        var chosen = Set<[UInt8]>()
        for container in containers {
            let records = objects.filter { $0.path.container.utf8.elementsEqual(container.utf8) }.compactMap(\.record)
            for record in try await filter.select(records, in: container, client: client, parallel: parallel) {
                chosen.insert(Array((container + "/" + record.name).utf8))
            }
        }
        return objects.filter {
            $0.record != nil && chosen.contains(Array(($0.path.container + "/" + $0.path.name).utf8))
        }
    }

    /// Whether the object named on its own passes `filter`, by its `HEAD` (the link itself for
    /// a symlink). An object that is not there passes: deleting it then reports it missing.
    private static func matches(
        _ object: ObjectPath, _ filter: ObjectFilter, client: CloudFilesClient
    ) async throws
        -> Bool
    {
        let info: ObjectInfo
        do {
            info = try await client.objectInfo(object.name, in: object.container, followingSymlinks: false)
        } catch let error as CloudFilesError where error == .notFound {
            return true
        }
        let record = ObjectRecord(
            name: object.name, bytes: info.contentLength ?? 0, hash: info.etag ?? "",
            contentType: info.contentType ?? "",
            lastModified: info.lastModified)
        guard filter.matchesListing(record) else { return false }
        return filter.uploadTime || filter.matchesAge(FileTimes.accepted(info) ?? info.lastModified)
    }

    /// An operand that matched nothing: an error naming it (and close names), unless -f
    /// (then nothing is said) or `set nomatch ok` (then a note on stderr).
    private static func nothingMatched(
        _ operand: Argument, path: RemotePath?, folder: Bool = false, force: Bool, in shell: isolated Shell
    ) async throws {
        if force { return }
        guard shell.settings.noMatchIsError else {
            shell.reportNothingMatched(operand.text, command: "rm", folder: folder)
            return
        }
        guard let path else { throw ShellError.failure("nothing matches \(Names.quoted(operand.text))") }
        throw ShellError.failure(await shell.missingMessage(path))
    }
}
