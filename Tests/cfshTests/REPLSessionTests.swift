import CFSHTestSupport
import Foundation
import Testing

/// The interactive cfsh in a real terminal (a tmux pane): what a person sees
/// and what their keys do. Tests that need the server connect as test:tester.
@Suite("REPL in a pseudo-terminal", .timeLimit(.minutes(3)))
struct REPLSessionTests {
    static let disconnected = "cfsh (not connected)>"
    static let connected = "cfsh test@127.0.0.1:/>"

    /// A session connected with `connect` (from ST_AUTH, ST_USER and ST_KEY).
    static func connectedSession(directory: String? = nil) async throws -> PTYSession {
        try await LocalServer.require()
        let session = try PTYSession(directory: directory, environment: LocalServer.environment)
        try await session.waitForLastLine(disconnected)
        try session.enter("connect")
        try await session.waitForLastLine(connected)
        return session
    }

    @Test("The prompt shows that nothing is connected, then who and where; cd changes it")
    func prompt() async throws {
        try await withContainer("replprompt") { container, _ in
            #expect(try await LocalServer.swiftclient(["post", container]).status == 0)
            let session = try await Self.connectedSession()
            try session.enter("cd \(container)")
            let screen = try await session.waitForLastLine("cfsh test@127.0.0.1:/\(container)>")
            #expect(screen.hasPrefix(Self.disconnected + " connect\n"))
            #expect(screen.contains("\(Self.connected) cd \(container)\n"))
        }
    }

    @Test("Tab completes a command name and an option of the command being typed")
    func commandAndOption() async throws {
        let session = try PTYSession()
        try await session.waitForLastLine(Self.disconnected)
        try session.type("rmd")
        try session.press("Tab")
        try await session.waitForLastLine(Self.disconnected + " rmdir")
        try session.type("--f")
        try session.press("Tab")
        try await session.waitForLastLine(Self.disconnected + " rmdir --force")
        try session.press("C-u")
        try session.type("ls --rec")
        try session.press("Tab")
        try await session.waitForLastLine(Self.disconnected + " ls --recursive")
    }

    @Test("Tab completes a container, an object under a pseudo-folder and a name with a space")
    func remoteNames() async throws {
        try await withContainer("replcomp") { container, scratch in
            try scratch.write("f.txt", "x\n")
            for name in ["photos/2024/beach.jpg", "photos/2024/bay.jpg", "photos/my summer.jpg"] {
                let upload = try await LocalServer.swiftclient(
                    ["upload", container, "f.txt", "--object-name", name], directory: scratch.path)
                #expect(upload.status == 0, "\(upload)")
            }
            let session = try await Self.connectedSession()
            try session.type("ls " + container.dropLast(3))
            try session.press("Tab")
            try await session.waitForLastLine("\(Self.connected) ls \(container)/")
            try session.type("photos/2024/be")
            try session.press("Tab")
            try await session.waitForLastLine("\(Self.connected) ls \(container)/photos/2024/beach.jpg")
            try session.press("C-u")
            try session.type("ls \(container)/photos/my")
            try session.press("Tab")
            try await session.waitForLastLine("\(Self.connected) ls '\(container)/photos/my summer.jpg'")
            try session.press("Enter")
            try await session.waitFor("\n\(container)/photos/my summer.jpg\n\(Self.connected)")
            // Two matches: the common part, then the list of both on the next Tab.
            try session.type("ls \(container)/photos/2024/b")
            try session.press("Tab")
            try session.press("Tab")
            let screen = try await session.waitForScreen("both candidates on one line") { screen in
                screen.split(separator: "\n").contains { $0.hasPrefix("bay.jpg ") && $0.hasSuffix(" beach.jpg") }
            }
            #expect(screen.hasSuffix("\(Self.connected) ls \(container)/photos/2024/b"))
        }
    }

    @Test("History is recalled with the up arrow after a restart, and the file is private")
    func historyAcrossSessions() async throws {
        let first = try PTYSession()
        try await first.waitForLastLine(Self.disconnected)
        try first.enter("echo remembered-entry")
        try await first.waitFor("\nremembered-entry\n")
        try first.press("C-d")
        #expect(try await first.waitForExit() == 0)

        let second = try PTYSession(home: first.home)
        try await second.waitForLastLine(Self.disconnected)
        try second.press("Up")
        try await second.waitForLastLine(Self.disconnected + " echo remembered-entry")
        let path = first.stateHome + "/cfsh/history"
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        #expect(first.historyFile == "echo remembered-entry\n")
    }

    @Test("A secret typed on the command line does not reach the history file")
    func secretRedacted() async throws {
        try await LocalServer.require()
        let session = try PTYSession()
        try await session.waitForLastLine(Self.disconnected)
        try session.enter(
            "connect --auth-url \(LocalServer.authURL) --user \(LocalServer.user) --key \(LocalServer.key)")
        try await session.waitForLastLine(Self.connected)
        try session.press("C-d")
        #expect(try await session.waitForExit() == 0)
        let history = try #require(session.historyFile)
        #expect(history == "connect --auth-url \(LocalServer.authURL) --user \(LocalServer.user) --key ***\n")
        #expect(!history.contains(LocalServer.key))
    }

