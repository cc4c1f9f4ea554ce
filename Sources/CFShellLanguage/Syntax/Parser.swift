/// Turns cfsh source into a `Script`, or reports the first syntax error.
///
/// A recursive-descent parser over the lexer's tokens. Statements end at a line
/// break, a `;`, a `}` or the end of the input; blocks open on the same line as
/// their `if`, `else` or `foreach`, so that a missing `{` is reported where it
/// is missing instead of many lines later.
public struct Parser {
    /// Command names accepted at the start of a statement; `nil` accepts any name.
    public var knownCommands: Set<String>?

    /// How deep `{` blocks, `else if` and `$(…)` may nest. Parsing, checking and
    /// evaluating all recurse over the tree, so the limit keeps them within the
    /// 512 KiB stack of a Swift concurrency thread, even in a debug build.
    public static let nestingLimit = 100

    var lexer: Lexer?
    var buffered: [Token]
    /// The next token of `buffered`: reading by index keeps a long `$(…)` linear.
    var bufferedIndex = 0
    var peeked: Token?
    var loopDepth = 0
    /// The `{` blocks, `else if` and `$(…)` open around the current token.
    var depth: Int

    init(lexer: Lexer?, tokens: [Token], knownCommands: Set<String>?, depth: Int = 0) {
        self.lexer = lexer
        self.buffered = tokens
        self.knownCommands = knownCommands
        self.depth = depth
    }

    public static func nestingError(at location: SourceLocation) -> ParseError {
        ParseError("nesting deeper than \(nestingLimit) levels of '{', 'else if' and '$(…)'", at: location)
    }

    /// Counts one more level of nesting, opened at `location`.
    mutating func enterNesting(at location: SourceLocation) throws(ParseError) {
        guard depth < Self.nestingLimit else { throw Self.nestingError(at: location) }
        depth += 1
    }

    /// Parses a whole script or REPL entry.
    /// - Parameters:
    ///   - source: the text.
    ///   - file: the name used in locations (`backup.cfsh`, `-c`, `<stdin>`).
    ///   - knownCommands: the accepted command names; `nil` accepts any.
    /// - Throws: the first `ParseError` in the text.
    public static func parse(
        _ source: String, file: String = "<input>", knownCommands: Set<String>?
    ) throws(ParseError) -> Script {
        try FrontEndThread.run { () throws(ParseError) -> Script in
            var parser = Parser(lexer: Lexer(source, file: file), tokens: [], knownCommands: knownCommands)
            let statements = try parser.parseStatements(closedBy: nil)
            return Script(statements: statements)
        }
    }

    // MARK: - Tokens

    mutating func peek() throws(ParseError) -> Token {
        if let peeked { return peeked }
        let token: Token
        if lexer != nil {
            token = try lexer!.next()
        } else {
            if bufferedIndex < buffered.count {
                token = buffered[bufferedIndex]
                bufferedIndex += 1
            } else {
                token = Token(kind: .end, location: .unknown, text: "")
            }
        }
        peeked = token
        return token
    }

    @discardableResult
    mutating func take() throws(ParseError) -> Token {
        let token = try peek()
        peeked = nil
        return token
    }

    mutating func skipSeparators() throws(ParseError) {
        while true {
            switch try peek().kind {
            case .newline, .semicolon: try take()
            default: return
            }
        }
    }

    // MARK: - Statements

    /// Statements up to `}` (when `brace` is the `{` that opened the block) or the end.
    mutating func parseStatements(closedBy brace: Token?) throws(ParseError) -> [Statement] {
        var statements: [Statement] = []
        while true {
            try skipSeparators()
            let token = try peek()
            switch token.kind {
            case .end:
                if let brace {
                    throw ParseError("this '{' is never closed", at: brace.location, incompleteInput: lexer != nil)
                }
                return statements
            case .rightBrace:
                guard brace != nil else {
                    throw ParseError("unexpected '}' without a '{' before it", at: token.location)
                }
                try take()
                return statements
            default:
                statements.append(try parseStatement())
                try expectStatementEnd(after: statements[statements.count - 1])
            }
        }
    }

    /// After a statement comes a separator, a `}` or the end; anything else is an error here.
    mutating func expectStatementEnd(after statement: Statement) throws(ParseError) {
        let token = try peek()
        switch token.kind {
        case .newline, .semicolon, .rightBrace, .end:
            return
        case .leftBrace:
            throw ParseError(
                "unexpected '{'; a block can only follow 'if', 'else' or 'foreach' (quote it to use it in a word)",
                at: token.location)
        case .word where token.text == "else":
            if case .conditional = statement {
                throw ParseError("this 'if' already has an 'else'", at: token.location)
            }
            throw ParseError("'else' can only follow the '}' of an 'if'", at: token.location)
        case .word where Self.isBlockStatement(statement):
            throw ParseError("expected a line break or ';' after '}', found '\(token.text)'", at: token.location)
        default:
            throw ParseError("unexpected \(token.kind.displayName)", at: token.location)
        }
    }

    static func isBlockStatement(_ statement: Statement) -> Bool {
        switch statement {
        case .loop, .conditional: true
        default: false
        }
    }

    mutating func parseStatement() throws(ParseError) -> Statement {
        let token = try peek()
        guard case .word(let pieces) = token.kind else {
            throw ParseError(
                "unexpected '{'; a block can only follow 'if', 'else' or 'foreach'", at: token.location)
        }
        switch Self.bareText(pieces).flatMap(Keyword.init(rawValue:)) {
        case .let:
            return .assignment(try parseAssignment())
        case .foreach:
            return .loop(try parseLoop())
        case .if:
            return .conditional(try parseConditional())
        case .else:
            throw ParseError(
                "'else' must follow the '}' of an 'if' on the same line", at: token.location)
        case .break, .continue:
            let keyword = Self.bareText(pieces) ?? ""
            try take()
            guard loopDepth > 0 else {
                throw ParseError("'\(keyword)' can only be used inside a 'foreach' loop", at: token.location)
            }
            if case .word = try peek().kind {
                throw ParseError("'\(keyword)' takes no arguments", at: try peek().location)
            }
            return keyword == "break" ? .break(token.location) : .continue(token.location)
        case nil:
            return .command(try parseCommand(context: nil))
        }
    }

