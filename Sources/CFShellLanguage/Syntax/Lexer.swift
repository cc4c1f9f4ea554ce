/// Splits cfsh source into tokens, keeping a location for each.
///
/// Lexing is lazy (the parser pulls one token at a time) so that the first
/// error reported is the first one in the text, whether lexical or syntactic.
///
/// The source is read by Unicode scalar, so that a quote, `\`, `$` or blank is one whatever
/// follows it: a name may start with a combining mark (`'\u{301}x'`), which Swift would
/// otherwise fold into the quote as one `Character`. Columns still count `Character`s, as
/// the caret under an error and a terminal do.
public struct Lexer: Sendable {
    let characters: [Unicode.Scalar]
    /// Whether each scalar begins a `Character`: the column moves only then.
    private let startsCharacter: [Bool]
    private let file: String
    private(set) var index = 0
    private var line = 1
    private var column = 1
    /// How many `$(` are open: a `)` means something only inside one.
    private(set) var substitutionDepth = 0
    /// Where the current statement began (after the last line break, `;`, `{` or `}`), for
    /// messages that quote it.
    private(set) var statementStart = 0

    public init(_ source: String, file: String = "<input>") {
        var scalars: [Unicode.Scalar] = []
        var starts: [Bool] = []
        scalars.reserveCapacity(source.unicodeScalars.count)
        starts.reserveCapacity(source.unicodeScalars.count)
        for character in source {
            for (offset, scalar) in character.unicodeScalars.enumerated() {
                scalars.append(scalar)
                starts.append(offset == 0)
            }
        }
        self.characters = scalars
        self.startsCharacter = starts
        self.file = file
    }

    /// Every token of `source`, ending with `.end`.
    public static func tokenize(_ source: String, file: String = "<input>") throws(ParseError) -> [Token] {
        try FrontEndThread.run { () throws(ParseError) -> [Token] in
            var lexer = Lexer(source, file: file)
            var tokens: [Token] = []
            while true {
                let token = try lexer.next()
                tokens.append(token)
                if token.kind == .end { return tokens }
            }
        }
    }

    /// The next token; `.end` once the input is used up.
    public mutating func next() throws(ParseError) -> Token {
        try skipTrivia()
        let start = index
        let location = here
        guard let c = peek() else { return Token(kind: .end, location: location, text: "") }
        let kind: Token.Kind
        switch c {
        case _ where Self.isNewline(c):
            advance()
            kind = .newline
            statementStart = index
        case ";":
            advance()
            kind = .semicolon
            statementStart = index
        case "{":
            advance()
            kind = .leftBrace
            statementStart = index
        case "}":
            advance()
            kind = .rightBrace
            statementStart = index
        case ")" where substitutionDepth > 0:
            advance()
            kind = .rightParen
        case ")":
            throw ParseError("unexpected ')' without a '$(' before it", at: location)
        case "(":
            throw ParseError("unexpected '('; quote it or write '\\(' to use it in a word", at: location)
        case _ where Self.isOperator(c):
            throw operatorError()
        default:
            return try lexWord()
        }
        return Token(kind: kind, location: location, text: text(start..<index))
    }

    // MARK: - Characters

    var here: SourceLocation { SourceLocation(file: file, line: line, column: column) }

    func peek(_ offset: Int = 0) -> Unicode.Scalar? {
        index + offset < characters.count ? characters[index + offset] : nil
    }

    private mutating func advance() {
        let c = characters[index]
        index += 1
        if Self.isNewline(c) {
            line += 1
            column = 1
        } else if index == characters.count || startsCharacter[index] {
            column += 1
        }
    }

    /// The source text of `range`.
    func text(_ range: Range<Int>) -> String {
        var text = ""
        text.unicodeScalars.append(contentsOf: characters[range])
        return text
    }

    /// How many scalars the line break at `offset` from here takes: 1 for LF, 2 for CR LF,
    /// 0 when there is none. (A CR alone is a blank.)
    private func lineBreakLength(at offset: Int) -> Int {
        switch peek(offset) {
        case "\n": 1
        case "\r" where peek(offset + 1) == "\n": 2
        default: 0
        }
    }