    @Test("A short -K key, glued or not, in a line of several statements, does not reach the history file")
    func shortKeyRedacted() async throws {
        try await LocalServer.require()
        let session = try PTYSession()
        try await session.waitForLastLine(Self.disconnected)
        try session.enter("connect -A \(LocalServer.authURL) -U \(LocalServer.user) -K\(LocalServer.key); pwd")
        try await session.waitForLastLine(Self.connected)
        try session.enter("if connect -A \(LocalServer.authURL) -U \(LocalServer.user) -K '\(LocalServer.key)' { pwd }")
        try await session.waitForLastLine(Self.connected)
        try session.press("C-d")
        #expect(try await session.waitForExit() == 0)
        let history = try #require(session.historyFile)
        #expect(
            history == """
                connect -A \(LocalServer.authURL) -U \(LocalServer.user) -K***; pwd
                if connect -A \(LocalServer.authURL) -U \(LocalServer.user) -K *** { pwd }

                """)
        #expect(!history.contains(LocalServer.key))
    }

    @Test("An unfinished block continues on a secondary prompt and is one history entry")
    func multiLine() async throws {
        let session = try PTYSession()
        try await session.waitForLastLine(Self.disconnected)
        try session.enter("foreach x in one two {")
        try await session.waitForLastLine("...>")
        try session.enter("  echo item-$x")
        try session.enter("}")
        try await session.waitFor("item-one\nitem-two\n\(Self.disconnected)")
        try session.press("C-d")
        #expect(try await session.waitForExit() == 0)
        #expect(session.historyFile == "foreach x in one two {\\n  echo item-$x\\n}\n")
    }

    @Test("Ctrl-C while typing discards the line and gives a fresh prompt")
    func controlCWhileTyping() async throws {
        let session = try PTYSession()
        try await session.waitForLastLine(Self.disconnected)
        try session.type("echo never-run")
        // Until the line editor has drawn every key: on a loaded machine a Ctrl-C sent at
        // once overtook the typing, and the line it discarded held only "e".
        _ = try await session.waitForLastLine(Self.disconnected + " echo never-run")
        try session.press("C-c")
        let screen = try await session.waitForLastLine(Self.disconnected)
        #expect(screen.contains(Self.disconnected + " echo never-run^C\n"))
        #expect(!screen.contains("\nnever-run"))
        try session.press("C-d")
        #expect(try await session.waitForExit() == 0)
        #expect(session.historyFile == nil)
    }

    @Test("Ctrl-C during a large get leaves no partial file, returns to the prompt, and the connection still works")
    func controlCDuringGet() async throws {
        try await withContainer("replsigint") { container, scratch in
            let out = try await LocalServer.uploadSparseBigFile(to: container, from: scratch)

            let session = try await Self.connectedSession(directory: scratch.path)
            try session.enter("get \(container)/big.bin out/")
            let started = ContinuousClock.now
            // The download's file has no name on Linux: it is found through /proc.
            while !anyProcessHoldsFileOpen(under: out), ContinuousClock.now - started < .seconds(30) {
                try await Task.sleep(for: .milliseconds(10))
            }
            #expect(anyProcessHoldsFileOpen(under: out), "the download never started")
            try session.press("C-c")
            let screen = try await session.waitForLastLine(Self.connected)
            #expect(screen.contains("^C\ncfsh: interrupted\n"))
            #expect(try FileManager.default.contentsOfDirectory(atPath: out) == [])
            #expect(try session.exitStatus() == nil)
            try session.enter("ls \(container)")
            try await session.waitFor("\n\(container)/big.bin\n\(Self.connected)")
        }
    }

    @Test("Ctrl-D on an empty line exits with the last status")
    func controlD() async throws {
        let session = try PTYSession()
        try await session.waitForLastLine(Self.disconnected)
        try session.press("C-d")
        #expect(try await session.waitForExit() == 0)
    }

    @Test("exit ends the session with its code")
    func exitCode() async throws {
        let session = try PTYSession()
        try await session.waitForLastLine(Self.disconnected)
        try session.enter("exit 3")
        // The session ends. (tmux 3.3 here reports an empty pane_dead_status for this
        // pane, so the code itself is checked by the script and stdin tests.)
        _ = try await session.waitForExit()
        #expect(try session.exitStatus() != nil)
    }

    @Test("Errors are red on a terminal, and plain with NO_COLOR")
    func colours() async throws {
        for (environment, red) in [([String: String](), true), (["NO_COLOR": "1"], false)] {
            let session = try PTYSession(environment: environment)
            try await session.waitForLastLine(Self.disconnected)
            try session.enter("lcd /nonexistent-folder")
            try await session.waitForLastLine(Self.disconnected)
            let screen = try session.screen(escapes: true)
            #expect(screen.contains("\u{1B}[31m") == red, "\(screen.debugDescription)")
        }
    }

    @Test("The prompt appears well under a second after start")
    func startup() async throws {
        let started = ContinuousClock.now
        let session = try PTYSession()
        try await session.waitForLastLine(Self.disconnected)
        let elapsed = ContinuousClock.now - started
        // tmux's own start and polling are included; cfsh itself takes ~30 ms.
        #expect(elapsed < .seconds(1))
    }
}
