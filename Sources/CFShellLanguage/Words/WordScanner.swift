/// A forgiving word splitter for text that is still being typed.
///
/// The lexer stops at the first error, but at the prompt the text is usually
/// unfinished: an open quote, a half-typed `$(`. Completion and history
/// redaction need the words anyway, with where each starts in the line, so
/// this follows the lexer's quoting rules without ever failing.
public struct ScannedWord: Equatable {
    /// The word's position in the text, in Unicode scalars.
    public var range: Range<Int>
    /// The text with quotes and escapes removed (expansions left as written).
    public var value: String
    /// The quote still open at the end of the text (`'` or `"`), if any.
    public var openQuote: Unicode.Scalar?
    /// Whether the word holds a `$name`, `${…}` or `$(…)`.
    public var hasExpansion: Bool
    /// Whether the word is nothing but one `$name` (a variable, not a literal).
    public var isVariableOnly: Bool
    /// Which statement the word belongs to, counted from 0.
    public var statement: Int
    /// Its position in that statement: 0 for the command name.
    public var index: Int
}

public struct WordScanner {
    public private(set) var words: [ScannedWord] = []
    /// Whether the text ends inside a `#` comment.
    public private(set) var endsInComment = false

    private let scalars: [Unicode.Scalar]
    private var position = 0
    private var statement = 0
    private var wordIndex = 0
    /// Outer statements of open `$(`, innermost last, with their word counts.
    private var substitutions: [(statement: Int, index: Int)] = []
    private var nextStatement = 1

    public init(_ text: String) {
        scalars = Array(text.unicodeScalars)
        scan()
    }

    /// The word that ends exactly at the end of the text: the one being typed,
    /// or an empty one when the text ends with a blank or separator.
    public var wordAtEnd: ScannedWord {
        if let last = words.last, last.range.upperBound == scalars.count, !endsInComment {
            return last
        }
        return ScannedWord(
            range: scalars.count..<scalars.count, value: "", openQuote: nil, hasExpansion: false,
            isVariableOnly: false, statement: statement, index: wordIndex)
    }

    /// The words of the statement the end of the text is in, before `wordAtEnd`.
    public var precedingWords: [ScannedWord] {
        let current = wordAtEnd
        return words.filter { $0.statement == current.statement && $0.index < current.index }
    }

    // MARK: - Scanning

    private static func isBlank(_ c: Unicode.Scalar) -> Bool { LexicalRules.isBlank(c) }
    private static func isSeparator(_ c: Unicode.Scalar) -> Bool { c == "\n" || c == ";" || c == "{" || c == "}" }
    public static func isNameCharacter(_ c: Unicode.Scalar) -> Bool { LexicalRules.isNameCharacter(c) }

    private mutating func scan() {
        while position < scalars.count {
            let c = scalars[position]
            if Self.isBlank(c) {
                position += 1
            } else if c == "\\", position + 1 < scalars.count, scalars[position + 1] == "\n" {
                position += 2
            } else if Self.isSeparator(c) {
                position += 1
                startStatement()
            } else if c == ")", let outer = substitutions.popLast() {
                // The `)` of a `$(`: back to the word that held it.
                position += 1
                statement = outer.statement
                wordIndex = outer.index
                if let index = words.lastIndex(where: { $0.statement == statement && $0.index == wordIndex - 1 }) {
                    words[index].value += ")"
                }
                continueWord()
            } else if c == "(" || c == ")" {
                // A stray parenthesis (an error to the lexer) starts no word; without this
                // step the scan would stand still on it.
                position += 1
            } else if c == "#" {
                while position < scalars.count, scalars[position] != "\n" { position += 1 }
                if position == scalars.count { endsInComment = true }
            } else {
                scanWord()
            }
        }
    }

    private mutating func startStatement() {
        statement = nextStatement
        nextStatement += 1
        wordIndex = 0
    }

    private mutating func scanWord() {
        words.append(
            ScannedWord(
                range: position..<position, value: "", openQuote: nil, hasExpansion: false,
                isVariableOnly: false, statement: statement, index: wordIndex))
        wordIndex += 1
        continueWord()
    }

    /// Adds characters to the last word of the current statement until a boundary.
    private mutating func continueWord() {
        guard let index = words.lastIndex(where: { $0.statement == statement && $0.index == wordIndex - 1 }) else {
            return
        }
        var word = words[index]
        let startedEmpty = word.value.isEmpty && !word.hasExpansion
        var onlyVariable = false
        defer {
            word.range = word.range.lowerBound..<position
            words[index] = word
        }
        while position < scalars.count {
            let c = scalars[position]
            if Self.isBlank(c) || Self.isSeparator(c) || c == "(" || c == ")" { return }
            onlyVariable = false
            switch c {
            case "'":
                position += 1
                word.openQuote = "'"
                while position < scalars.count {
                    let q = scalars[position]
                    position += 1
                    if q == "'" {
                        word.openQuote = nil
                        break
                    }
                    word.value.unicodeScalars.append(q)
                }
            case "\"":
                position += 1
                word.openQuote = "\""
                while position < scalars.count {
                    let q = scalars[position]
                    position += 1
                    if q == "\"" {
                        word.openQuote = nil
                        break
                    }
                    if q == "\\", position < scalars.count {
                        let escaped = scalars[position]
                        position += 1
                        // The lexer's table; an escape it refuses is kept as written while typing.
                        if escaped != "\n" {
                            word.value.unicodeScalars.append(LexicalRules.doubleQuotedEscapes[escaped] ?? escaped)
                        }
                    } else {
                        if q == "$" { word.hasExpansion = true }
                        word.value.unicodeScalars.append(q)
                    }
                }
            case "\\":
                position += 1
                if position < scalars.count {
                    if scalars[position] == "\n" {
                        position -= 1
                        return
                    }
                    word.value.unicodeScalars.append(scalars[position])
                    position += 1
                }
            case "$":
                word.hasExpansion = true
                word.value += "$"
                position += 1
                if position < scalars.count, scalars[position] == "(" {
                    // A substitution: its words form a statement of their own.
                    position += 1
                    word.value += "("
                    substitutions.append((statement, wordIndex))
                    words[index] = word
                    startStatement()
                    return
                }
                if position < scalars.count, scalars[position] == "{" {
                    // `${name}`, as the lexer reads it: up to the `}` on the same line.
                    let braceStart = position
                    while position < scalars.count, scalars[position] != "\n" {
                        let d = scalars[position]
                        word.value.unicodeScalars.append(d)
                        position += 1
                        if d == "}" { break }
                    }
                    let closed = word.value.unicodeScalars.last == "}"
                    onlyVariable = closed && startedEmpty && word.value.utf8.count == position - braceStart + 1
                    word.isVariableOnly = onlyVariable
                    continue
                }
                let nameStart = position
                while position < scalars.count, Self.isNameCharacter(scalars[position]) {
                    word.value.unicodeScalars.append(scalars[position])
                    position += 1
                }
                // `$` and name characters are one UTF-8 byte each; counting scalars here made long lines quadratic.
                onlyVariable = startedEmpty && word.value.utf8.count == position - nameStart + 1
            default:
                word.value.unicodeScalars.append(c)
                position += 1
            }
            word.isVariableOnly = onlyVariable
        }
    }
}
