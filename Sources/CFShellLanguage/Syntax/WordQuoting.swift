/// Writes a text as one word that the lexer reads back as exactly that text: what `find`
/// prints, so that a path pasted back into cfsh names the same object.
///
/// A word is left bare only when every character is one that no rule of the language
/// reads specially (letters, digits and `/ . _ - + , : @ %`, and non-ASCII text that is
/// neither a control nor a blank); anything else goes in single quotes, or in double
/// quotes with the lexer's own escapes when the text holds a `'` or a line break (single
/// quotes can hold neither). Each form is checked by lexing it again, because the lexer
/// reads grapheme clusters: an escape or a quote followed by a combining mark from the
/// name would fuse with it. A text that no form reads back is `nil`.
public enum WordQuoting {
    public static func quoted(_ text: String) -> String? {
        var forms: [String] = []
        if isBare(text) { forms.append(text) }
        if !text.unicodeScalars.contains(where: { $0 == "'" || $0 == "\n" || $0 == "\r" }) {
            forms.append("'" + text + "'")
        }
        forms.append(LexicalRules.doubleQuoted(text))
        return forms.first { readsBack($0, as: text) }
    }

    /// Whether `text` reads back as itself with no quotes.
    public static func isBare(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, first != "-", first != "~" else { return false }
        return text.unicodeScalars.allSatisfy { scalar in
            switch scalar.value {
            case 0x30...0x39, 0x41...0x5A, 0x61...0x7A: true
            case 0x80...0xA0, 0x2028, 0x2029, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069, 0xFEFF: false
            case 0x80...: true
            default: "/._-+,:@%".unicodeScalars.contains(scalar)
            }
        }
    }

    /// Whether the lexer reads `word` as one word of exactly `text`, with no glob, variable
    /// or substitution in it.
    static func readsBack(_ word: String, as text: String) -> Bool {
        guard let tokens = try? Lexer.tokenize(word), tokens.count == 2, case .word(let pieces) = tokens[0].kind
        else { return false }
        var read = ""
        for piece in pieces {
            switch piece {
            case .literal(let part):
                guard !part.unicodeScalars.contains(where: { "*?[".unicodeScalars.contains($0) }) else { return false }
                read += part
            case .quoted(let part):
                read += part
            default:
                return false
            }
        }
        return read.unicodeScalars.elementsEqual(text.unicodeScalars)
    }
}
