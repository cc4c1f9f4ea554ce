/// Splits cfsh source into tokens, keeping a location for each.
///
/// Lexing is lazy (the parser pulls one token at a time) so that the first
/// error reported is the first one in the text, whether lexical or syntactic.
public struct Lexer: Sendable {
    private let characters: [Character]
    private let file: String
    private var index = 0
    private var line = 1
    private var column = 1
    /// How many `$(` are open: a `)` means something only inside one.
    private var substitutionDepth = 0
    /// Where the current statement began (after the last line break, `;`, `{` or `}`), for
    /// messages that quote it.
    private var statementStart = 0

    public init(_ source: String, file: String = "<input>") {
        self.characters = Array(source)
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
        return Token(kind: kind, location: location, text: String(characters[start..<index]))
    }

    // MARK: - Characters

    private var here: SourceLocation { SourceLocation(file: file, line: line, column: column) }

    private func peek(_ offset: Int = 0) -> Character? {
        index + offset < characters.count ? characters[index + offset] : nil
    }

    private mutating func advance() {
        let c = characters[index]
        index += 1
        if Self.isNewline(c) {
            line += 1
            column = 1
        } else {
            column += 1
        }
    }

    public static func isNewline(_ c: Character) -> Bool { c == "\n" || c == "\r\n" }

    public static func isBlank(_ c: Character) -> Bool { LexicalRules.isBlank(c) }

    /// Characters that end a bare word.
    public static func isWordBoundary(_ c: Character) -> Bool {
        isBlank(c) || isNewline(c) || c == ";" || c == "{" || c == "}" || c == "(" || c == ")" || isOperator(c)
    }

    /// Other shells' pipe, redirection and job operators: a syntax error when unquoted, even
    /// inside a word, so that `ls c | wc -l` never asks the server for a container named `|`.
    public static func isOperator(_ c: Character) -> Bool { c == "|" || c == "&" || c == "<" || c == ">" }

    private static func isNameStart(_ c: Character) -> Bool { LexicalRules.isNameStart(c) }

    private static func isNameCharacter(_ c: Character) -> Bool { LexicalRules.isNameCharacter(c) }

