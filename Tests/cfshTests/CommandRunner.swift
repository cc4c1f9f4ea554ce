import CFSHTestSupport
import Foundation
import Testing

/// What one run of the built `cfsh` binary did.
struct CommandResult: Sendable, CustomStringConvertible {
    var status: Int32
    var stdout: String
    var stderr: String

    var description: String { "exit \(status)\n--- stdout\n\(stdout)--- stderr\n\(stderr)" }
    /// Standard output split into lines, without the final empty one.
    var lines: [String] { stdout.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init) }

    /// Expects this exit status and standard output and, when given, this standard error,
    /// each reported at the caller's line.
    func expect(
        status: Int32, stdout: String, stderr: String? = nil, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(self.status == status, sourceLocation: sourceLocation)
        #expect(self.stdout == stdout, sourceLocation: sourceLocation)
        if let stderr { #expect(self.stderr == stderr, sourceLocation: sourceLocation) }
    }
}

/// Runs the built `cfsh` with pipes, as ArgumentParser's `AssertExecuteCommand` does.
enum CFSHBinary {
    /// `$CFSH_BIN`, or `cfsh` next to the test bundle in the build products folder.
    static var path: String {
        if let path = ProcessInfo.processInfo.environment["CFSH_BIN"], !path.isEmpty { return path }
        let runner = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var folder = runner.deletingLastPathComponent()
        // On macOS the runner sits inside the .xctest bundle: Products/X.xctest/Contents/MacOS/X.
        while folder.path != "/" && folder.pathComponents.contains(where: { $0.hasSuffix(".xctest") }) {
            folder = folder.deletingLastPathComponent()
        }
        return folder.appendingPathComponent("cfsh").path
    }

    /// Starts cfsh in the background with `arguments`, in `directory`, with `environment`
    /// added to a clean environment (no inherited OS_* or ST_* variables), its output thrown
    /// away: for the tests that kill it midway.
    static func start(_ arguments: [String], environment: [String: String], directory: String) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        process.environment = ProcessInfo.processInfo.environment
            .filter { !$0.key.hasPrefix("OS_") && !$0.key.hasPrefix("ST_") }
            .merging(environment) { _, new in new }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// Runs cfsh with `arguments`, feeding `stdin`, in `directory`, with `environment`
    /// added to a clean environment (no inherited OS_* or ST_* variables); `wrapper`, when
    /// given, is a command that runs cfsh (such as `/usr/bin/time -f …`).
    static func run(
        _ arguments: [String], stdin: String = "", environment: [String: String] = [:],
        directory: String? = nil, timeout: Duration = .seconds(120), wrapper: [String] = []
    ) async throws -> CommandResult {
        let binary = path
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            Issue.record("no cfsh binary at \(binary): build it with 'swift build', or set CFSH_BIN")
            throw CancellationError()
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: wrapper.first ?? binary)
        process.arguments = wrapper.isEmpty ? arguments : Array(wrapper.dropFirst()) + [binary] + arguments
        var env = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("OS_") && !$0.key.hasPrefix("ST_") }
        env["NO_COLOR"] = "1"
        env.merge(environment) { _, new in new }
        process.environment = env
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        let input = Pipe()
        let output = Pipe()
        let errors = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        // Read both pipes while the process runs, so a large output cannot block it.
        async let out = readToEnd(output.fileHandleForReading)
        async let err = readToEnd(errors.fileHandleForReading)
        input.fileHandleForWriting.write(Data(stdin.utf8))
        try? input.fileHandleForWriting.close()
        let deadline = ContinuousClock.now + timeout
        while process.isRunning {
            if ContinuousClock.now > deadline {
                process.terminate()
                Issue.record("cfsh \(arguments) ran longer than \(timeout)")
                break
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        await waitForExit(process)
        return CommandResult(
            status: process.terminationStatus, stdout: String(decoding: await out, as: UTF8.self),
            stderr: String(decoding: await err, as: UTF8.self))
    }

    /// Writes `text` to the script `name` in a new scratch folder, and runs `cfsh run NAME
    /// ARGUMENTS` there.
    static func runScript(_ name: String, _ text: String, arguments: [String] = []) async throws -> CommandResult {
        let scratch = try TemporaryFolder()
        defer { scratch.remove() }
        try scratch.write(name, text)
        return try await run(["run", name] + arguments, directory: scratch.path)
    }

    /// Runs `cfsh -c TEXT`.
    static func command(
        _ text: String, environment: [String: String] = [:], directory: String? = nil
    ) async throws -> CommandResult {
        try await run(["-c", text], environment: environment, directory: directory)
    }
}

/// Reads a pipe to its end on a Dispatch thread: a blocking read on Swift's
/// cooperative pool would starve the other tests running in parallel.
func readToEnd(_ handle: FileHandle) async -> Data {
    await withCheckedContinuation { continuation in
        DispatchQueue.global().async { continuation.resume(returning: handle.readDataToEndOfFile()) }
    }
}

/// Waits for a process on a Dispatch thread, for the same reason.
func waitForExit(_ process: Process) async {
    await withCheckedContinuation { continuation in
        DispatchQueue.global().async {
            process.waitUntilExit()
            continuation.resume()
        }
    }
}
