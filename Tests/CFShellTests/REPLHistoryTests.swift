import CFSHTestSupport
import Foundation
import Testing

@testable import CFShell
@testable import CFShellLanguage

@Suite("REPL history: redaction, the history file and the history command")
struct REPLHistoryTests {
    @Test(
        "Secret option values are replaced, in both spellings, whatever the quoting",
        arguments: [
            (
                "connect --auth-url http://a/auth/v1.0 --user test:tester --key testing",
                "connect --auth-url http://a/auth/v1.0 --user test:tester --key ***"
            ),
            ("connect --password 'p a s s' --user u", "connect --password *** --user u"),
            ("connect --token=abc123; ls", "connect --token=***; ls"),
            ("connect --application-credential-secret \"s3\\\"cret\"", "connect --application-credential-secret ***"),
            ("connect --key $RAX_API_KEY", "connect --key $RAX_API_KEY"),
            ("connect --key=$RAX_API_KEY", "connect --key=$RAX_API_KEY"),
            ("foreach x in a {\n  connect --key k\n}", "foreach x in a {\n  connect --key ***\n}"),
            ("echo --key", "echo --key"),
            ("ls -l photos", "ls -l photos"),
        ])
    func redaction(entry: String, expected: String) {
        #expect(Shell.language.redaction.redact(entry) == expected)
    }

    @Test(
        "Entries with line breaks and backslashes survive the file's one-line encoding",
        arguments: [
            "foreach f in *.sql {\n  put $f\n}", "echo a\\\\b", "echo \\n literal", "plain",
        ])
    func encoding(entry: String) {
        let line = HistoryFile.encode(entry)
        #expect(!line.contains("\n"))
        #expect(HistoryFile.decode(line) == entry)
    }

    @Test("The file is created 0600 in a 0700 folder, appended to, and read back in order")
    func appendAndLoad() throws {
        let folder = try TemporaryFolder()
        let file = HistoryFile(path: folder.path + "/state/cfsh/history")
        try file.append("ls")
        try file.append("cd photos\nls")
        #expect(try file.load() == ["ls", "cd photos\nls"])
        let attributes = try FileManager.default.attributesOfItem(atPath: file.path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        let folderAttributes = try FileManager.default.attributesOfItem(atPath: folder.path + "/state/cfsh")
        #expect((folderAttributes[.posixPermissions] as? NSNumber)?.intValue == 0o700)
    }

    @Test("A file readable by others is tightened to 0600 on the next append")
    func tightensPermissions() throws {
        let folder = try TemporaryFolder()
        let path = folder.path + "/history"
        #expect(
            FileManager.default.createFile(
                atPath: path, contents: Data("old\n".utf8), attributes: [.posixPermissions: 0o644]))
        try HistoryFile(path: path).append("new")
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
    }

    @Test("Loading a file over the cap keeps the newest entries and rewrites it")
    func cap() throws {
        let folder = try TemporaryFolder()
        let file = HistoryFile(path: folder.path + "/history", limit: 3)
        for number in 1...5 { try file.append("echo \(number)") }
        #expect(try file.load() == ["echo 3", "echo 4", "echo 5"])
        #expect(try HistoryFile(path: file.path, limit: 100).load() == ["echo 3", "echo 4", "echo 5"])
    }

    @Test(
        "The default path follows XDG_STATE_HOME, then HOME",
        arguments: [
            (["XDG_STATE_HOME": "/s", "HOME": "/h"], "/s/cfsh/history"),
            (["HOME": "/h"], "/h/.local/state/cfsh/history"),
            (["XDG_STATE_HOME": "relative", "HOME": "/h"], "/h/.local/state/cfsh/history"),
            ([:], nil),
        ] as [([String: String], String?)])
    func defaultPath(environment: [String: String], expected: String?) {
        #expect(HistoryFile.defaultPath(environment: environment) == expected)
    }

    @Test("A history file that cannot be used is one warning, and the session keeps its history in memory")
    func unusable() throws {
        let folder = try TemporaryFolder()
        let blocker = folder.path + "/not-a-folder"
        #expect(FileManager.default.createFile(atPath: blocker, contents: Data()))
        let history = REPLHistory(file: HistoryFile(path: blocker + "/cfsh/history"))
        let loaded = history.load()
        #expect(loaded.entries.isEmpty)
        #expect(loaded.warning?.hasPrefix("cannot read the history file \(blocker)/cfsh/history: ") == true)
        #expect(history.record("ls").warning == nil)
        #expect(history.record("pwd").warning == nil)
        #expect(history.entries == ["ls", "pwd"])
    }

    @Test("A history file that cannot be written warns on the first entry only")
    func unwritable() throws {
        let folder = try TemporaryFolder()
        let blocker = folder.path + "/not-a-folder"
        #expect(FileManager.default.createFile(atPath: blocker, contents: Data()))
        let history = REPLHistory(file: HistoryFile(path: blocker + "/cfsh/history"))
        let first = history.record("ls")
        #expect(first.warning?.hasPrefix("cannot create the folder of the history file") == true)
        #expect(history.record("pwd").warning == nil)
        #expect(history.entries == ["ls", "pwd"])
    }

    @Test("The history command numbers entries, shows the last N, and -c forgets them")
    func historyCommand() throws {
        let folder = try TemporaryFolder()
        let file = HistoryFile(path: folder.path + "/history")
        let history = REPLHistory(file: file)
        for entry in ["ls", "cd a\nls", "connect --key s3cret", "history"] { _ = history.record(entry) }
        #expect(history.command("history") == "1  ls\n2  cd a\n   ls\n3  connect --key ***\n")
        _ = history.record("history 1")
        #expect(history.command("history 1") == "4  history\n")
        #expect(history.command("history me") == nil)
        #expect(history.command("historyx") == nil)
        _ = history.record("history -c")
        #expect(history.command("history -c") == "")
        #expect(history.entries.isEmpty)
        #expect(try file.load().isEmpty)
    }

    @Test("A repeated entry is kept once in a row")
    func duplicates() {
        let history = REPLHistory(file: nil)
        for entry in ["ls", "ls", "pwd", "ls"] { _ = history.record(entry) }
        #expect(history.entries == ["ls", "pwd", "ls"])
    }
}