    /// Blanks, `\` line continuations and `#` comments between tokens.
    private mutating func skipTrivia() throws(ParseError) {
        while let c = peek() {
            if Self.isBlank(c) {
                advance()
            } else if c == "\\", let next = peek(1), Self.isNewline(next) {
                advance()
                advance()
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
                if Self.isNewline(escaped) { break scan }
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
        return Token(kind: .word(word.finish()), location: location, text: String(characters[start..<index]))
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
            text.append(c)
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
                advance()
                advance()
                switch escaped {
                case _ where Self.isNewline(escaped): continue
                default:
                    guard let replacement = LexicalRules.doubleQuotedEscape(escaped) else {
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
                name.append(c)
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
        case _ where c.isASCII && c.isNumber:
            var digits = ""
            while let d = peek(), d.isASCII, d.isNumber {
                digits.append(d)
                advance()
            }
            guard let reference = Self.variableName(digits) else {
                throw ParseError("'$\(digits)' is too large for an argument number", at: location)
            }
            return .variable(VariableReference(reference, location: location), quoted: quoted)
        case _ where Self.isNameStart(c):
            var name = ""
            while let d = peek(), Self.isNameCharacter(d) {
                name.append(d)
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
        if let first = text.first, first.isASCII, first.isNumber {
            guard text.allSatisfy({ $0.isASCII && $0.isNumber }), let number = Int(text) else { return nil }
            return .argument(number)
        }
        guard let first = text.first, isNameStart(first), text.allSatisfy(isNameCharacter) else { return nil }
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

// MARK: - Other shells' operators

extension Lexer {
    /// The error for the operator at the current character (`|`, `||`, `&`, `&&`, `>`, `>>`,
    /// `2>`, `2>&1`, `<`, …), saying what to write instead: the statement so far, quoted for
    /// the shell that runs cfsh, with the operator and the rest of the line after it
    /// (`cfsh -c 'ls c' | wc -l`).
    fileprivate func operatorError() -> ParseError {
        var start = index
        var location = here
        // `2>`, `1>>`: a digit written just before a redirection belongs to it.
        if peek().map({ $0 == ">" || $0 == "<" }) == true, start > statementStart,
            characters[start - 1].isASCII, characters[start - 1].isNumber,
            start - 1 == statementStart || Self.isWordBoundary(characters[start - 2])
        {
            start -= 1
            location = location.advanced(by: -1)
        }
        var end = index
        while end < characters.count, Self.isOperator(characters[end]) { end += 1 }
        // `>&2`, `2>&1`, `<&-`: a descriptor after a duplication.
        if characters[end - 1] == "&", end - start >= 2, characters[end - 2] == ">" || characters[end - 2] == "<" {
            while end < characters.count, characters[end].isASCII, characters[end].isNumber || characters[end] == "-" {
                end += 1
            }
        }
        let written = String(characters[start..<end])
        let op = String(written.drop { $0.isASCII && $0.isNumber })
        // Glued to the text before it (`photo&1.jpg`), it may be meant as part of a name.
        let glued = start > 0 && !Self.isWordBoundary(characters[start - 1])
        var message: String
        if substitutionDepth > 0 {
            let what =
                op.hasPrefix("|") ? "a pipe" : op.contains("<") || op.contains(">") ? "a redirection" : "an operator"
            message = "'\(written)' is not \(what) in cfsh, and '$(…)' holds a single command"
        } else {
            message = Self.operatorAdvice(
                written: written, op: op, command: statementText(upTo: start), rest: restOfLine(from: end))
        }
        if glued { message += "; to use it in a name, quote it or write '\\\(op.first!)'" }
        return ParseError(message, at: location)
    }

    private static func operatorAdvice(written: String, op: String, command: String?, rest: String) -> String {
        let quoted = shellQuoted(command ?? "COMMAND")
        func run(_ purpose: String, _ placeholder: String) -> String {
            // `>&2` needs nothing after it; `>` a file, `|` a command.
            let after = !rest.isEmpty ? rest : written.last!.isNumber || written.last == "-" ? "" : placeholder
            return "\(purpose), run: cfsh -c \(quoted) \(written)" + (after.isEmpty ? "" : " " + after)
        }
        switch op {
        case "&&":
            return
                "'&&' is not in cfsh; a script stops at its first failing command, so write the commands on "
                + "separate lines or with ';' (or use 'if COMMAND { … }')"
        case "||":
            return
                "'||' is not in cfsh; use 'if ! COMMAND { … }' to act when a command fails, or '-COMMAND' to go on after it"
        case "&":
            return
                "'&' is not in cfsh: a command cannot run in the background; put, get and rm already work "
                + "in parallel (--parallel N)"
        case _ where op.hasPrefix("|"):
            return "'\(written)' is not a pipe in cfsh; " + run("to pipe the output", "COMMAND")
        case _ where op.hasPrefix("<"):
            return
                "'\(written)' is not a redirection in cfsh, and its commands read no input; 'put FILE REMOTE' "
                + "uploads a file, 'source FILE' runs a script"
        case _ where op.hasPrefix(">") || op.hasPrefix("&>"):
            var advice = "'\(written)' is not a redirection in cfsh; " + run("to write the output to a file", "FILE")
            if command?.hasPrefix("cat ") == true { advice += " (or save an object with 'get OBJECT FILE')" }
            return advice
        default:
            return "'\(written)' is not cfsh syntax; quote it to use it in a name"
        }
    }

    /// The current statement up to `end`, trimmed; `nil` when it cannot be run on its own
    /// with `cfsh -c` (empty, inside `$(…)`, over several lines, or a keyword's).
    private func statementText(upTo end: Int) -> String? {
        guard substitutionDepth == 0, statementStart < end else { return nil }
        let text = String(characters[statementStart..<end]).trimmingBlanks
        guard !text.isEmpty, !text.contains(where: Self.isNewline) else { return nil }
        let first = text.prefix { !Self.isBlank($0) }
        if Keyword(rawValue: String(first)) != nil { return nil }
        return text
    }

    /// The rest of the line after `start`, up to a `;`, `{` or `}`, trimmed.
    private func restOfLine(from start: Int) -> String {
        var end = start
        while end < characters.count, !Self.isNewline(characters[end]), !";{}".contains(characters[end]) { end += 1 }
        return String(characters[start..<end]).trimmingBlanks
    }

    /// `text` quoted for a POSIX shell: in single quotes, each `'` written `'\''`.
    static func shellQuoted(_ text: String) -> String {
        "'" + text.replacingAll("'", with: "'\\''") + "'"
    }
}

extension String {
    fileprivate var trimmingBlanks: String {
        String(drop(while: Lexer.isBlank).reversed().drop(while: Lexer.isBlank).reversed())
    }

    fileprivate func replacingAll(_ target: Character, with replacement: String) -> String {
        var result = ""
        for c in self {
            if c == target { result += replacement } else { result.append(c) }
        }
        return result
    }
}

/// A word's pieces as they are lexed. Plain text of one kind is gathered in a
/// buffer and made a piece once, so that a long word is lexed in linear time.
private struct WordBuilder {
    private var pieces: [WordPiece] = []
    private var text = ""
    /// Whether the text in the buffer is quoted; `nil` when the buffer holds no run.
    private var textIsQuoted: Bool?
    /// How many times anything was added: a `""` adds an empty piece only when nothing came between.
    private(set) var additions = 0

    public mutating func add(_ character: Character, quoted: Bool) {
        startRun(quoted: quoted)
        text.append(character)
    }

    public mutating func add(_ string: String, quoted: Bool) {
        startRun(quoted: quoted)
        text += string
    }

    public mutating func add(_ piece: WordPiece) {
        additions += 1
        flush()
        pieces.append(piece)
    }

    public mutating func finish() -> [WordPiece] {
        flush()
        return pieces
    }

    private mutating func startRun(quoted: Bool) {
        additions += 1
        if textIsQuoted != quoted {
            flush()
            textIsQuoted = quoted
        }
    }

    private mutating func flush() {
        guard let quoted = textIsQuoted else { return }
        pieces.append(quoted ? .quoted(text) : .literal(text))
        text = ""
        textIsQuoted = nil
    }
}
