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
}

/// Runs the built `cfsh` with pipes, as ArgumentParser's `AssertExecuteCommand` does.
enum CFSHBinary {
    /// The package folder, from this file's path: Tests/cfshTests/CommandRunner.swift.
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

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

/// A scratch folder, removed by `remove()`.
struct ScratchFolder: Sendable {
    let path: String

    init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("cfsh-e2e-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func file(_ relative: String, _ contents: String) throws {
        let url = URL(fileURLWithPath: path).appendingPathComponent(relative)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(contents.utf8).write(to: url)
    }

    func read(_ relative: String) -> String? {
        FileManager.default.contents(atPath: path + "/" + relative).map { String(decoding: $0, as: UTF8.self) }
    }

    func exists(_ relative: String) -> Bool {
        FileManager.default.fileExists(atPath: path + "/" + relative)
    }

    /// Every file below the folder, as sorted relative paths.
    func files() -> [String] {
        let enumerator = FileManager.default.enumerator(atPath: path)
        var files: [String] = []
        while let relative = enumerator?.nextObject() as? String {
            var isDirectory: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: path + "/" + relative, isDirectory: &isDirectory)
            if !isDirectory.boolValue { files.append(relative) }
        }
        return files.sorted()
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }
}
