import CFShellLanguage
import CloudFiles
import Foundation

/// cat, rm, cp and mv: objects on the server.
extension Shell {
    /// The objects named by operands: globs expanded to the objects they match,
    /// other operands resolved and required to name an object.
    func objectOperands(_ operands: [Argument], command: String) async throws -> [RemoteMatch] {
        var objects: [RemoteMatch] = []
        for operand in operands {
            if let pattern = operand.pattern {
                let matches = try await expandRemoteGlob(pattern, written: operand.text).filter { $0.object != nil }
                if matches.isEmpty { throw ShellError.failure("no object matches '\(operand.text)'") }
                objects += matches
                continue
            }
            let path = try operand.remotePath(from: remoteDirectory)
            guard try !operand.isFolder(from: remoteDirectory) else {
                throw ShellError.usage("\(Names.quoted(operand.text)) is \(Self.describeFolder(path)); \(command) needs an object")
            }
            objects.append(RemoteMatch(path: path, display: display(path, written: operand.text)))
        }
        return objects
    }

    static func describeFolder(_ path: RemotePath) -> String {
        path.isRoot ? "the account root" : path.name.isEmpty ? "a container" : "a pseudo-folder"
    }

    func cat(_ parsed: ParsedArguments<Argument>) async throws {
        let client = try await connectedClient()
        for object in try await objectOperands(parsed.operands, command: "cat") {
            try await writeObject(object.path, to: stdout, client: client)
        }
    }

    func rm(_ parsed: ParsedArguments<Argument>) async throws {
        let client = try await connectedClient()
        let recursive = parsed.has("-r")
        let verbose = parsed.has("-v") || settings.verbose
        let flags = try TransferFlags.read(parsed, settings: settings, tty: tty)
        var tally = DeleteTally()
        defer { if recursive { reportTally(tally, command: "rm", verbose: verbose, flags: flags) } }
        for operand in parsed.operands {
            if let pattern = operand.pattern {
                let matches = try await expandRemoteGlob(pattern, written: operand.text)
                let folders = matches.filter { $0.object == nil }
                if matches.isEmpty {
                    reportNothingMatched(operand.text, command: "rm")
                    continue
                }
                if !recursive, let folder = folders.first {
                    throw ShellError.failure(
                        "'\(folder.display)' is \(Self.describeFolder(folder.path)); 'rm -r' deletes everything in it")
                }
                for folder in folders {
                    tally = tally + (try await deleteEverything(in: folder.path.asFolder, client: client, verbose: verbose, flags: flags))
                }
                let objects = matches.filter { $0.object != nil }
                tally = tally + (try await deleteObjects(matches: objects, client: client, verbose: verbose, flags: flags))
                continue
            }
            let path = try operand.remotePath(from: remoteDirectory)
            if path.isRoot { throw ShellError.usage("rm deletes objects, not the whole account") }
            if try operand.isFolder(from: remoteDirectory) {
                guard recursive else {
                    throw ShellError.failure(
                        "\(Names.quoted(operand.text)) is \(Self.describeFolder(path)); 'rm -r \(Names.printable(operand.text))' deletes everything in it"
                            + (path.name.isEmpty ? ", 'rmdir --force' the container too" : ""))
                }
                let deleted = try await deleteEverything(in: path, client: client, verbose: verbose, flags: flags)
                tally = tally + deleted
                if deleted == DeleteTally() { reportNothingMatched(operand.text, command: "rm", folder: true) }
                continue
            }
            // A name from a listing is exactly one object: -r does not reach below it.
            if recursive && operand.exact == nil {
                let deleted = try await deleteEverything(in: path.asFolder, client: client, verbose: verbose, flags: flags)
                tally = tally + deleted
                if try await objectExists(path) {
                    tally = tally + (try await deleteObjects(
                        matches: [RemoteMatch(path: path, display: display(path, written: operand.text))], client: client,
                        verbose: verbose, flags: flags))
                } else if deleted == DeleteTally() {
                    reportNothingMatched(operand.text, command: "rm", folder: true)
                }
                continue
            }
            do {
                try await deleteObjects(
                    matches: [RemoteMatch(path: path, display: display(path, written: operand.text))], client: client,
                    verbose: verbose, flags: flags)
            } catch let error as CloudFilesError where error == .notFound && operand.exact == nil {
                // Say so when the name is a pseudo-folder rather than a missing object.
                let below = client.listObjects(in: path.container!, ObjectListingOptions(prefix: path.name + "/", limit: 1))
                var iterator = below.makeAsyncIterator()
                if try await iterator.next() != nil {
                    throw ShellError.failure(
                        "\(Names.quoted(operand.text)) is a pseudo-folder; 'rm -r \(Names.printable(operand.text))' deletes everything in it")
                }
                throw error
            }
        }
    }

    @discardableResult
    func deleteObjects(
        matches: [RemoteMatch], client: CloudFilesClient, verbose: Bool, flags: TransferFlags
    ) async throws -> DeleteTally {
        var byContainer: [String: [DeleteTarget]] = [:]
        var order: [String] = []
        for match in matches {
            guard let container = match.path.container else { continue }
            if byContainer[container] == nil { order.append(container) }
            byContainer[container, default: []].append(
                match.object.map(DeleteTarget.init) ?? DeleteTarget(match.path.name))
        }
        var tally = DeleteTally()
        for container in order {
            tally = tally + (try await deleteObjects(
                container: container, targets: byContainer[container]!, client: client, verbose: verbose, flags: flags))
        }
        return tally
    }

    /// After `rm -r` or `rmdir --force`: the counts, on stdout with -v, else on
    /// stderr where progress is shown; scripts stay quiet.
    func reportTally(_ tally: DeleteTally, command: String, verbose: Bool, flags: TransferFlags) {
        guard tally.deleted + tally.notFound + tally.failed > 0 else { return }
        if verbose {
            stdout.line("\(command): \(tally.summary)")
        } else if flags.showsProgress {
            stdout.flush()
            stderr.line("\(command): \(tally.summary)")
            stderr.flush()
        }
    }

    func copy(_ parsed: ParsedArguments<Argument>, move: Bool) async throws {
        let command = move ? "mv" : "cp"
        let client = try await connectedClient()
        let destinationText = parsed.operands.last!.text
        if parsed.operands.last!.pattern != nil {
            throw ShellError.usage("the destination \(Names.quoted(destinationText)) cannot be a pattern")
        }
        let destination = try parsed.operands.last!.remotePath(from: remoteDirectory)
        let destinationIsFolder = try parsed.operands.last!.isFolder(from: remoteDirectory)
        guard let destinationContainer = destination.container else {
            throw ShellError.usage("the destination must be in a container, not the account root")
        }
        let sources = try await objectOperands(Array(parsed.operands.dropLast()), command: command)
        if !destinationIsFolder && sources.count > 1 {
            throw ShellError.usage(
                "\(sources.count) objects need a destination folder: end '\(destinationText)' with '/'")
        }
        for source in sources {
            let name = destinationIsFolder ? destination.name + source.path.lastComponent : destination.name
            let target = RemotePath(container: destinationContainer, name: name)
            if target == source.path {
                throw ShellError.usage("'\(source.display)' and '\(destinationText)' are the same object")
            }
            try await copyObject(from: source.path, to: target, client: client)
            if move {
                try await deleteObjects(
                    matches: [source], client: client, verbose: false,
                    flags: TransferFlags(parallel: settings.parallel, segmentSize: settings.segmentSize))
            }
            if settings.verbose { stdout.line(stdout.shown("\(source.display) -> \(display(target, written: destinationText))")) }
        }
    }
}
