import CloudFiles
import Foundation
import Logging

/// One cfsh session: variables, working folders, settings and the connection.
///
/// Scripts, `-c` text and interactive entries all go through ``run(source:file:)``
/// or ``runInteractive(lines:)``, which parse the whole text first (a syntax error
/// runs nothing), check the commands' literal options, then evaluate.
public actor Shell {
    let configuration: ShellConfiguration
    /// Where commands print; swapped for a buffer while a `$(…)` runs.
    var stdout: OutputChannel
    let stderr: OutputChannel
    let logger: Logger

    var variables: [String: [Value]] = [:]
    var scriptName: String
    var arguments: [String]
    var remoteDirectory = RemotePath.root
    var localDirectory: String
    var settings = Settings()
    var client: CloudFilesClient? {
        didSet {
            bulkDeleteSupport = nil
            containerNameCache = nil
        }
    }
    /// The connection Tab completion started, if any (`Interactive/REPL+Shell.swift`).
    var completionConnect = CompletionConnect()
    /// The account's container names, for path hints (`RemoteLookup.swift`): per connection,
    /// for a minute at most.
    var containerNameCache: (names: Set<String>, listedAt: ContinuousClock.Instant)?
    /// Notes that go on stderr after the error of the failed command (see `explainFailure`).
    var pendingNotes: [String] = []
    /// Notes the running command printed already, so that its failure does not repeat them.
    var notesPrinted: Set<String> = []
    /// The terminal situation: whether progress lines are drawn.
    let tty: TTY
    /// Whether the cluster has bulk delete, and its batch size; `nil` until asked.
    var bulkDeleteSupport: Int??
    /// Entered at a prompt: errors carry no `file:line`, and `connect` says what it did.
    var isInteractive = false
    /// Source text by file name, to show the line of a run-time error.
    var sources: [String: String] = [:]
    var sourceDepth = 0

    /// Creates a shell.
    /// - Parameters:
    ///   - configuration: arguments, environment and flags from the command line.
    ///   - output: where commands print (standard output by default).
    ///   - errors: where errors go (standard error by default).
    public init(
        configuration: ShellConfiguration, output: OutputChannel = .standardOutput(),
        errors: OutputChannel = .standardError()
    ) {
        self.configuration = configuration
        self.stdout = output
        self.stderr = errors
        self.scriptName = configuration.scriptName
        self.arguments = configuration.arguments
        self.localDirectory = configuration.currentDirectory
        self.tty = TTY.current(environment: configuration.environment)
        var logger = Logger(label: "cfsh", factory: { StreamLogHandler.standardError(label: $0) })
        let level = configuration.environment["CFSH_LOG_LEVEL"].flatMap { Logger.Level(rawValue: $0.lowercased()) }
        logger.logLevel = configuration.debug ? .debug : (level ?? .warning)
        self.logger = logger
    }

    /// Set by `exit`, so that the interactive loop stops.
    var exitRequested = false

    /// Closes the connection, if any.
    public func shutdown() async {
        stdout.flush()
        stderr.flush()
        completionConnect.task?.cancel()
        if let client {
            try? await client.shutdown()
            self.client = nil
        }
    }
}
