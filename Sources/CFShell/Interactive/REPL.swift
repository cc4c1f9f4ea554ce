import CFShellLanguage
import Foundation

/// What the REPL needs from a line editor. The executable adapts LineEditing's
/// libedit editor to it, so this library never links libedit.
///
/// Calls come from one thread at a time (the REPL's editor thread), except
/// `wakeups`, which are thread-safe.
public protocol REPLLineEditor: AnyObject {
    func readLine(prompt: String) -> REPLLineInput
    func addHistory(_ entry: String)
    func loadHistory(_ entries: [String])
    /// Thread-safe requests to a pending `readLine`.
    var wakeups: EditorWakeups { get }
}

public enum REPLLineInput: Sendable, Equatable {
    case line(String)
    /// Ctrl-C: the line is abandoned.
    case interrupted
    /// Ctrl-D on an empty line.
    case end
}

/// What the REPL needs from the session it drives (the `Shell`).
public protocol REPLSession: Sendable {
    /// Who and where, for the prompt.
    func promptState() async -> (connection: Prompt.Connection?, folder: String)
    /// Runs one complete entry. Cancelling the calling task must stop it cleanly.
    func runEntry(_ source: String) async -> REPLOutcome
}

public enum REPLOutcome: Sendable, Equatable {
    case finished(status: Int32)
    /// `exit [CODE]`: the REPL ends with this status.
    case exit(status: Int32)
}

/// The interactive loop: prompt, read (joining lines until the statement is
/// complete), remember, run, repeat, until `exit` or Ctrl-D.
public final class REPL {
    private let session: any REPLSession
    private let editor: EditorThread
    private let history: REPLHistory
    private let tty: TTY
    private let terminal = SavedTerminalModes()

    /// - Parameters:
    ///   - session: what runs the entries.
    ///   - editor: the line editor; used from a thread of the REPL's own.
    ///   - historyFile: where entries are kept between sessions; `nil` for none.
    public init(session: any REPLSession, editor: any REPLLineEditor, historyFile: HistoryFile?, tty: TTY) {
        self.session = session
        self.editor = EditorThread(editor)
        self.history = REPLHistory(file: historyFile)
        self.tty = tty
    }

    /// Runs until `exit` or Ctrl-D; returns the exit status.
    public func run() async -> Int32 {
        let signals = REPLSignals(terminal: terminal)
        signals?.install()
        defer {
            signals?.uninstall()
            terminal.restore()
        }
        let saved = history.load()
        await editor.perform { $0.loadHistory(saved.entries) }
        if let warning = saved.warning { warn(warning) }

        var status: Int32 = 0
        while true {
            guard let entry = await readEntry(signals: signals) else { return status }
            guard !entry.allSatisfy(\.isWhitespace) else { continue }
            let remembered = history.record(entry)
            await editor.perform { $0.addHistory(remembered.entry) }
            if let warning = remembered.warning { warn(warning) }
            if let listing = history.command(entry) {
                print(listing, terminator: "")
                if history.entries.isEmpty { await editor.perform { $0.loadHistory([]) } }
                continue
            }
            switch await run(entry, signals: signals) {
            case .finished(let code): status = code
            case .exit(let code): return code
            }
        }
    }

    /// One entry, possibly over several lines; "" after Ctrl-C, `nil` at Ctrl-D.
    private func readEntry(signals: REPLSignals?) async -> String? {
        let state = await session.promptState()
        var prompt = Prompt.primary(connection: state.connection, folder: state.folder)
        var text: String?
        fflush(nil)
        while true {
            let wakeups = await editor.perform { $0.wakeups }
            signals?.setPhase(.reading(wakeups))
            let shown = prompt
            let input = await editor.perform { $0.readLine(prompt: shown) }
            signals?.setPhase(.idle)
            switch input {
            case .end:
                // Ctrl-D inside an unfinished statement drops it, as Ctrl-C does.
                return text == nil ? nil : ""
            case .interrupted:
                return ""
            case .line(let line):
                let joined = text.map { $0 + "\n" + line } ?? line
                guard Self.needsMoreInput(joined) else { return joined }
                text = joined
                prompt = Prompt.continuation
            }
        }
    }

    /// An open `{`, an open quote or a trailing `\`: the statement goes on.
    static func needsMoreInput(_ text: String) -> Bool {
        do {
            _ = try Parser.parse(text, file: "<stdin>", knownCommands: nil)
            return false
        } catch {
            return error.isIncompleteInput
        }
    }

    private func run(_ entry: String, signals: REPLSignals?) async -> REPLOutcome {
        let session = self.session
        let task = Task { await session.runEntry(entry) }
        signals?.setPhase(.running(cancel: { task.cancel() }))
        let outcome = await task.value
        let interrupted = signals?.wasCancelled ?? false
        signals?.setPhase(.idle)
        fflush(nil)
        // SIGTERM or SIGHUP stopped the command; the session ends as the signal asked.
        if let signal = signals?.terminatingSignal { return .exit(status: 128 + signal) }
        // The command reports its own interruption; the status is Ctrl-C's.
        if interrupted, case .finished = outcome { return .finished(status: 130) }
        return outcome
    }

    private func warn(_ message: String) {
        FileHandle.standardError.write(Data((tty.errorText("cfsh: " + message) + "\n").utf8))
    }
}

/// Runs every call to a line editor on one thread of its own: libedit is not
/// thread-safe, and `readLine` blocks for as long as the user thinks, which
/// must not hold one of Swift's few cooperative threads. Completion also
/// blocks this thread while it waits for a listing on the cooperative pool.
final class EditorThread: @unchecked Sendable {
    // Only ever used inside `queue`, a serial queue: one thread at a time.
    private let editor: any REPLLineEditor
    private let queue = DispatchQueue(label: "cfsh.line-editor")

    init(_ editor: any REPLLineEditor) {
        self.editor = editor
    }

    func perform<T: Sendable>(_ work: @escaping @Sendable (any REPLLineEditor) -> T) async -> T {
        await withCheckedContinuation { continuation in
            queue.async { continuation.resume(returning: work(self.editor)) }
        }
    }
}
