import CloudFiles
import Foundation
import Logging

/// What a shell needs from the process that starts it.
public struct ShellConfiguration: Sendable {
    /// `$0`.
    public var scriptName: String
    /// `$1`, `$2`, …
    public var arguments: [String]
    public var environment: [String: String]
    /// Log each request at debug level (`--debug`, or `CFSH_LOG_LEVEL=debug`).
    public var debug: Bool
    /// The local working folder to start in.
    public var currentDirectory: String
    /// The program's name for its folders, such as the token cache's `~/.cache/APPNAME`.
    public var appName: String

    public init(
        scriptName: String, arguments: [String], environment: [String: String], debug: Bool,
        currentDirectory: String = FileManager.default.currentDirectoryPath, appName: String = "cfsh"
    ) {
        self.scriptName = scriptName
        self.arguments = arguments
        self.environment = environment
        self.debug = debug
        self.currentDirectory = currentDirectory
        self.appName = appName
    }

    /// A configuration from this process's environment and working folder.
    public static func fromProcess(
        scriptName: String, arguments: [String], debug: Bool, appName: String = "cfsh"
    ) -> ShellConfiguration {
        ShellConfiguration(
            scriptName: scriptName, arguments: arguments, environment: ProcessInfo.processInfo.environment,
            debug: debug, appName: appName)
    }
}

/// Settings changed with `set`.
struct Settings: Sendable, Equatable {
    /// How many transfers or deletions run at once.
    var parallel = 4
    /// Whether put, get and rm print each file.
    var verbose = false
    /// Files larger than this are uploaded as static large objects in segments
    /// of this size; `nil` never segments (and files over 5 GiB then fail).
    var segmentSize: Int64? = 1 << 30

    /// A size as `set` shows it and `parseSize` reads it back exactly: `64M`, `1G`, `1536K`.
    static func formatSize(_ bytes: Int64) -> String {
        for (unit, factor) in [("T", Int64(1) << 40), ("G", 1 << 30), ("M", 1 << 20), ("K", 1 << 10)]
        where bytes >= factor && bytes % factor == 0 {
            return "\(bytes / factor)\(unit)"
        }
        return String(bytes)
    }

    /// `1048576`, `512K`, `100M`, `1G`, `2T` (powers of 1024).
    static func parseSize(_ text: String) -> Int64? {
        let units: [Character: Int64] = ["K": 1 << 10, "M": 1 << 20, "G": 1 << 30, "T": 1 << 40]
        var digits = Substring(text.uppercased())
        var multiplier: Int64 = 1
        if digits.hasSuffix("B") { digits = digits.dropLast() }
        if let unit = digits.last, let factor = units[unit] {
            multiplier = factor
            digits = digits.dropLast()
        }
        guard let number = Double(digits), number > 0 else { return nil }
        let bytes = number * Double(multiplier)
        return bytes < Double(Int64.max) ? Int64(bytes) : nil
    }
}

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
        didSet { bulkDeleteSupport = nil }
    }
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

    /// Parses `source` whole, checks it, then runs it.
    /// - Returns: the exit status: 0, 1 when a command failed, 2 for a syntax or
    ///   usage error, 130 after Ctrl-C, 128 + the signal after SIGTERM or SIGHUP (which
    ///   also end an interactive loop), or the status given to `exit`.
    public func run(source: String, file: String) async -> Int32 {
        sources[file] = source
        let script: Script
        do {
            script = try Parser.parse(source, file: file)
            try Checker.check(script)
        } catch {
            stderr.line(error.diagnostic.rendered(source: source))
            stderr.flush()
            return 2
        }
        let (status, signal) = await Interrupts.run { await self.runChecked(script) }
        guard let signal, signal != SIGINT else { return status }
        // SIGTERM or SIGHUP: the command stopped cleanly; the rest of the run does not start.
        exitRequested = true
        return 128 + signal
    }

    /// Reads a script from `path` (`-` for standard input) and runs it.
    public func runFile(_ path: String) async -> Int32 {
        let source: String
        if path == "-" {
            source = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
        } else {
            guard let data = FileManager.default.contents(atPath: path) else {
                stderr.line("cfsh: cannot read the script '\(path)'")
                stderr.flush()
                return 2
            }
            source = String(decoding: data, as: UTF8.self)
        }
        return await run(source: source, file: path == "-" ? "<stdin>" : path)
    }

    /// Reads statements from `lines`, running each entry once it is complete (no
    /// open `{`, no trailing `\`). An error is reported and the loop goes on.
    /// - Returns: the status of the last entry, or the one given to `exit`.
    nonisolated public func runInteractive<Lines: LineSource>(lines: inout Lines) async -> Int32 {
        await setInteractive()
        var status: Int32 = 0
        var entry = ""
        var lineNumber = 0
        while let line = lines.readLine(prompt: entry.isEmpty ? "cfsh> " : "...> ", continuation: !entry.isEmpty) {
            lineNumber += 1
            entry = entry.isEmpty ? line : entry + "\n" + line
            do {
                _ = try Parser.parse(entry, file: "<stdin>")
            } catch let error where error.isIncompleteInput {
                continue
            } catch {
                // Reported by run(source:file:) below, with the same text.
            }
            lines.record(entry: entry)
            let (entryStatus, exited) = await runEntry(entry)
            entry = ""
            status = entryStatus
            if exited { return status }
        }
        if !entry.isEmpty { status = await runEntry(entry).status }
        return status
    }

    private func setInteractive() { isInteractive = true }

    /// Runs one interactive entry; `exited` when it ran `exit`.
    private func runEntry(_ entry: String) async -> (status: Int32, exited: Bool) {
        exitRequested = false
        let status = await run(source: entry, file: "<stdin>")
        return (status, exitRequested)
    }

    /// Set by `exit`, so that the interactive loop stops.
    var exitRequested = false

    /// Closes the connection, if any.
    public func shutdown() async {
        stdout.flush()
        stderr.flush()
        if let client {
            try? await client.shutdown()
            self.client = nil
        }
    }
}
