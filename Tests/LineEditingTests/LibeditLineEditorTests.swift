import Dispatch
import Testing

@testable import LineEditing

@Suite("Libedit line editor in a pseudo-terminal", .timeLimit(.minutes(1)))
struct LibeditLineEditorTests {
    @Test("A typed line comes back without its newline")
    func readsALine() throws {
        let pty = try PseudoTerminal()
        let editor = try pty.makeEditor()
        pty.type("ls -l photos\r")
        #expect(editor.readLine(prompt: "cfsh> ") == .line("ls -l photos"))
        #expect(pty.screenText().contains("cfsh> "))
    }

    @Test("Non-ASCII input is decoded as UTF-8")
    func readsUnicode() throws {
        let pty = try PseudoTerminal()
        let editor = try pty.makeEditor()
        pty.type("put résumé.pdf 日本\r")
        #expect(editor.readLine(prompt: "> ") == .line("put résumé.pdf 日本"))
    }

    @Test("Ctrl-D on an empty line is the end of input")
    func controlDEndsInput() throws {
        let pty = try PseudoTerminal()
        let editor = try pty.makeEditor()
        pty.type("\u{04}")
        #expect(editor.readLine(prompt: "> ") == .endOfInput)
    }

    @Test("The up arrow recalls loaded history, newest first")
    func upArrowRecallsHistory() throws {
        let pty = try PseudoTerminal()
        let editor = try pty.makeEditor()
        editor.loadHistory(["ls", "cd backups", "stat db.sql"])
        pty.type("\u{1B}[A\u{1B}[A\r")
        #expect(editor.readLine(prompt: "> ") == .line("cd backups"))
    }

    @Test("A multi-line entry is kept and recalled whole")
    func multiLineHistory() throws {
        let pty = try PseudoTerminal()
        let editor = try pty.makeEditor()
        let entry = "foreach f in *.sql {\n  put $f\n}"
        editor.addHistory("ls")
        editor.addHistory(entry)
        #expect(editor.history == ["ls", entry])
        pty.type("\u{10}\r")  // Ctrl-P
        #expect(editor.readLine(prompt: "> ") == .line(entry))
    }

    @Test("Consecutive duplicates are stored once")
    func uniqueHistory() throws {
        let pty = try PseudoTerminal()
        let editor = try pty.makeEditor()
        editor.loadHistory(["ls", "ls", "pwd", "ls"])
        #expect(editor.history == ["ls", "pwd", "ls"])
    }

    @Test("Interrupting from another thread discards the line being typed")
    func interruptDiscardsLine() throws {
        let pty = try PseudoTerminal()
        let editor = try pty.makeEditor()
        let control = editor.control
        pty.type("rm -r everything")
        pty.when(screenShows: "rm -r everything") { control.interrupt() }
        #expect(editor.readLine(prompt: "> ") == .interrupted)
        #expect(pty.screenText().contains("rm -r everything^C"))
        pty.type("pwd\r")
        #expect(editor.readLine(prompt: "> ") == .line("pwd"))
    }

    @Test("An interrupt left over from a finished command does not eat the next line")
    func staleInterruptIsDropped() throws {
        let pty = try PseudoTerminal()
        let editor = try pty.makeEditor()
        editor.control.interrupt()
        pty.type("pwd\r")
        #expect(editor.readLine(prompt: "> ") == .line("pwd"))
    }
}
