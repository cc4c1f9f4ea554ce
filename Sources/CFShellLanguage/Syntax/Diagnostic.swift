/// A message tied to a place in the source, printed the way compilers do:
///
///     backup.cfsh:12:7: expected a container name after 'rmdir'
///     rmdir
///           ^
public struct Diagnostic: Sendable, Equatable {
    public var message: String
    public var location: SourceLocation

    public init(message: String, location: SourceLocation) {
        self.message = message
        self.location = location
    }

    /// The header line, then the source line and a caret when `source` holds that line.
    /// - Parameters:
    ///   - redact: masks secrets in the quoted line (errors go to logs too).
    ///   - showingLocation: starts the header with `file:line:col:`; at a prompt, where the
    ///     line was just typed, the message stands alone.
    public func rendered(
        source: String?, redacting redact: (String) -> String = { $0 }, showingLocation: Bool = true
    ) -> String {
        var text = showingLocation ? "\(location): \(message)" : message
        if let source, let line = Self.line(location.line, of: source) {
            let shown = redact(line)
            text += "\n" + shown
            if shown == line || Array(shown.prefix(location.column - 1)) == Array(line.prefix(location.column - 1)) {
                text += "\n" + Self.caretLine(under: location.column, of: shown)
            }
        }
        return text
    }

    /// Line `number` (1-based) of `source`, without its line break.
    public static func line(_ number: Int, of source: String) -> String? {
        guard number >= 1 else { return nil }
        var current = 1
        var start = source.startIndex
        var index = source.startIndex
        while index < source.endIndex {
            if source[index].isNewline {
                if current == number { return String(source[start..<index]) }
                current += 1
                start = source.index(after: index)
            }
            index = source.index(after: index)
        }
        return current == number ? String(source[start...]) : nil
    }

    /// Spaces up to `column`, then `^`. Tabs in the line are copied so the caret
    /// lines up whatever the terminal's tab width.
    public static func caretLine(under column: Int, of line: String) -> String {
        var prefix = ""
        for (offset, character) in line.enumerated() where offset < column - 1 {
            prefix.append(character == "\t" ? "\t" : " ")
        }
        let missing = column - 1 - prefix.count
        if missing > 0 { prefix += String(repeating: " ", count: missing) }
        return prefix + "^"
    }
}

/// A syntax error. Nothing in the input runs when one is found.
public struct ParseError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public var location: SourceLocation
    /// The input stopped in the middle of a statement (an open `{`, a trailing `\`):
    /// a REPL reads another line instead of reporting the error.
    public var isIncompleteInput: Bool

    public init(_ message: String, at location: SourceLocation, incompleteInput: Bool = false) {
        self.message = message
        self.location = location
        self.isIncompleteInput = incompleteInput
    }

    public var diagnostic: Diagnostic { Diagnostic(message: message, location: location) }

    public var description: String { "\(location): \(message)" }
}
