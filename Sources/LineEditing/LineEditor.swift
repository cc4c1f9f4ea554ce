/// What reading one line at a prompt produced.
public enum LineInput: Sendable, Equatable {
    /// A line the user accepted with Return, without its newline.
    case line(String)
    /// The user pressed Ctrl-C (or `LineEditorControl.interrupt()` was called):
    /// the line typed so far is discarded.
    case interrupted
    /// Ctrl-D on an empty line, or the end of non-interactive input.
    case endOfInput
}

/// A line editor: a prompt, in-memory history and Tab completion.
///
/// An editor is confined to the thread that calls `readLine`; the only part
/// meant for other threads (signal handlers, a watchdog) is `control`.
/// The history file itself (format, redaction, permissions) belongs to the
/// caller: the editor only keeps the entries it was given.
public protocol LineEditor: AnyObject {
    /// Shows `prompt` and returns what the user did.
    func readLine(prompt: String) -> LineInput

    /// Appends one entry (possibly spanning several lines) to the recall list.
    func addHistory(_ entry: String)

    /// Replaces the recall list, oldest entry first: how a saved history is loaded.
    func loadHistory(_ entries: [String])

    /// The recall list, oldest first: what a caller saves.
    var history: [String] { get }

    /// Where Tab completion asks for candidates; `nil` turns completion off.
    var completionProvider: (any CompletionProvider)? { get set }

    /// A handle that other threads use to wake a pending `readLine`.
    var control: LineEditorControl { get }
}

/// Thread-safe requests to a line editor that may be blocked in `readLine`.
///
/// It only writes single bytes to a pipe the editor polls, which is also safe
/// from a signal-handling thread; the editor acts on them on its own thread.
public struct LineEditorControl: Sendable {
    let wakeFD: Int32

    /// A control that does nothing, for editors with nothing to wake.
    public static let none = LineEditorControl(wakeFD: -1)

    /// Makes a pending (or the next) `readLine` return `.interrupted`.
    public func interrupt() { send(.interrupt) }

    /// Tells the editor that the window size changed, so it redraws.
    public func windowResized() { send(.resize) }

    /// Asks the editor to restore the terminal, stop the process (as Ctrl-Z
    /// would) and put the terminal back in editing mode once resumed.
    public func suspend() { send(.suspend) }

    func send(_ event: WakeEvent) {
        guard wakeFD >= 0 else { return }
        var byte = event.rawValue
        _ = write(wakeFD, &byte, 1)
    }
}

enum WakeEvent: UInt8 {
    case interrupt = 0x69  // "i"
    case resize = 0x77  // "w"
    case suspend = 0x7A  // "z"
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
