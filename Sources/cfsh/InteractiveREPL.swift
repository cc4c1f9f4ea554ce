import CFShell
import Foundation
import LineEditing

/// Starts the REPL with libedit when stdin is a terminal (see `TTY`): the one
/// place where CFShell's REPL meets LineEditing's editor.
enum InteractiveREPL {
    /// Runs the REPL on `shell` and returns its exit status, or `nil` when stdin
    /// is not a terminal (or `TERM=dumb`), or libedit cannot be set up: the
    /// caller then reads statements plainly, with no prompt and no history.
    static func runIfTerminal(shell: Shell) async -> Int32? {
        let environment = ProcessInfo.processInfo.environment
        let tty = TTY.current(environment: environment)
        guard tty.isInteractive, let editor = LibeditLineEditor() else { return nil }
        let completer = Completer(source: shell)
        editor.completionProvider = CompletionBridge(completer)
        let historyFile = HistoryFile.defaultPath(environment: environment).map { HistoryFile(path: $0) }
        let repl = REPL(session: shell, editor: LibeditBridge(editor), historyFile: historyFile, tty: tty)
        return await repl.run()
    }
}

/// LineEditing's editor as the REPL's `REPLLineEditor`.
private final class LibeditBridge: REPLLineEditor {
    private let editor: LibeditLineEditor

    init(_ editor: LibeditLineEditor) {
        self.editor = editor
    }

    func readLine(prompt: String) -> REPLLineInput {
        switch editor.readLine(prompt: prompt) {
        case .line(let line): .line(line)
        case .interrupted: .interrupted
        case .endOfInput: .end
        }
    }

    func addHistory(_ entry: String) { editor.addHistory(entry) }
    func loadHistory(_ entries: [String]) { editor.loadHistory(entries) }

    var wakeups: EditorWakeups {
        let control = editor.control
        return EditorWakeups(
            interrupt: { control.interrupt() }, resized: { control.windowResized() },
            suspend: { control.suspend() })
    }
}

/// CFShell's completer as LineEditing's `CompletionProvider`.
private final class CompletionBridge: CompletionProvider {
    private let completer: Completer

    init(_ completer: Completer) {
        self.completer = completer
    }

    func completions(line: String, cursor: Int) -> CompletionResult {
        let found = completer.complete(line: line, cursor: cursor)
        return CompletionResult(
            replacing: found.replacing,
            candidates: found.suggestions.map {
                CompletionCandidate(replacement: $0.replacement, display: $0.display, isFinal: $0.isFinal)
            })
    }
}
