/// Where the interactive loop gets its lines: plain standard input here, and
/// the libedit line editor (in `LineEditing`) when stdin is a terminal.
///
/// The loop asks for one line at a time and joins lines itself until they
/// make a complete statement, so an implementation never needs to know the
/// language.
public protocol LineSource {
    /// Reads one line, without its line break.
    /// - Parameters:
    ///   - prompt: what an interactive source shows before the line.
    ///   - continuation: `true` when the line continues an unfinished statement
    ///     (an open `{` or a trailing `\`).
    /// - Returns: the line, or `nil` at the end of the input (Ctrl-D).
    mutating func readLine(prompt: String, continuation: Bool) -> String?

    /// Called with each complete entry the loop is about to run, so an editor can add it to its history.
    mutating func record(entry: String)
}

extension LineSource {
    public mutating func record(entry: String) {}
}

/// Reads lines from standard input, shows no prompt and keeps no history:
/// what `cfsh` uses when its input is a pipe or a file.
public struct StandardInputLineSource: LineSource {
    public init() {}

    public mutating func readLine(prompt: String, continuation: Bool) -> String? {
        Swift.readLine(strippingNewline: true)
    }
}
