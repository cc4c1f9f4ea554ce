import Foundation

/// What a shell needs from the process that starts it.
public struct ShellConfiguration: Sendable {
    /// `$0`.
    public var scriptName: String
    /// `$1`, `$2`, …
    public var arguments: [String]
    public var environment: [String: String]
    public var debug: Bool

    public init(scriptName: String, arguments: [String], environment: [String: String], debug: Bool) {
        self.scriptName = scriptName
        self.arguments = arguments
        self.environment = environment
        self.debug = debug
    }

    /// A configuration from this process's environment.
    public static func fromProcess(scriptName: String, arguments: [String], debug: Bool) -> ShellConfiguration {
        ShellConfiguration(
            scriptName: scriptName, arguments: arguments, environment: ProcessInfo.processInfo.environment,
            debug: debug)
    }
}

/// One cfsh session: its variables, working folders and connection.
public actor Shell {
    let configuration: ShellConfiguration

    public init(configuration: ShellConfiguration) {
        self.configuration = configuration
    }

    /// Parses `source` whole, then runs it. Returns the exit status.
    public func run(source: String, file: String) async -> Int32 {
        do {
            _ = try Parser.parse(source, file: file)
            return 0
        } catch {
            FileHandle.standardError.write(Data((error.diagnostic.rendered(source: source) + "\n").utf8))
            return 2
        }
    }

    /// Reads a script from `path` (`-` for standard input) and runs it.
    public func runFile(_ path: String) async -> Int32 {
        let source: String
        if path == "-" {
            source = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
        } else {
            guard let data = FileManager.default.contents(atPath: path) else {
                FileHandle.standardError.write(Data("cfsh: cannot read script '\(path)'\n".utf8))
                return 2
            }
            source = String(decoding: data, as: UTF8.self)
        }
        return await run(source: source, file: path == "-" ? "<stdin>" : path)
    }

    /// Reads statements from `lines`, running each as soon as it is complete.
    nonisolated public func runInteractive<Lines: LineSource>(lines: inout Lines) async -> Int32 {
        var status: Int32 = 0
        while let line = lines.readLine(prompt: "cfsh> ", continuation: false) {
            status = await run(source: line, file: "<stdin>")
        }
        return status
    }

    /// Closes the connection, if any.
    public func shutdown() async {}
}
