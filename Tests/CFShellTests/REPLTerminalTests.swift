import Foundation
import Testing

@testable import CFShell
@testable import CFShellLanguage

@Suite("REPL prompt, terminal rules and progress line")
struct REPLTerminalTests {
    @Test("The prompt says who and where, or that nothing is connected")
    func prompt() {
        #expect(Prompt.primary(connection: nil, folder: "/") == "cfsh (not connected)> ")
        let connection = Prompt.Connection(who: "test", host: "127.0.0.1")
        #expect(
            Prompt.primary(connection: connection, folder: "/backups/2026") == "cfsh test@127.0.0.1:/backups/2026> ")
        #expect(Prompt.primary(connection: connection, folder: "/a\u{1B}[2Jb") == "cfsh test@127.0.0.1:/a?[2Jb> ")
    }

    @Test(
        "The account shown for a storage URL path",
        arguments: [
            ("/v1/AUTH_test", "test"), ("/v1/MossoCloudFS_123456", "123456"), ("/v1/AUTH_", "AUTH_"),
            ("/v1/acct", "acct"),
        ])
    func account(path: String, expected: String) {
        #expect(Prompt.accountName(storagePath: path) == expected)
    }

    @Test(
        "An open block or a trailing backslash asks for more; errors and complete text do not",
        arguments: [
            ("foreach x in a b {", true), ("if stat x {\n  echo y", true), ("echo a \\", true),
            ("ls", false), ("ls }", false), ("foreach x in a { echo $x }", false), ("", false),
        ])
    func needsMoreInput(text: String, expected: Bool) {
        #expect(REPL.needsMoreInput(text) == expected)
    }

    @Test(
        "Terminal rules: editor, colour and progress",
        arguments: [
            (
                TTY(
                    inputIsTerminal: true, outputIsTerminal: true, errorIsTerminal: true, term: "xterm", noColor: false),
                true, true, true
            ),
            (
                TTY(inputIsTerminal: true, outputIsTerminal: true, errorIsTerminal: true, term: "dumb", noColor: false),
                false, false, false
            ),
            (
                TTY(
                    inputIsTerminal: false, outputIsTerminal: true, errorIsTerminal: true, term: "xterm", noColor: false
                ),
                false, true, true
            ),
            (
                TTY(
                    inputIsTerminal: true, outputIsTerminal: true, errorIsTerminal: false, term: "xterm", noColor: false
                ),
                true, false, false
            ),
            (
                TTY(inputIsTerminal: true, outputIsTerminal: true, errorIsTerminal: true, term: "xterm", noColor: true),
                true, false, true
            ),
        ])
    func rules(tty: TTY, interactive: Bool, colour: Bool, progress: Bool) {
        #expect(tty.isInteractive == interactive)
        #expect(tty.colorsErrors == colour)
        #expect(tty.showsProgress == progress)
        #expect(tty.errorText("boom") == (colour ? "\u{1B}[31mboom\u{1B}[0m" : "boom"))
    }

    @Test("NO_COLOR counts when set to anything, even empty")
    func noColor() {
        #expect(TTY.current(environment: ["NO_COLOR": ""]).noColor)
        #expect(!TTY.current(environment: [:]).noColor)
    }

    @Test("A progress line: bytes, percentage, rate and time left")
    func progressLine() {
        let line = ProgressLine.render(
            label: "get big.iso", done: 48 << 20, total: 100 << 20, elapsed: .seconds(4), width: 100)
        #expect(line == "get big.iso  48.0 MiB / 100.0 MiB  48%  12.0 MiB/s  ETA 0:05")
    }

    @Test("Without a size there is no percentage or ETA; a long name is shortened to fit")
    func progressLineFits() {
        let line = ProgressLine.render(
            label: "get " + String(repeating: "x", count: 100), done: 1500, total: nil, elapsed: .seconds(1), width: 40)
        #expect(line.count <= 39)
        #expect(line.hasPrefix("…x"))
        #expect(line.hasSuffix("1.5 KiB  1.5 KiB/s"))
    }

    @Test(
        "Sizes and durations read the way people write them",
        arguments: [
            (Int64(0), "0 B"), (1023, "1023 B"), (1024, "1.0 KiB"), (5 << 30, "5.0 GiB"),
        ])
    func bytes(count: Int64, expected: String) {
        #expect(ProgressLine.bytes(count) == expected)
    }

    @Test("A command shorter than half a second draws nothing; finish erases what was drawn")
    func progressTiming() async throws {
        let drawn = Drawn()
        let quick = CommandProgress(verb: "get", files: 1, totalBytes: 10, enabled: true, inPlace: true) {
            drawn.append($0)
        }
        quick.reporter()?(10)
        quick.fileDone()
        quick.finish()
        #expect(drawn.text.isEmpty)
        let slow = CommandProgress(verb: "get", files: 2, totalBytes: 100, enabled: true, inPlace: true) {
            drawn.append($0)
        }
        try await Task.sleep(for: .milliseconds(600))
        slow.reporter()?(50)
        slow.finish()
        #expect(drawn.text.hasPrefix("\rget 0/2 files  50 B / 100 B  50%"), "\(drawn.text)")
        #expect(drawn.text.hasSuffix("\r\u{1B}[K"))
    }

    @Test("Files side by side add up, a retry starting again from zero is not counted twice, and skipped files count")
    func progressSums() async throws {
        let shared = Drawn()
        let both = CommandProgress(verb: "put", files: 3, totalBytes: 300, enabled: true, inPlace: true) {
            shared.append($0)
        }
        let first = try #require(both.reporter())
        let second = try #require(both.reporter())
        try await Task.sleep(for: .milliseconds(600))
        first(100)
        second(50)
        try await Task.sleep(for: .milliseconds(250))
        first(20)  // the first file's upload was retried from the start
        try await Task.sleep(for: .milliseconds(250))
        both.fileDone(skippedBytes: 100)
        #expect(shared.text.contains("put 1/3 files  170 B / 300 B  56%"), "\(shared.text)")
    }

    @Test("Off draws nothing; with --progress in a pipe, plain lines and a last one at the end")
    func progressModes() async throws {
        let drawn = Drawn()
        let off = CommandProgress(verb: "get", files: 1, totalBytes: 100, enabled: false, inPlace: true) { _ in
            drawn.append("never")
        }
        #expect(off.reporter() == nil)
        try await Task.sleep(for: .milliseconds(600))
        off.fileDone()
        off.finish()
        #expect(drawn.text.isEmpty)
        let plain = CommandProgress(verb: "get", files: 1, totalBytes: 100, enabled: true, inPlace: false) {
            drawn.append($0)
        }
        try await Task.sleep(for: .milliseconds(600))
        plain.reporter()?(100)
        plain.fileDone()
        plain.finish()
        #expect(!drawn.text.contains("\r"))
        let lines = drawn.text.split(separator: "\n")
        #expect(lines.count == 2, "a line when due, and the last one at the end: \(drawn.text)")
        #expect(lines.last?.hasPrefix("get 1/1 files  100 B / 100 B  100%  ") == true, "\(drawn.text)")
        #expect(drawn.text.hasSuffix("\n"))
    }
}

/// Collects what a progress line writes.
final class Drawn: @unchecked Sendable {
    // Guarded by `lock`.
    private let lock = NSLock()
    private var parts: [String] = []

    func append(_ text: String) {
        lock.lock()
        parts.append(text)
        lock.unlock()
    }

    var text: String {
        lock.lock()
        defer { lock.unlock() }
        return parts.joined()
    }
}
