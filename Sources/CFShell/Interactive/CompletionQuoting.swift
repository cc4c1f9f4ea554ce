import CFShellLanguage
import CloudFiles

/// Writes names so the lexer reads them back unchanged: bare when nothing in
/// them is special, else in single quotes, or in double quotes when a name
/// holds a `'` or a control character (single quotes cannot escape those).
///
/// Every candidate of one Tab press is quoted the same way so that their
/// common prefix can be inserted: `my f` + Tab with `my file` and `my folder/`
/// becomes `'my f`, not a mix of bare and quoted text.
enum CompletionQuoting {
    enum Style: Equatable { case bare, single, double }

    /// Characters that end a bare word or change its meaning: blanks and
    /// separators, other shells' operators `|&<>`, quotes, `\`, `$`, `#` and the glob
    /// characters `*?[`.
    static func needsQuoting(_ name: String) -> Bool {
        name.isEmpty
            || name.unicodeScalars.contains { scalar in
                scalar.value < 0x20 || scalar.value == 0x7F || " ;{}()|&<>'\"\\$#*?[".unicodeScalars.contains(scalar)
            }
    }

    /// The style for a set of names, given the quote the user already opened.
    static func style(for names: [String], openQuote: Unicode.Scalar?) -> Style {
        let needsDouble = names.contains { name in
            name.unicodeScalars.contains { $0 == "'" || $0.value < 0x20 || $0.value == 0x7F }
        }
        if needsDouble || openQuote == "\"" { return .double }
        if openQuote == "'" || names.contains(where: needsQuoting) { return .single }
        return .bare
    }

    /// Whether `name` holds a character that double quotes cannot escape (all controls but
    /// line feed, tab and carriage return) and that a terminal would act on.
    static func hasUnquotableControl(_ name: String) -> Bool {
        name.unicodeScalars.contains { Names.needsEscape($0) && !["\n", "\t", "\r"].contains($0) }
    }

    static func quote(_ name: String, style: Style) -> String {
        switch style {
        case .bare:
            return name
        case .single:
            return "'" + name + "'"
        case .double:
            // The lexer's own escape table, read backwards.
            return LexicalRules.doubleQuoted(name)
        }
    }
}
