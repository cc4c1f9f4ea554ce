/// The character rules that the lexer and the word scanner share, so that completion and
/// history redaction read a line the way it will run.
public enum LexicalRules {
    /// What `\c` stands for inside double quotes; an escape missing here is an error to the
    /// lexer. (A backslash before a line break continues the line, in quotes or not.)
    public static let doubleQuotedEscapes: [Unicode.Scalar: Unicode.Scalar] = [
        "\\": "\\", "\"": "\"", "$": "$", "n": "\n", "t": "\t", "r": "\r",
    ]

    /// `text` in double quotes, each character the table escapes written with its escape, so
    /// that the lexer reads it back unchanged (completion inserts names this way).
    public static func doubleQuoted(_ text: String) -> String {
        var quoted = "\""
        for scalar in text.unicodeScalars {
            if let letter = escapeLetters[scalar] {
                quoted += "\\"
                quoted.unicodeScalars.append(letter)
            } else {
                quoted.unicodeScalars.append(scalar)
            }
        }
        return quoted + "\""
    }

    /// The table read backwards: a character, and the letter that escapes it.
    private static let escapeLetters = Dictionary(
        doubleQuotedEscapes.map { ($0.value, $0.key) }, uniquingKeysWith: { first, _ in first })

    /// What `\c` stands for inside double quotes, or `nil` for an unknown escape.
    public static func doubleQuotedEscape(_ c: Character) -> Character? {
        guard c.unicodeScalars.count == 1, let scalar = c.unicodeScalars.first,
            let replacement = doubleQuotedEscapes[scalar]
        else { return nil }
        return Character(replacement)
    }

    /// Blanks between words (a lone `\r` too, so that CRLF scripts read as LF ones).
    public static func isBlank(_ c: Unicode.Scalar) -> Bool { c == " " || c == "\t" || c == "\r" }

    /// The first character of a variable name: an ASCII letter or `_`.
    public static func isNameStart(_ c: Unicode.Scalar) -> Bool {
        c == "_" || ("a"..."z").contains(c) || ("A"..."Z").contains(c)
    }

    /// A character of a variable name after the first: an ASCII letter, digit or `_`.
    public static func isNameCharacter(_ c: Unicode.Scalar) -> Bool { isNameStart(c) || ("0"..."9").contains(c) }

    /// The same rules for a `Character`: one scalar, and that scalar passes.
    public static func isNameStart(_ c: Character) -> Bool {
        c.unicodeScalars.count == 1 && isNameStart(c.unicodeScalars.first!)
    }
    public static func isNameCharacter(_ c: Character) -> Bool {
        c.unicodeScalars.count == 1 && isNameCharacter(c.unicodeScalars.first!)
    }
    public static func isBlank(_ c: Character) -> Bool {
        c.unicodeScalars.count == 1 && isBlank(c.unicodeScalars.first!)
    }
}