    /// A line feed; the CR of a CR LF is a blank before it.
    public static func isNewline(_ c: Unicode.Scalar) -> Bool { c == "\n" }

    public static func isBlank(_ c: Unicode.Scalar) -> Bool { LexicalRules.isBlank(c) }

    /// Characters that end a bare word.
    public static func isWordBoundary(_ c: Unicode.Scalar) -> Bool {
        isBlank(c) || isNewline(c) || c == ";" || c == "{" || c == "}" || c == "(" || c == ")" || isOperator(c)
    }

    /// Other shells' pipe, redirection and job operators: a syntax error when unquoted, even
    /// inside a word, so that `ls c | wc -l` never asks the server for a container named `|`.
    public static func isOperator(_ c: Unicode.Scalar) -> Bool { c == "|" || c == "&" || c == "<" || c == ">" }

    private static func isNameStart(_ c: Unicode.Scalar) -> Bool { LexicalRules.isNameStart(c) }

    private static func isNameCharacter(_ c: Unicode.Scalar) -> Bool { LexicalRules.isNameCharacter(c) }

    static func isDigit(_ c: Unicode.Scalar) -> Bool { ("0"..."9").contains(c) }

    /// Blanks, `\` line continuations and `#` comments between tokens.
    private mutating func skipTrivia() throws(ParseError) {
        while let c = peek() {
            if Self.isBlank(c) {
                advance()
            } else if c == "\\", lineBreakLength(at: 1) > 0 {
                for _ in 0...lineBreakLength(at: 1) { advance() }
            } else if c == "\\", peek(1) == nil {
                throw Self.danglingBackslash(at: here)
            } else if c == "#" {
                while let c = peek(), !Self.isNewline(c) { advance() }
            } else {
                return
            }
        }
    }

    private static func danglingBackslash(at location: SourceLocation) -> ParseError {
        ParseError("a '\\' at the end of the input has no line to continue", at: location, incompleteInput: true)
    }

    // MARK: - Words

    private mutating func lexWord() throws(ParseError) -> Token {
        let start = index
        let location = here
        var word = WordBuilder()
        scan: while let c = peek(), !Self.isWordBoundary(c) {
            switch c {
            case "'":
                try lexSingleQuoted(into: &word)
            case "\"":
                try lexDoubleQuoted(into: &word)
            case "\\":
                guard let escaped = peek(1) else { throw Self.danglingBackslash(at: here) }
                // A continuation ends the word; skipTrivia consumes it as a blank.
                if lineBreakLength(at: 1) > 0 { break scan }
                advance()
                advance()
                word.add(escaped, quoted: true)
            case "$":
                word.add(try lexDollar(quoted: false))
            default:
                advance()
                word.add(c, quoted: false)
            }
        }
        return Token(kind: .word(word.finish()), location: location, text: text(start..<index))
    }

    private mutating func lexSingleQuoted(into word: inout WordBuilder) throws(ParseError) {
        let open = here
        advance()
        var text = ""
        while true {
            guard let c = peek(), !Self.isNewline(c) else {
                throw ParseError("missing the closing ' of this string", at: open)
            }
            advance()
            if c == "'" { break }
            text.unicodeScalars.append(c)
        }
        word.add(text, quoted: true)
    }

    private mutating func lexDoubleQuoted(into word: inout WordBuilder) throws(ParseError) {
        let open = here
        advance()
        let additionsBefore = word.additions
        while true {
            guard let c = peek(), !Self.isNewline(c) else {
                throw ParseError("missing the closing \" of this string", at: open)
            }
            switch c {
            case "\"":
                advance()
                // An empty "" is still an argument: keep a piece for it.
                if word.additions == additionsBefore { word.add("", quoted: true) }
                return
            case "\\":
                let escapeLocation = here
                guard let escaped = peek(1) else { throw Self.danglingBackslash(at: escapeLocation) }
                let lineBreak = lineBreakLength(at: 1)
                for _ in 0...max(lineBreak, 1) { advance() }
                switch escaped {
                case _ where lineBreak > 0: continue
                default:
                    guard let replacement = LexicalRules.doubleQuotedEscapes[escaped] else {
                        throw ParseError(
                            "unknown escape '\\\(escaped)' in a string; write '\\\\' for a backslash",
                            at: escapeLocation)
                    }
                    word.add(replacement, quoted: true)
                }
            case "$":
                word.add(try lexDollar(quoted: true))
            default:
                advance()
                word.add(c, quoted: true)
            }
        }
    }

