import CFSHTestSupport
import Foundation
import Testing

/// Ctrl-C and Tab at the interactive prompt, in a real terminal: a hanging command stops at
/// the first Ctrl-C, a command that cannot stop ends cfsh at the second, and the first Tab
/// that needs the server connects as `connect` would.
@Suite("REPL: Ctrl-C on hanging commands, Tab connecting on demand", .timeLimit(.minutes(3)))
struct REPLFailFastTests {
    static let disconnected = REPLSessionTests.disconnected

    @Test("Ctrl-C during a command that hangs on the network returns to the prompt at once")
    func controlCDuringHang() async throws {
        let hole = try Blackhole()
        defer { hole.close() }
        let session = try PTYSession(environment: [
            "ST_AUTH": "http://127.0.0.1:\(hole.port)/auth/v1.0", "ST_USER": "test:tester", "ST_KEY": "testing",
        ])
        try await session.waitForLastLine(Self.disconnected)
        try session.enter("ls")
        #expect(await hole.waitForConnection(), "cfsh never connected")
        try await Task.sleep(for: .milliseconds(200))
        let interrupted = ContinuousClock.now
        try session.press("C-c")
        let screen = try await session.waitForLastLine(Self.disconnected, timeout: .seconds(5))
        #expect(ContinuousClock.now - interrupted < .seconds(3))
        #expect(screen.contains("^C\ncfsh: interrupted\n"), "\(screen)")
        #expect(try session.exitStatus() == nil)
        try session.enter("echo still-here")
        try await session.waitFor("\nstill-here\n\(Self.disconnected)")
    }

    @Test("a second Ctrl-C while the command has not stopped ends cfsh with 130")
    func secondControlCEnds() async throws {
        // The secret prompt reads the terminal in a call the first Ctrl-C does not end.
        // cfsh runs under bash, which reports its exit status (tmux's is unreliable here).
        let session = try PTYSession(
            environment: ["ST_AUTH": LocalServer.authURL, "ST_USER": LocalServer.user], shell: true)
        try await session.waitForLastLine("$")
        try session.enter(CFSHBinary.path)
        try await session.waitForLastLine(Self.disconnected)
        try session.enter("connect --password-prompt")
        try await session.waitFor("Key for \(LocalServer.user):")
        try session.press("C-c")
        try await Task.sleep(for: .milliseconds(500))
        #expect(try session.lastLine() == "Key for \(LocalServer.user):", "the first Ctrl-C ended the command")
        try session.press("C-c")
        try await session.waitForLastLine("$", timeout: .seconds(5))
        try session.enter("echo status=$?")
        try await session.waitFor("\nstatus=130\n")
    }

    @Test("the first Tab that needs remote names connects from the environment, as connect would")
    func tabConnectsOnDemand() async throws {
        try await LocalServer.require()
        let container = LocalServer.uniqueContainer("tabconnect")
        #expect(try await LocalServer.swiftclient(["post", container]).status == 0)
        do {
            try await completeAndConnect(container)
        } catch {
            await LocalServer.removeContainer(container)
            throw error
        }
        await LocalServer.removeContainer(container)
    }

    private func completeAndConnect(_ container: String) async throws {
        let session = try PTYSession(environment: LocalServer.environment)
        try await session.waitForLastLine(Self.disconnected)
        try session.type("ls " + container.dropLast(3))
        try await session.waitForLastLine(Self.disconnected + " ls " + container.dropLast(3))
        try session.press("Tab")
        try await session.waitForLastLine(Self.disconnected + " ls \(container)/")
        // The connection stays: the next command uses it, and the prompt shows it.
        try session.press("Enter")
        try await session.waitForLastLine("cfsh test@127.0.0.1:/>")
    }

    @Test("Tab never asks for a secret: without the key it completes nothing and the line stays")
    func tabWithoutSecret() async throws {
        let session = try PTYSession(environment: ["ST_AUTH": LocalServer.authURL, "ST_USER": LocalServer.user])
        try await session.waitForLastLine(Self.disconnected)
        try session.type("ls cfsh-")
        try await session.waitForLastLine(Self.disconnected + " ls cfsh-")
        try session.press("Tab")
        try await Task.sleep(for: .seconds(1))
        let screen = try session.screen()
        #expect(!screen.contains("Key for"), "\(screen)")
        #expect(try session.lastLine() == Self.disconnected + " ls cfsh-")
        try session.press("C-u")
        try session.enter("echo typed-after")
        try await session.waitFor("\ntyped-after\n\(Self.disconnected)")
    }

    @Test("Tab against a refused endpoint completes nothing, prints nothing over the line, and returns")
    func tabRefused() async throws {
        let port = try Blackhole(listening: false)
        defer { port.close() }
        let session = try PTYSession(environment: [
            "ST_AUTH": "http://127.0.0.1:\(port.port)/auth/v1.0", "ST_USER": "test:tester", "ST_KEY": "testing",
        ])
        try await session.waitForLastLine(Self.disconnected)
        try session.type("ls x")
        try await session.waitForLastLine(Self.disconnected + " ls x")
        try session.press("Tab")
        try session.type("y")
        try await session.waitForLastLine(Self.disconnected + " ls xy", timeout: .seconds(3))
        let screen = try session.screen()
        #expect(screen == Self.disconnected + " ls xy", "\(screen)")
        // The command itself says why.
        try session.press("Enter")
        try await session.waitFor("cannot connect to 127.0.0.1:\(port.port) (connection refused)")
    }
}
