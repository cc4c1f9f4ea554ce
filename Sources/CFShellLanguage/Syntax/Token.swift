/// One token of cfsh source: a word, a separator or a brace.
///
/// Words are lexed whole, quotes and `$` expansions included, because where a
/// word ends depends on quoting; the parser then only has to arrange words into
/// statements. Public so that a REPL can find the word under the cursor.
public struct Token: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// A word, made of the pieces that were glued together without spaces.
        case word([WordPiece])
        /// A line break that ends a statement (not one escaped by `\`).
        case newline
        case semicolon
        case leftBrace
        case rightBrace
        /// The `)` that closes a `$(…)`; it is never produced outside one.
        case rightParen
        /// End of the input (or of a `$(…)`'s contents).
        case end
    }

    public var kind: Kind
    /// Where the token starts.
    public var location: SourceLocation
    /// The token exactly as written, for messages such as "unexpected 'else'".
    public var text: String

    public init(kind: Kind, location: SourceLocation, text: String) {
        self.kind = kind
        self.location = location
        self.text = text
    }
}

/// A piece of a word as the lexer sees it. Mirrors `WordPart`, except that a
/// command substitution still holds tokens, which the parser turns into a command.
public enum WordPiece: Sendable, Equatable {
    /// Unquoted text: `*`, `?` and `[` in it are glob characters.
    case literal(String)
    /// Text from quotes or a backslash escape, taken exactly as written.
    case quoted(String)
    case variable(VariableReference, quoted: Bool)
    /// The tokens between `$(` and `)`, ending with an `.end` token at the `)`.
    case substitution([Token], quoted: Bool, location: SourceLocation)
}

extension Token.Kind {
    /// How the parser names a token in "expected …, found …" messages.
    public var displayName: String {
        switch self {
        case .word: "a word"
        case .newline: "the end of the line"
        case .semicolon: "';'"
        case .leftBrace: "'{'"
        case .rightBrace: "'}'"
        case .rightParen: "')'"
        case .end: "the end of the input"
        }
    }
}