    /// `$name`, `${name}`, `$1`, `$@`, `$#` or `$(command)`, starting at the `$`.
    private mutating func lexDollar(quoted: Bool) throws(ParseError) -> WordPiece {
        let location = here
        advance()
        guard let c = peek() else {
            throw ParseError(Self.bareDollarMessage, at: location)
        }
        switch c {
        case "{":
            advance()
            var name = ""
            while true {
                guard let c = peek(), !Self.isNewline(c) else {
                    throw ParseError("missing the closing '}' of '${'", at: location)
                }
                advance()
                if c == "}" { break }
                name.unicodeScalars.append(c)
            }
            guard let reference = Self.variableName(name) else {
                let shown = name.isEmpty ? "'${}' names no variable" : "'\(name)' is not a variable name"
                throw ParseError(shown + "; names are letters, digits and '_'", at: location)
            }
            return .variable(VariableReference(reference, location: location), quoted: quoted)
        case "(":
            advance()
            return try lexSubstitution(quoted: quoted, location: location)
        case "@":
            advance()
            return .variable(VariableReference(.allArguments, location: location), quoted: quoted)
        case "#":
            advance()
            return .variable(VariableReference(.argumentCount, location: location), quoted: quoted)
        case _ where Self.isDigit(c):
            var digits = ""
            while let d = peek(), Self.isDigit(d) {
                digits.unicodeScalars.append(d)
                advance()
            }
            guard let reference = Self.variableName(digits) else {
                throw ParseError("'$\(digits)' is too large for an argument number", at: location)
            }
            return .variable(VariableReference(reference, location: location), quoted: quoted)
        case _ where Self.isNameStart(c):
            var name = ""
            while let d = peek(), Self.isNameCharacter(d) {
                name.unicodeScalars.append(d)
                advance()
            }
            return .variable(VariableReference(.named(name), location: location), quoted: quoted)
        default:
            throw ParseError(Self.bareDollarMessage, at: location)
        }
    }

    private static let bareDollarMessage =
        "'$' must be followed by a variable name, '{' or '('; write '\\$' for a dollar sign"

    private static func variableName(_ text: String) -> VariableReference.Name? {
        if text == "@" { return .allArguments }
        if text == "#" { return .argumentCount }
        if let first = text.unicodeScalars.first, isDigit(first) {
            guard text.unicodeScalars.allSatisfy(isDigit), let number = Int(text) else { return nil }
            return .argument(number)
        }
        guard let first = text.unicodeScalars.first, isNameStart(first), text.unicodeScalars.allSatisfy(isNameCharacter)
        else { return nil }
        return .named(text)
    }

    /// The tokens of a `$(…)`, up to its `)`, which becomes the closing `.end` token.
    private mutating func lexSubstitution(quoted: Bool, location: SourceLocation) throws(ParseError) -> WordPiece {
        // Lexing recurses here; the parser checks the same limit with the blocks around.
        guard substitutionDepth < Parser.nestingLimit else { throw Parser.nestingError(at: location) }
        substitutionDepth += 1
        let outerStatementStart = statementStart
        defer {
            substitutionDepth -= 1
            statementStart = outerStatementStart
        }
        var tokens: [Token] = []
        while true {
            let token = try next()
            switch token.kind {
            case .rightParen:
                tokens.append(Token(kind: .end, location: token.location, text: ")"))
                return .substitution(tokens, quoted: quoted, location: location)
            case .newline, .end:
                throw ParseError("missing the closing ')' of '$(' on this line", at: location)
            default:
                tokens.append(token)
            }
        }
    }
}