    mutating func parseAssignment() throws(ParseError) -> Assignment {
        let letToken = try take()
        let nameToken = try peek()
        guard case .word(let pieces) = nameToken.kind else {
            throw ParseError("expected a variable name after 'let'", at: nameToken.location)
        }
        try take()
        var value: [Word] = []
        let name: String
        if case .literal(let text) = pieces.first, let equals = text.firstIndex(of: "=") {
            // `let name=value`: the word is split at its first '='.
            name = String(text[..<equals])
            try checkVariableName(name, in: nameToken, after: "let")
            var parts = try wordFromPieces(Array(pieces.dropFirst()), location: nameToken.location).parts
            let rest = String(text[text.index(after: equals)...])
            if !rest.isEmpty { parts.insert(.literal(rest), at: 0) }
            if !parts.isEmpty {
                value.append(Word(parts: parts, location: nameToken.location.advanced(by: name.count + 1)))
            }
        } else {
            name = Self.bareText(pieces) ?? nameToken.text
            try checkVariableName(name, in: nameToken, after: "let")
            let equalsToken = try peek()
            guard case .word(let equalsPieces) = equalsToken.kind, Self.bareText(equalsPieces) == "=" else {
                throw ParseError("expected '=' after 'let \(name)'", at: equalsToken.location)
            }
            try take()
        }
        value += try parseWords()
        if value.isEmpty {
            throw ParseError("expected a value after '='; write '' for an empty string", at: try peek().location)
        }
        return Assignment(name: name, value: value, location: letToken.location)
    }

    func checkVariableName(_ name: String, in token: Token, after keyword: String) throws(ParseError) {
        if name.isEmpty {
            throw ParseError("expected a variable name after '\(keyword)'", at: token.location)
        }
        if name.hasPrefix("$") {
            throw ParseError("write the variable name after '\(keyword)' without '$'", at: token.location)
        }
        guard let first = name.first, first == "_" || (first.isASCII && first.isLetter),
            name.allSatisfy({ $0 == "_" || ($0.isASCII && ($0.isLetter || $0.isNumber)) })
        else {
            throw ParseError(
                "'\(name)' is not a variable name; names are letters, digits and '_', not starting with a digit",
                at: token.location)
        }
    }

    mutating func parseLoop() throws(ParseError) -> Loop {
        let foreachToken = try take()
        let nameToken = try peek()
        guard case .word(let pieces) = nameToken.kind else {
            throw ParseError("expected a variable name after 'foreach'", at: nameToken.location)
        }
        try take()
        let name = Self.bareText(pieces) ?? nameToken.text
        try checkVariableName(name, in: nameToken, after: "foreach")
        let inToken = try peek()
        guard case .word(let inPieces) = inToken.kind, Self.bareText(inPieces) == "in" else {
            throw ParseError("expected 'in' after 'foreach \(name)'", at: inToken.location)
        }
        try take()
        let items = try parseWords()
        if items.isEmpty {
            throw ParseError("expected the items to loop over after 'in'", at: try peek().location)
        }
        loopDepth += 1
        defer { loopDepth -= 1 }
        let body = try parseBlock(after: "foreach")
        return Loop(variable: name, items: items, body: body, location: foreachToken.location)
    }

    mutating func parseConditional() throws(ParseError) -> Conditional {
        let ifToken = try take()
        var negated = false
        if case .word(let pieces) = try peek().kind, Self.bareText(pieces) == "!" {
            try take()
            negated = true
        }
        let condition = try parseCommand(context: negated ? "!" : "if")
        if condition.ignoresFailure {
            throw ParseError(
                "'-' does nothing in an 'if' condition: a failing condition takes the 'else' branch",
                at: condition.location.advanced(by: -1))
        }
        let then = try parseBlock(after: "if")
        var otherwise: [Statement]?
        if case .word(let pieces) = try peek().kind, Self.bareText(pieces) == "else" {
            try take()
            let next = try peek()
            if case .word(let nextPieces) = next.kind, Self.bareText(nextPieces) == "if" {
                // An `else if` nests in the tree, which the checker and evaluator recurse over.
                try enterNesting(at: next.location)
                defer { depth -= 1 }
                otherwise = [.conditional(try parseConditional())]
            } else if next.kind == .leftBrace {
                otherwise = try parseBlock(after: "else")
            } else {
                throw ParseError("expected '{' or 'if' after 'else'", at: next.location)
            }
        }
        return Conditional(
            condition: condition, negated: negated, then: then, otherwise: otherwise, location: ifToken.location)
    }

    /// `{ statements }`, opening on the current line.
    mutating func parseBlock(after keyword: String) throws(ParseError) -> [Statement] {
        let brace = try peek()
        guard brace.kind == .leftBrace else {
            switch brace.kind {
            case .newline, .end:
                throw ParseError(
                    "expected '{' on the same line as '\(keyword)'", at: brace.location,
                    incompleteInput: false)
            default:
                throw ParseError("expected '{' after '\(keyword)', found \(brace.kind.displayName)", at: brace.location)
            }
        }
        try take()
        try enterNesting(at: brace.location)
        defer { depth -= 1 }
        return try parseStatements(closedBy: brace)
    }
}
