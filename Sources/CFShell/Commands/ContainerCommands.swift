import CFShellLanguage
import CloudFiles
import Foundation

/// mkdir and rmdir: containers.
extension Shell {
    func mkdir(_ parsed: ParsedArguments<Argument>) async throws {
        let client = try await connectedClient()
        for operand in parsed.operands {
            let path = try operand.remotePath(from: .root)
            guard let container = path.container, path.name.isEmpty || path.name == "/", operand.pattern == nil else {
                throw ShellError.usage(
                    "mkdir creates containers, and '\(operand.text)' is not a container name; pseudo-folders appear when you put objects in them")
            }
            try await client.createContainer(container)
        }
    }

    func rmdir(_ parsed: ParsedArguments<Argument>) async throws {
        let client = try await connectedClient()
        let force = parsed.has("-f")
        let verbose = parsed.has("-v") || settings.verbose
        let flags = try TransferFlags.read(parsed, settings: settings, tty: tty)
        var tally = DeleteTally()
        defer { reportTally(tally, command: "rmdir", verbose: verbose, flags: flags) }
        for operand in parsed.operands {
            var containers: [String] = []
            if let pattern = operand.pattern {
                containers = try await expandRemoteGlob(pattern, written: operand.text)
                    .filter { $0.path.name.isEmpty }.compactMap(\.path.container)
                if containers.isEmpty {
                    reportNothingMatched(operand.text, command: "rmdir")
                    continue
                }
            } else {
                let path = try operand.remotePath(from: remoteDirectory)
                guard let container = path.container, path.name.isEmpty else {
                    throw ShellError.usage("rmdir deletes containers, not '\(operand.text)'; 'rm -r' deletes a pseudo-folder")
                }
                containers = [container]
            }
            for container in containers {
                tally = tally + (try await deleteContainer(container, force: force, client: client, verbose: verbose, flags: flags))
                if remoteDirectory.container == container { remoteDirectory = .root }
            }
        }
    }

    private func deleteContainer(
        _ container: String, force: Bool, client: CloudFilesClient, verbose: Bool, flags: TransferFlags
    ) async throws -> DeleteTally {
        do {
            try await client.deleteContainer(container)
            return DeleteTally()
        } catch let error as CloudFilesError where error == .containerNotEmpty {
            guard force else {
                let count = (try? await client.containerInfo(container).objectCount) ?? 0
                let objects = count == 1 ? "1 object" : "\(count) objects"
                throw ShellError.failure(
                    "container '\(container)' is not empty: it holds \(objects); 'rmdir --force \(container)' deletes them, then the container"
                        + error.requestContext)
            }
        }
        // Listings lag behind deletions for a moment, so a container just emptied
        // can still answer 409: empty it again and retry a few times.
        var tally = DeleteTally()
        for attempt in 1...8 {
            tally = tally + (try await deleteEverything(in: RemotePath(container: container), client: client, verbose: verbose, flags: flags))
            do {
                try await client.deleteContainer(container)
                return tally
            } catch let error as CloudFilesError where error == .containerNotEmpty && attempt < 8 {
                try await Task.sleep(for: .milliseconds(250 * attempt))
            }
        }
        return tally
    }

    /// Deletes every object below `folder` (a container or a prefix), a listing page at a time.
    @discardableResult
    func deleteEverything(
        in folder: RemotePath, client: CloudFilesClient, verbose: Bool, flags: TransferFlags
    ) async throws -> DeleteTally {
        guard let container = folder.container else { return DeleteTally() }
        var tally = DeleteTally()
        // Page by page: memory stays flat however many objects there are, and the
        // deletions start with the first page.
        for try await page in client.listObjects(in: container, ObjectListingOptions(prefix: nonEmpty(folder.name))).pages {
            let targets = page.compactMap { entry -> DeleteTarget? in
                if case .object(let record) = entry { return DeleteTarget(record) }
                return nil
            }
            tally = tally + (try await deleteObjects(
                container: container, targets: targets, client: client, verbose: verbose, flags: flags))
        }
        return tally
    }

    /// Says on stderr that a destructive glob matched nothing. Not a failure:
    /// nothing to delete is the state the script wanted.
    func reportNothingMatched(_ written: String, command: String, folder: Bool = false) {
        stdout.flush()
        stderr.line("\(command): nothing \(folder ? "under" : "matches") \(Names.quoted(written)); nothing deleted")
        stderr.flush()
    }
}

extension CloudFilesError {
    /// ` (409 DELETE /v1/AUTH_test/c) [X-Trans-Id: tx…]`, or empty.
    var requestContext: String {
        var request: [String] = []
        if let status { request.append(String(status)) }
        if let method, let path { request.append("\(method) \(path)") }
        var text = request.isEmpty ? "" : " (" + request.joined(separator: " ") + ")"
        if let transactionID { text += " [X-Trans-Id: \(transactionID)]" }
        return text
    }
}
