#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Every decision that depends on whether cfsh talks to a person at a
/// terminal, in one place: the line editor, the prompt, colour and progress.
///
/// - stdin not a terminal, or `TERM=dumb`: no line editor, no prompt, no
///   history file; statements are read plainly.
/// - colour only on a terminal, never with `NO_COLOR` (any value, per no-color.org)
///   or `TERM=dumb`.
/// - progress only when stderr is a terminal.
public struct TTY: Sendable, Equatable {
    public var inputIsTerminal: Bool
    public var outputIsTerminal: Bool
    public var errorIsTerminal: Bool
    /// `$TERM`, if set.
    public var term: String?
    /// Whether `NO_COLOR` is set.
    public var noColor: Bool

    public init(
        inputIsTerminal: Bool, outputIsTerminal: Bool, errorIsTerminal: Bool, term: String?, noColor: Bool
    ) {
        self.inputIsTerminal = inputIsTerminal
        self.outputIsTerminal = outputIsTerminal
        self.errorIsTerminal = errorIsTerminal
        self.term = term
        self.noColor = noColor
    }

    /// The terminal situation of this process.
    public static func current(environment: [String: String]) -> TTY {
        TTY(
            inputIsTerminal: isatty(STDIN_FILENO) == 1,
            outputIsTerminal: isatty(STDOUT_FILENO) == 1,
            errorIsTerminal: isatty(STDERR_FILENO) == 1,
            term: environment["TERM"],
            noColor: environment["NO_COLOR"] != nil)
    }

    private var isDumb: Bool { term == "dumb" }

    /// Whether to use the line editor, show prompts and keep a history file.
    public var isInteractive: Bool { inputIsTerminal && !isDumb }

    /// Whether error messages on stderr may be red.
    public var colorsErrors: Bool { errorIsTerminal && !isDumb && !noColor }

    /// Whether long transfers draw a progress line on stderr.
    public var showsProgress: Bool { errorIsTerminal && !isDumb }

    /// The width of the terminal on standard output (`TIOCGWINSZ`), else `$COLUMNS`;
    /// `nil` when neither says.
    public static func columns(environment: [String: String]) -> Int? {
        var size = winsize()
        if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
        return environment["COLUMNS"].flatMap { Int($0) }.flatMap { (1...10_000).contains($0) ? $0 : nil }
    }

    /// `message` in red when `colorsErrors`, unchanged otherwise.
    public func errorText(_ message: String) -> String {
        colorsErrors ? Self.red(message) : message
    }

    /// `text` in red, whatever the terminal; callers decide with `colorsErrors`.
    public static func red(_ text: String) -> String {
        "\u{1B}[31m" + text + "\u{1B}[0m"
    }
}

/// The terminal's modes when cfsh started, put back if cfsh is ended by a
/// signal while the line editor has the terminal in raw mode.
public final class SavedTerminalModes: @unchecked Sendable {
    // Written once in init, then only read: safe to share between threads.
    private let modes: termios?
    private let fd: Int32

    public init(fileDescriptor: Int32 = STDIN_FILENO) {
        fd = fileDescriptor
        var current = termios()
        modes = tcgetattr(fileDescriptor, &current) == 0 ? current : nil
    }

    /// Restores the saved modes now, discarding nothing typed ahead.
    public func restore() {
        guard var modes else { return }
        _ = tcsetattr(fd, TCSANOW, &modes)
    }
}
