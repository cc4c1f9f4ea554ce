/// Writes a text as one word that the lexer reads back as exactly that text: what `find`
/// prints, so that a path pasted back into cfsh names the same object.
///
/// A word is left bare only when every character is one that no rule of the language
/// reads specially (letters, digits and `/ . _ - + , : @ % = ~`, and non-ASCII text that is
/// neither a control nor a blank); anything else goes in single quotes, or in double
/// quotes with the lexer's own escapes when the text holds a `'` or a control character
/// (single quotes can hold neither). A leading `-` would read as an option: it is quoted
/// too (callers that print absolute paths never start with one).
public enum WordQuoting {
    public static func quoted(_ text: String) -> String {
        if isBare(text) { return text }
        let needsDouble = text.unicodeScalars.contains { $0 == "'" || $0.value < 0x20 || $0.value == 0x7F }
        if needsDouble { return LexicalRules.doubleQuoted(text) }
        return "'" + text + "'"
    }

    /// Whether `text` reads back as itself with no quotes.
    public static func isBare(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, first != "-", first != "~" else { return false }
        return text.unicodeScalars.allSatisfy { scalar in
            switch scalar.value {
            case 0x30...0x39, 0x41...0x5A, 0x61...0x7A: true
            case 0x80...0x9F, 0xA0, 0x2028, 0x2029, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069, 0xFEFF: false
            case 0x80...: true
            default: "/._-+,:@%=~".unicodeScalars.contains(scalar)
            }
        }
    }
}
