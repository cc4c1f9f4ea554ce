import CFShellLanguage
import CloudFiles

/// `rmdir`: delete containers.
enum RemoveContainers: Builtin {
    static let spec = CommandSpec(
        "rmdir", "[--force] [OPTIONS] CONTAINER…",
        summary: "Delete containers.",
        details: """
            A container that still holds objects is not deleted: rmdir says how many it holds. With \
            --force, every object is deleted first (with bulk delete, and large objects with their \
            segments unless --leave-segments), then the container. On a terminal (or with -v) rmdir \
            ends with one line: the containers and objects deleted, and the time; --json prints them \
            as an object instead. A container that still holds object versions is refused, --force \
            or not, before anything is deleted: cfsh deletes versions only by id (see 'help versions').
            """,
        options: [CommandSpec.Option("-f", "--force", help: "delete the objects in the container too")]
            + TransferFlags.deletionOptions + [TransferFlags.jsonSummaryOption],
        operands: 1...Int.max)

    static func completion(at position: Int) -> CompletionSlots.Slot {
        .remote(.containers)
    }

    static func run(_ arguments: ParsedArguments<Argument>, in shell: isolated Shell) async throws {
        let (client, verbose, flags) = try await shell.transferSetup(arguments)
        shell.containerNameCache = nil
        try await shell.reportingDeletions(command: "rmdir", arguments, verbose: verbose, flags: flags) { deleted in
            try await removeContainers(
                arguments, deleted: deleted, client: client, verbose: verbose, flags: flags, in: shell)
        }
    }

    /// Deletes the containers the operands name, counting them in `deleted`.
    private static func removeContainers(
        _ arguments: ParsedArguments<Argument>, deleted: SummaryCounter<Int>, client: CloudFilesClient, verbose: Bool,
        flags: TransferFlags, in shell: isolated Shell
    ) async throws {
        let force = arguments.has("-f")
        for operand in arguments.operands {
            var containers: [String] = []
            if let pattern = operand.pattern {
                containers = try await shell.expandRemoteGlob(pattern, written: operand.text)
                    .filter { $0.path.name.isEmpty }.compactMap(\.path.container)
                if containers.isEmpty {
                    shell.reportNothingMatched(operand.text, command: "rmdir")
                    continue
                }
            } else {
                let path = try operand.remotePath(from: shell.remoteDirectory)
                guard let container = path.container, path.name.isEmpty else {
                    throw ShellError.usage(
                        "rmdir deletes containers, not '\(operand.text)'; 'rm -r' deletes a pseudo-folder")
                }
                containers = [container]
            }
            for container in containers {
                try await deleteContainer(
                    container, force: force, client: client, verbose: verbose, flags: flags, in: shell)
                deleted.update { $0 += 1 }
                if shell.remoteDirectory.container == container { shell.remoteDirectory = .root }
            }
        }
    }

    private static func deleteContainer(
        _ container: String, force: Bool, client: CloudFilesClient, verbose: Bool, flags: TransferFlags,
        in shell: isolated Shell
    ) async throws {
        do {
            try await client.deleteContainer(container)
            return
        } catch let error as CloudFilesError where error == .containerNotEmpty {
            try await Versions.refuseIfVersioned(container, client: client, error: error)
            guard force else {
                let count = (try? await client.containerInfo(container).objectCount) ?? 0
                let objects = count == 1 ? "1 object" : "\(count) objects"
                throw ShellError.failure(
                    "container '\(container)' is not empty: it holds \(objects); 'rmdir --force \(container)' deletes them, then the container"
                        + error.requestContext)
            }
        }
        // Listings lag behind deletions for a moment, so a container just emptied
        // can still answer 409: empty it again and try a few times (`emptyingRounds`).
        for round in 1...emptyingRounds {
            try await shell.deleteEverything(
                in: RemotePath(container: container), client: client, verbose: verbose, flags: flags)
            do {
                try await client.deleteContainer(container)
                return
            } catch let error as CloudFilesError where error == .containerNotEmpty && round < emptyingRounds {
                try await Task.sleep(for: pause(afterRound: round))
            }
        }
    }

    /// How many times `rmdir --force` empties a container and tries to delete it.
    ///
    /// This is not a retry of a failed request: those are decided in one place,
    /// `CloudFiles`' `RetryPolicy`, and a 409 is final there. It is waiting for an eventually
    /// consistent listing. Listings lag behind deletions for a moment, so a container just
    /// emptied can still answer 409 "not empty", and objects the listing showed late are
    /// still in it: each round empties it again, then deletes it.
    private static let emptyingRounds = 8

    /// The wait after round `round` failed: 250 ms × the round (7 s in all over 8 rounds).
    private static func pause(afterRound round: Int) -> Duration { .milliseconds(250 * round) }
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
