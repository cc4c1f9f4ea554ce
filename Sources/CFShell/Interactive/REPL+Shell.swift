import CFShellLanguage
import CloudFiles
import Foundation

/// The shell as the REPL drives it: entries, the prompt and completion.
extension Shell: REPLSession {
    public func promptState() async -> (connection: Prompt.Connection?, folder: String) {
        let folder = remoteDirectory.description
        guard let client else { return (nil, folder) }
        if let known = PromptConnections.shared.get(client) { return (known, folder) }
        // Usually answered from the cached token; a prompt never waits long for it.
        let url = await withTaskGroup(of: URL?.self) { group in
            group.addTask { try? await client.storageURL() }
            group.addTask {
                try? await Task.sleep(for: .seconds(2))
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
        guard let url else { return (Prompt.Connection(who: "?", host: "?"), folder) }
        let connection = Prompt.Connection(
            who: Prompt.accountName(storagePath: url.path) ?? "?", host: url.host ?? "?")
        PromptConnections.shared.set(client, connection)
        return (connection, folder)
    }

    /// Parses and runs one entry. Unlike `run(source:file:)`, Ctrl-C is left
    /// to the REPL, which cancels the task calling this; only a second Ctrl-C
    /// before that task has stopped ends the session (`REPLSignals`).
    public func runEntry(_ source: String) async -> REPLOutcome {
        isInteractive = true
        exitRequested = false
        // A command connects by itself, and may ask for a secret: a connection Tab left
        // running gives way to it, and the next Tab may try again.
        completionConnect.task?.cancel()
        completionConnect = CompletionConnect()
        guard let script = readReporting(source, file: Self.promptFile) else { return .finished(status: 2) }
        let status = await runChecked(script)
        stdout.flush()
        stderr.flush()
        return exitRequested ? .exit(status: status) : .finished(status: status)
    }
}

extension Shell: CompletionSource {
    nonisolated public func completionCommands() -> [String] {
        Array(Self.language.commandNames) + ["history"] + Keyword.allCases.filter(\.isCompletedAtPrompt).map(\.rawValue)
    }

    nonisolated public func completionOptions(for command: String) -> [String] {
        Builtins.named(command)?.spec.options.flatMap(\.names) ?? []
    }

    public func completionVariables() async -> [String] {
        Array(variables.keys) + Array(configuration.environment.keys)
    }

    /// The remote working folder; before any connection, connects first as `connect` with
    /// no arguments would (environment, clouds.yaml), but never asking for a secret.
    ///
    /// The connection runs in a task of its own: when it outlasts the completer's patience,
    /// the Tab completes nothing and the next Tab finds it done (or still going). When it
    /// fails, or would need a secret typed, Tab completes nothing and does not try again
    /// until a command has run; `--debug` logs why.
    public func completionRemoteFolder() async -> String? {
        if client == nil { await connectForCompletion() }
        return client == nil ? nil : remoteDirectory.description
    }

    private func connectForCompletion() async {
        if completionConnect.task == nil {
            guard !completionConnect.failed else { return }
            completionConnect.task = Task { await self.openCompletionClient() }
        }
        await completionConnect.task?.value
    }

    private func openCompletionClient() async {
        do {
            let (newClient, _) = try await Connect.openClient(ConnectionOptions(), mayPrompt: false, in: self)
            if client == nil, !Task.isCancelled {
                client = newClient
            } else {
                try? await newClient.shutdown()
            }
        } catch {
            // Cancelled by a command that now connects by itself: leave its state alone.
            if Task.isCancelled { return }
            completionConnect.failed = true
            logger.debug("Tab completion could not connect: \(error.userMessage)")
        }
        if !Task.isCancelled { completionConnect.task = nil }
    }

    public func completionRemoteNames(container: String?, prefix: String, limit: Int) async throws -> [String] {
        guard let client else { return [] }
        var names: [String] = []
        if let container {
            let options = ObjectListingOptions(prefix: prefix.isEmpty ? nil : prefix, delimiter: "/", limit: limit)
            for try await entry in client.listObjects(in: container, options) { names.append(entry.name) }
        } else {
            let options = ContainerListingOptions(prefix: prefix.isEmpty ? nil : prefix, limit: limit)
            for try await record in client.listContainers(options) { names.append(record.name) }
        }
        return names
    }

    public func completionMetadataKeys(path: String) async throws -> [String] {
        guard let client else { return [] }
        var target = RemotePath.resolve(path, from: remoteDirectory)
        if path.isEmpty { target = RemotePath(container: remoteDirectory.container) }
        switch target.inContainer {
        case nil: return Array(try await client.accountInfo().metadata.keys)
        case let place? where place.name.isEmpty:
            return Array(try await client.containerInfo(place.container).metadata.keys)
        case let place?:
            return try await client.objectInfo(place.name, in: place.container).metadata.keys.filter { $0 != "mtime" }
        }
    }

    public func completionLocalFolder() async -> String {
        localDirectory
    }
}

/// The connection Tab completion opens on demand: the task while it runs, and whether it
/// failed since the last command ran.
struct CompletionConnect {
    var task: Task<Void, Never>?
    var failed = false
}

/// What the prompt shows for the current client, worked out once per connection.
private final class PromptConnections: @unchecked Sendable {
    static let shared = PromptConnections()
    // Guarded by `lock`. The client is held (not its ObjectIdentifier) so that
    // a new client at a reused address is never mistaken for the old one.
    private let lock = NSLock()
    private var last: (client: CloudFilesClient, connection: Prompt.Connection)?

    func get(_ client: CloudFilesClient) -> Prompt.Connection? {
        lock.lock()
        defer { lock.unlock() }
        return last.flatMap { $0.client === client ? $0.connection : nil }
    }

    func set(_ client: CloudFilesClient, _ connection: Prompt.Connection) {
        lock.lock()
        defer { lock.unlock() }
        last = (client, connection)
    }
}
