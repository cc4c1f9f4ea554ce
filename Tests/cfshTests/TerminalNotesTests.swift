import CFSHTestSupport
import Foundation
import Testing

/// Issue 13, item 18, where a terminal is what matters: the note for an empty listing, errors
/// at the prompt without a script's `file:line:col:`, and help wrapped to the terminal.
@Suite("Terminal notes, prompt errors and help width", .timeLimit(.minutes(3)))
struct TerminalNotesTests {
    static let disconnected = "cfsh (not connected)>"

    @Test("ls of an empty account says so on a terminal and prints nothing in a script")
    func emptyAccount() async throws {
        try await LocalServer.require()
        // The second tempauth account holds no containers (no test creates any there).
        let environment = [
            "ST_AUTH": LocalServer.authURL, "ST_USER": LocalServer.secondUser, "ST_KEY": LocalServer.secondKey,
        ]
        let script = try await CFSHBinary.run(["-c", "ls; ls --json"], environment: environment)
        guard script.stdout == "[]\n" else {
            Issue.record("the account \(LocalServer.secondUser) is not empty, so this test cannot run: \(script)")
            return
        }
        script.expect(status: 0, stdout: "[]\n", stderr: "")
        let session = try PTYSession(environment: environment)
        try await session.waitForLastLine(Self.disconnected)
        try session.enter("ls")
        let screen = try await session.waitForLastLine("cfsh test2@127.0.0.1:/>")
        #expect(screen.hasSuffix("\(Self.disconnected) ls\n(no containers)\ncfsh test2@127.0.0.1:/>"), "\(screen)")
    }

    @Test("ls of an empty container says so on a terminal")
    func emptyContainer() async throws {
        try await withContainer("emptynote") { container, _ in
            #expect(try await cfsh("mkdir \(container)").status == 0)
            let session = try PTYSession(environment: LocalServer.environment)
            try await session.waitForLastLine(Self.disconnected)
            try session.enter("ls \(container)")
            let screen = try await session.waitForLastLine("cfsh test@127.0.0.1:/>")
            #expect(screen.contains("ls \(container)\n(no objects)\ncfsh test@127.0.0.1:/>"), "\(screen)")
        }
    }

    @Test("Errors at the prompt carry no '<stdin>:1:1:'; a script's keep file:line:col")
    func promptErrors() async throws {
        let session = try PTYSession()
        try await session.waitForLastLine(Self.disconnected)
        try session.enter("echo $nosuchvariable")
        let screen = try await session.waitForScreen("the error and a new prompt") {
            $0.split(separator: "\n").count >= 4 && $0.hasSuffix(Self.disconnected)
        }
        let lines = screen.split(separator: "\n").map(String.init)
        #expect(lines.count == 5, "\(screen)")
        // The message, the line and a caret under the word to blame.
        #expect(lines[1].hasPrefix("echo: "), "\(screen)")
        #expect(lines[1].contains("nosuchvariable"), "\(screen)")
        #expect(lines[2] == "echo $nosuchvariable")
        #expect(lines[3] == "     ^")
        #expect(!screen.contains("<stdin>") && !screen.contains("<prompt>"), "\(screen)")
        // A syntax error too.
        try session.enter("echo 'a' }")
        let syntax = try await session.waitForScreen("the syntax error") {
            $0.split(separator: "\n").count >= 8 && $0.hasSuffix(Self.disconnected)
        }
        #expect(!syntax.contains("<stdin>") && !syntax.contains("<prompt>"), "\(syntax)")
        // The same in a script keeps its place.
        let script = try await CFSHBinary.command("echo $nosuchvariable")
        #expect(script.stderr.hasPrefix("-c:1:6: echo: "), "\(script)")
    }

    @Test("help is wrapped to a narrow terminal, option help under its column, and shows examples")
    func helpWrapped() async throws {
        let session = try PTYSession(width: 50)
        try await session.waitForLastLine(Self.disconnected)
        try session.enter("help rm")
        try await session.waitFor("rm -f /tmp/*.part")
        let screen = try await session.waitForLastLine(Self.disconnected)
        let lines = screen.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        // The terminal would wrap a long line at column 50 but never indent the rest: cfsh did.
        let optionLine = try #require(lines.firstIndex { $0.hasPrefix("  --leave-segments  keep") }, "\(screen)")
        #expect(lines[optionLine + 1].hasPrefix(String(repeating: " ", count: 20)), "\(screen)")
        #expect(lines[optionLine + 1].dropFirst(20).first?.isLetter == true, "\(screen)")
        #expect(lines.allSatisfy { $0.count <= 50 })
        #expect(screen.contains("examples:\n  rm old.log\n"), "\(screen)")
    }

    @Test("help outside a terminal is 80 columns wide")
    func helpInScript() async throws {
        let result = try await CFSHBinary.command("help rm; help put; help set")
        #expect(result.status == 0, "\(result)")
        let widest = result.lines.map(\.count).max() ?? 0
        #expect(widest <= 80, "\(result)")
        #expect(result.stdout.contains("\nexamples:\n  rm old.log\n"))
        #expect(result.stdout.contains("\nexamples:\n  put dump.sql.gz /backups/db/"))
    }
}
