import CFSHTestSupport
import Foundation
import Testing

/// A wrong or unreachable endpoint fails at once with a message that names the host and
/// port; a hanging connection or a retry's backoff stops at the first SIGINT, with 130.
@Suite("Failing fast and stopping when asked", .timeLimit(.minutes(3)))
struct FailFastE2ETests {
    /// `cfsh -c TEXT` against `environment`, timed.
    static func timed(_ text: String, _ environment: [String: String]) async throws -> (CommandResult, Duration) {
        let started = ContinuousClock.now
        let result = try await CFSHBinary.run(["-c", text], environment: environment, timeout: .seconds(60))
        return (result, ContinuousClock.now - started)
    }

    /// Whether every `(` in `text` is closed, and no `)` comes before its `(`.
    static func balanced(_ text: String) -> Bool {
        var depth = 0
        for character in text {
            if character == "(" { depth += 1 }
            if character == ")" { depth -= 1 }
            if depth < 0 { return false }
        }
        return depth == 0
    }

    static func expectPlain(_ stderr: String, sourceLocation: SourceLocation = #_sourceLocation) {
        for word in ["NIO", "IOError", "errno", "SocketAddressError", "HTTPClientError"] {
            #expect(!stderr.contains(word), "\(stderr)", sourceLocation: sourceLocation)
        }
        #expect(Self.balanced(stderr), "\(stderr)", sourceLocation: sourceLocation)
    }

    @Test("a refused port fails within a second or so, naming host and port, without retries")
    func refused() async throws {
        let port = try Blackhole(listening: false)
        defer { port.close() }
        let (result, elapsed) = try await Self.timed(
            "ls", ["ST_AUTH": "http://127.0.0.1:\(port.port)/auth/v1.0", "ST_USER": "test:tester", "ST_KEY": "testing"])
        #expect(result.status == 1, "\(result)")
        #expect(
            result.stderr.hasSuffix("ls: cannot connect to 127.0.0.1:\(port.port) (connection refused)\n"), "\(result)")
        #expect(!result.stderr.contains("attempts"), "\(result)")
        Self.expectPlain(result.stderr)
        #expect(elapsed < .seconds(3), "took \(elapsed)")
    }

    @Test("a refused storage URL (no auth) fails the same way")
    func refusedStorage() async throws {
        let port = try Blackhole(listening: false)
        defer { port.close() }
        let (result, elapsed) = try await Self.timed(
            "ls", ["OS_STORAGE_URL": "http://127.0.0.1:\(port.port)/v1/AUTH_test", "OS_AUTH_TOKEN": "token"])
        #expect(result.status == 1, "\(result)")
        #expect(
            result.stderr.hasSuffix("ls: cannot connect to 127.0.0.1:\(port.port) (connection refused)\n"), "\(result)")
        Self.expectPlain(result.stderr)
        #expect(elapsed < .seconds(3), "took \(elapsed)")
    }

    @Test("a host name that does not exist fails at once as an unknown host")
    func unknownHost() async throws {
        let host = "cfsh-no-such-host-\(UUID().uuidString.prefix(8).lowercased()).invalid"
        let (result, elapsed) = try await Self.timed(
            "ls", ["ST_AUTH": "https://\(host)/auth/v1.0", "ST_USER": "test:tester", "ST_KEY": "testing"])
        #expect(result.status == 1, "\(result)")
        #expect(result.stderr.hasSuffix("ls: cannot connect to \(host):443 (unknown host)\n"), "\(result)")
        Self.expectPlain(result.stderr)
        #expect(elapsed < .seconds(3), "took \(elapsed)")
    }

    /// Starts `cfsh ARGUMENTS` with `environment`; the caller signals and waits.
    static func start(
        _ arguments: [String], _ environment: [String: String], directory: String? = nil
    ) throws -> (Process, Pipe, Pipe) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CFSHBinary.path)
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("OS_") && !$0.key.hasPrefix("ST_") }
        env.merge(environment) { _, new in new }
        process.environment = env
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return (process, output, errors)
    }

    /// Sends SIGINT and returns what cfsh printed, and how long it took to end after it.
    static func interrupt(_ process: Process, _ output: Pipe, _ errors: Pipe) async -> (String, String, Duration) {
        let signalled = ContinuousClock.now
        process.interrupt()
        async let out = readToEnd(output.fileHandleForReading)
        async let err = readToEnd(errors.fileHandleForReading)
        let (stdout, stderr) = await (out, err)
        await waitForExit(process)
        return (
            String(decoding: stdout, as: UTF8.self), String(decoding: stderr, as: UTF8.self),
            ContinuousClock.now - signalled
        )
    }

    @Test("SIGINT while authentication hangs on a server that never answers ends cfsh -c with 130 at once")
    func interruptHangingAuthentication() async throws {
        let hole = try Blackhole()
        defer { hole.close() }
        let (process, output, errors) = try Self.start(
            ["-c", "ls; echo never"],
            ["ST_AUTH": "http://127.0.0.1:\(hole.port)/auth/v1.0", "ST_USER": "test:tester", "ST_KEY": "testing"])
        #expect(await hole.waitForConnection(), "cfsh never connected")
        try await Task.sleep(for: .milliseconds(200))
        let (stdout, stderr, elapsed) = await Self.interrupt(process, output, errors)
        #expect(process.terminationStatus == 130, "\(stderr)")
        #expect(process.terminationReason == .exit)
        #expect(stdout == "")
        #expect(stderr == "cfsh: interrupted\n")
        #expect(elapsed < .seconds(3), "took \(elapsed)")
    }

    @Test("SIGINT while a storage request hangs ends a script with 130 at once")
    func interruptHangingRequest() async throws {
        let hole = try Blackhole()
        defer { hole.close() }
        let scratch = try TemporaryFolder()
        defer { scratch.remove() }
        try scratch.write("hang.cfsh", "ls c\necho never\n")
        let (process, output, errors) = try Self.start(
            ["run", "hang.cfsh"],
            ["OS_STORAGE_URL": "http://127.0.0.1:\(hole.port)/v1/AUTH_test", "OS_AUTH_TOKEN": "token"],
            directory: scratch.path)
        #expect(await hole.waitForConnection(), "cfsh never connected")
        try await Task.sleep(for: .milliseconds(200))
        let (stdout, stderr, elapsed) = await Self.interrupt(process, output, errors)
        #expect(process.terminationStatus == 130, "\(stderr)")
        #expect(stdout == "")
        #expect(stderr == "cfsh: interrupted\n")
        #expect(elapsed < .seconds(3), "took \(elapsed)")
    }

    @Test("SIGINT during the backoff between retries of a 503 ends cfsh with 130 at once")
    func interruptBackoff() async throws {
        let server = try HostileServer(mode: "endless-503")
        defer { server.stop() }
        let (process, output, errors) = try Self.start(["-c", "ls c"], server.environment)
        // The first 503 has come: the client now waits before sending again.
        let deadline = ContinuousClock.now + .seconds(20)
        while ((try? server.stats().requests) ?? 0) < 2, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        try await Task.sleep(for: .milliseconds(100))
        let (_, stderr, elapsed) = await Self.interrupt(process, output, errors)
        #expect(process.terminationStatus == 130, "\(stderr)")
        #expect(stderr == "cfsh: interrupted\n")
        #expect(elapsed < .seconds(3), "took \(elapsed)")
    }
}
