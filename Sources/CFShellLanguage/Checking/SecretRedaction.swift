/// Removes secrets from an entry before it is remembered.
///
/// Which options hold a secret comes from the command table (`CommandSpec.Option.isSecret`),
/// so an option marked secret there is redacted here in every spelling the option parser
/// accepts: `--key VALUE`, `--key=VALUE`, `-K VALUE`, `-KVALUE`, and short options
/// clustered before it. Words are found by the real `Lexer`, so quotes, escapes, line
/// continuations and `$(…)` (quoted or not, at any depth) split the entry exactly as they
/// do when it runs, and every statement of the entry is looked at: after `;`, in `{ … }`
/// blocks, in `if` conditions. The value becomes `***`; a value that is only a variable
/// (`$KEY`, `"${KEY}"`) is kept, since it names where the secret lives rather than holding it.
/// An entry the lexer refuses is cut after its first secret option.
public struct SecretRedaction: Sendable {
    public static let mask = "***"

    public let rules: [SecretRule]

    /// Redacts the secret options of `commands`.
    public init(commands: [CommandSpec]) {
        rules = commands.compactMap { Self.rule(for: $0) }
    }

    /// `entry` with every secret option value replaced by `***`.
    public func redact(_ entry: String) -> String {
        // A huge entry (a pasted file, a hostile script line in an error message) gets the
        // cheap raw scan only, so redaction stays linear whatever the lexer's cost.
        guard entry.utf8.count <= 1 << 16 else { return redactUnlexable(entry, scanWords: false) }
        let tokens: [Token]
        do {
            tokens = try Lexer.tokenize(entry)
        } catch {
            return redactUnlexable(entry)
        }
        var masks: [Mask] = []
        collect(tokens, into: &masks)
        guard !masks.isEmpty else { return entry }
        return Self.apply(masks, to: entry)
    }

    /// One argument as a command received it, with a secret value after a secret option
    /// (`--key=VALUE`, `-KVALUE`) masked, for error messages that quote the argument.
    public func redactArgument(_ text: String) -> String {
        guard case .inWord(let prefix)? = finding(head: text, tailIsEmpty: true) else { return text }
        return prefix + Self.mask
    }

    // MARK: - Which options are secret

    /// The secret options of one command, with what the option parser needs to read a
    /// cluster of short options the way it will: flags go on, a value option takes the rest.
    public struct SecretRule: Sendable {
        var long: Set<String> = []
        var shortSecrets: Set<Character> = []
        var shortValues: Set<Character> = []
    }

    private static func rule(for spec: CommandSpec) -> SecretRule? {
        var rule = SecretRule()
        for option in spec.options {
            for name in option.names {
                if name.hasPrefix("--") {
                    if option.isSecret { rule.long.insert(name) }
                } else if name.count == 2, name.hasPrefix("-"), let letter = name.last, option.valueName != nil {
                    rule.shortValues.insert(letter)
                    if option.isSecret { rule.shortSecrets.insert(letter) }
                }
            }
        }
        return rule.long.isEmpty && rule.shortSecrets.isEmpty ? nil : rule
    }

    /// How a word holds a secret option.
    public enum Finding: Equatable {
        /// The next word is the value (`--key VALUE`, `-K VALUE`).
        case nextWord
        /// The value is in this word, after `prefix` (`--key=`, `-K`).
        case inWord(prefix: String)
    }

    /// Reads `head` (a word's text up to its first expansion) as the option parser would.
    /// `tail` is what follows in the word: expansions and the text after them.
    public func finding(head: String, tailIsEmpty: Bool) -> Finding? {
        guard head.hasPrefix("-"), head != "-", head != "--" else { return nil }
        if head.hasPrefix("--") {
            if let equals = head.firstIndex(of: "=") {
                let name = String(head[..<equals])
                return rules.contains { $0.long.contains(name) } ? .inWord(prefix: name + "=") : nil
            }
            guard tailIsEmpty, rules.contains(where: { $0.long.contains(head) }) else { return nil }
            return .nextWord
        }
        let letters = Array(head.dropFirst())
        for rule in rules {
            for (position, letter) in letters.enumerated() {
                if rule.shortSecrets.contains(letter) {
                    let isLast = position == letters.count - 1
                    return isLast && tailIsEmpty
                        ? .nextWord : .inWord(prefix: "-" + String(letters[...position]))
                }
                // Any other value option takes the rest as its value; flags and unknown letters go on.
                if rule.shortValues.contains(letter) { break }
            }
        }
        return nil
    }

    // MARK: - Lexed entries

    public struct Mask {
        var token: Token
        var replacement: String
    }

