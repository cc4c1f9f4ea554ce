import Testing

@testable import LineEditing

/// Answers from a fixed table of names, quoting the ones with spaces.
final class TableCompleter: CompletionProvider {
    let names: [String]
    init(_ names: [String]) { self.names = names }

    func completions(line: String, cursor: Int) -> CompletionResult {
        let before = String(String.UnicodeScalarView(line.unicodeScalars.prefix(cursor)))
        let word = before.split(separator: " ", omittingEmptySubsequences: false).last.map(String.init) ?? ""
        let bare = word.replacingOccurrences(of: "'", with: "")
        let matches = names.filter { $0.hasPrefix(bare) }
        let quoteAll = matches.contains { $0.contains(" ") }
        return CompletionResult(
            replacing: word.unicodeScalars.count,
            candidates: matches.map {
                CompletionCandidate(replacement: quoteAll ? "'\($0)'" : $0, display: $0, isFinal: !$0.hasSuffix("/"))
            })
    }
}

extension String {
    func replacingOccurrences(of target: String, with replacement: String) -> String {
        split(separator: Character(target), omittingEmptySubsequences: false).joined(separator: replacement)
    }
}

@Suite("Tab completion", .timeLimit(.minutes(1)))
struct CompletionTests {
    @Test("A unique command completes and gets a trailing space")
    func uniqueCompletion() throws {
        let pty = try PseudoTerminal()
        let editor = try pty.makeEditor()
        editor.completionProvider = TableCompleter(["put", "pwd", "rmdir"])
        pty.type("rmd\tbackups\r")
        #expect(editor.readLine(prompt: "> ") == .line("rmdir backups"))
    }

    @Test("A folder completes without a space so Tab can go on")
    func folderCompletion() throws {
        let pty = try PseudoTerminal()
        let editor = try pty.makeEditor()
        editor.completionProvider = TableCompleter(["photos/"])
        pty.type("ls ph\t\r")
        #expect(editor.readLine(prompt: "> ") == .line("ls photos/"))
    }

    @Test("A name with a space completes quoted")
    func quotedCompletion() throws {
        let pty = try PseudoTerminal()
        let editor = try pty.makeEditor()
        editor.completionProvider = TableCompleter(["my file.txt"])
        pty.type("get my\t\r")
        #expect(editor.readLine(prompt: "> ") == .line("get 'my file.txt' "))
    }

    @Test("Several matches insert their common prefix, then list on the next Tab")
    func ambiguousCompletion() throws {
        let pty = try PseudoTerminal()
        let editor = try pty.makeEditor()
        editor.completionProvider = TableCompleter(["backup-2025", "backup-2026", "other"])
        pty.type("cd b\t\t\r")
        #expect(editor.readLine(prompt: "> ") == .line("cd backup-202"))
        let screen = pty.screenText()
        #expect(screen.contains("backup-2025  backup-2026"))
    }

    @Test("No match leaves the line alone")
    func noMatch() throws {
        let pty = try PseudoTerminal()
        let editor = try pty.makeEditor()
        editor.completionProvider = TableCompleter(["put"])
        pty.type("zz\t\r")
        #expect(editor.readLine(prompt: "> ") == .line("zz"))
    }

    @Test(
        "Planning an edit from candidates",
        arguments: [
            (["abc", "abd"], "a", CompletionAction.insert(deleting: 1, text: "ab")),
            (["abc", "abd"], "ab", CompletionAction.list(["abc", "abd"])),
            (["'a b'", "'a c'"], "a", CompletionAction.insert(deleting: 1, text: "'a ")),
            (["x"], "x", CompletionAction.insert(deleting: 1, text: "x ")),
            ([], "q", CompletionAction.nothing),
        ])
    func plan(replacements: [String], typed: String, expected: CompletionAction) {
        let result = CompletionResult(
            replacing: typed.unicodeScalars.count,
            candidates: replacements.map { CompletionCandidate(replacement: $0) })
        #expect(CompletionAction.plan(result, typed: typed) == expected)
    }

    @Test(
        "The common prefix of names",
        arguments: [
            (["backup-1", "backup-2"], "backup-"),
            (["é1", "é2"], "é"),
            (["a", "b"], ""),
            (["same"], "same"),
        ])
    func commonPrefix(strings: [String], expected: String) {
        #expect(CompletionAction.commonPrefix(strings) == expected)
    }
}

@Suite("Candidate columns")
struct CandidateColumnsTests {
    @Test("Names are laid out down then across to fit the width")
    func columns() {
        let text = CandidateColumns.format(["a", "b", "c", "d", "e"], width: 10)
        #expect(text == "a  c  e\nb  d\n")
    }

    @Test("One name per row when the width is narrow")
    func narrow() {
        #expect(CandidateColumns.format(["alpha", "beta"], width: 3) == "alpha\nbeta\n")
    }

    @Test("A long list is cut and says how many are left out")
    func limit() {
        let text = CandidateColumns.format((1...10).map(String.init), width: 80, limit: 4)
        #expect(text.hasSuffix("… and 6 more\n"))
    }

    @Test("Wide characters count two columns")
    func width() {
        #expect(CandidateColumns.displayWidth("日本") == 4)
        #expect(CandidateColumns.displayWidth("résumé") == 6)
    }
}
