import CFSHTestSupport
import Foundation
import Testing

@testable import CFShell
@testable import CFShellLanguage

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The history file is written only into a folder of the user's own, never through a symlink.
@Suite("History file: unsafe folders and symlinks are refused")
struct HistoryFileSafetyTests {
    @Test("rewriting never follows a symlink planted at a temporary name")
    func plantedTemporary() throws {
        let folder = try TemporaryFolder()
        let victim = try Victim(in: folder)
        let file = HistoryFile(path: folder.file("history"))
        try file.append("ls")
        try victim.plant(["history.\(getpid()).tmp", ".history.tmp", "history.tmp"], in: folder)
        try file.rewrite(["pwd", "ls"])
        #expect(victim.isIntact)
        #expect(try file.load() == ["pwd", "ls"])
    }

    @Test("a history file that is a symlink is neither read nor appended to")
    func symlinkedFile() throws {
        let folder = try TemporaryFolder()
        let victim = try Victim(in: folder)
        let file = HistoryFile(path: folder.file("history"))
        try victim.plant(["history"], in: folder)
        #expect(throws: HistoryFileError.self) { try file.append("connect --key ***") }
        #expect(throws: HistoryFileError.self) { try file.load() }
        #expect(victim.isIntact)
    }

    @Test(
        "a history folder others may write to is refused with one warning that says why",
        arguments: [0o777, 0o775, 0o757])
    func writableFolder(mode: Int) throws {
        let folder = try TemporaryFolder()
        let state = folder.path + "/state"
        #expect(mkdir(state, 0o700) == 0)
        #expect(chmod(state, mode_t(mode)) == 0)
        let history = REPLHistory(file: HistoryFile(path: state + "/history"))
        let first = history.record("ls")
        #expect(first.warning?.contains("writable by others") == true, "warning: \(first.warning ?? "none")")
        #expect(history.record("pwd").warning == nil)
        #expect(!FileManager.default.fileExists(atPath: state + "/history"))
        #expect(history.entries == ["ls", "pwd"])
    }
}