    private func collect(_ tokens: [Token], into masks: inout [Mask]) {
        for (index, token) in tokens.enumerated() {
            guard case .word(let pieces) = token.kind else { continue }
            for piece in pieces {
                if case .substitution(let inner, _, _) = piece { collect(inner, into: &masks) }
            }
            var head = ""
            var tail = pieces[...]
            scan: while let piece = tail.first {
                switch piece {
                case .literal(let text), .quoted(let text):
                    head += text
                    tail = tail.dropFirst()
                case .variable, .substitution:
                    break scan
                }
            }
            switch finding(head: head, tailIsEmpty: tail.isEmpty) {
            case .nextWord?:
                guard index + 1 < tokens.count, case .word(let value) = tokens[index + 1].kind,
                    !Self.isVariableOnly(value[...])
                else { continue }
                masks.append(Mask(token: tokens[index + 1], replacement: Self.mask))
            case .inWord(let prefix)?:
                // `--key=$KEY` and `-K$KEY` keep the variable; anything else in the value goes.
                if head == prefix, Self.isVariableOnly(tail) { continue }
                masks.append(Mask(token: token, replacement: prefix + Self.mask))
            case nil:
                continue
            }
        }
    }

    private static func isVariableOnly(_ pieces: ArraySlice<WordPiece>) -> Bool {
        guard pieces.count == 1, case .variable = pieces.first else { return false }
        return true
    }

    /// Replaces each masked token in `entry`, found by its line and column; the columns are
    /// read as characters, else as Unicode scalars, else as UTF-8 bytes, whichever puts every
    /// token's text where the lexer saw it. Should none, every copy of the text is replaced.
    private static func apply(_ masks: [Mask], to entry: String) -> String {
        if let result = splice(
            Array(entry), masks, isNewline: { $0 == "\n" || $0 == "\r\n" }, units: { Array($0) }, text: { String($0) })
        {
            return result
        }
        if let result = splice(
            Array(entry.unicodeScalars), masks, isNewline: { $0 == "\n" }, units: { Array($0.unicodeScalars) },
            text: {
                var view = String.UnicodeScalarView()
                view.append(contentsOf: $0)
                return String(view)
            })
        {
            return result
        }
        if let result = splice(
            Array(entry.utf8), masks, isNewline: { $0 == UInt8(ascii: "\n") }, units: { Array($0.utf8) },
            text: {
                String(decoding: $0, as: UTF8.self)
            })
        {
            return result
        }
        var result = entry
        for item in masks where !item.token.text.isEmpty {
            result = result.replacing(item.token.text, with: item.replacement)
        }
        return result
    }

    private static func splice<Unit: Equatable>(
        _ units: [Unit], _ masks: [Mask], isNewline: (Unit) -> Bool, units toUnits: (String) -> [Unit],
        text: ([Unit]) -> String
    ) -> String? {
        var lineStarts = [0]
        for (offset, unit) in units.enumerated() where isNewline(unit) { lineStarts.append(offset + 1) }
        var ranges: [(range: Range<Int>, replacement: [Unit])] = []
        for item in masks {
            let line = item.token.location.line
            let column = item.token.location.column
            guard line >= 1, line <= lineStarts.count, column >= 1 else { return nil }
            let start = lineStarts[line - 1] + column - 1
            let written = toUnits(item.token.text)
            guard start + written.count <= units.count, Array(units[start..<(start + written.count)]) == written else {
                return nil
            }
            ranges.append((start..<(start + written.count), toUnits(item.replacement)))
        }
        ranges.sort { $0.range.lowerBound < $1.range.lowerBound }
        var result: [Unit] = []
        var position = 0
        for (range, replacement) in ranges where range.lowerBound >= position {
            result += units[position..<range.lowerBound]
            result += replacement
            position = range.upperBound
        }
        result += units[position...]
        return text(result)
    }

    // MARK: - Entries the lexer refuses

    /// An entry with an open quote, a stray `(`, a bad escape…: it did not run, but it is
    /// remembered so it can be fixed. Its words cannot be trusted, so everything after the
    /// first secret option, found by a forgiving scan or in the raw text, is dropped.
    private func redactUnlexable(_ entry: String, scanWords: Bool = true) -> String {
        let scalars = Array(entry.unicodeScalars)
        var cut: (offset: Int, prefix: String)?
        func consider(_ offset: Int, _ prefix: String) {
            if cut.map({ offset < $0.offset }) ?? true { cut = (offset, prefix) }
        }
        for word in scanWords ? WordScanner(entry).words : [] {
            switch finding(head: word.value, tailIsEmpty: true) {
            case .nextWord?: consider(word.range.lowerBound, word.value + " ")
            case .inWord(let prefix)?: consider(word.range.lowerBound, prefix)
            case nil: break
            }
        }
        // Raw text too, in case the scan split words where the lexer would not.
        for (offset, scalar) in scalars.enumerated() where scalar == "-" {
            // Only where a word could start: not inside `a-b` or after another dash.
            if offset > 0, scalars[offset - 1] == "-" || WordScanner.isNameCharacter(scalars[offset - 1]) {
                continue
            }
            var end = offset + 1
            // Option names are short: a bounded look keeps a line of dashes linear.
            while end < scalars.count, end - offset < 64,
                scalars[end] == "-" || WordScanner.isNameCharacter(scalars[end])
            {
                end += 1
            }
            let head = String(String.UnicodeScalarView(scalars[offset..<end]))
            switch finding(head: head, tailIsEmpty: true) {
            case .nextWord?: consider(offset, head + " ")
            case .inWord(let prefix)?: consider(offset, prefix)
            case nil: break
            }
        }
        guard let cut else { return entry }
        return String(String.UnicodeScalarView(scalars[..<cut.offset])) + cut.prefix + Self.mask
    }
}
