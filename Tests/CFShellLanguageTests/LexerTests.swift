import Testing

@testable import CFShellLanguage

@Suite struct LexerTests {
    /// Token kinds only, for tables where locations do not matter.
    static func kinds(_ source: String) throws -> [Token.Kind] {
        try Lexer.tokenize(source, file: "t").map(\.kind)
    }

    @Test(
        "separators, braces and words come out in order",
        arguments: [
            ("ls", [Token.Kind.word([.literal("ls")]), .end]),
            ("ls;pwd", [.word([.literal("ls")]), .semicolon, .word([.literal("pwd")]), .end]),
            ("a\nb", [.word([.literal("a")]), .newline, .word([.literal("b")]), .end]),
            ("a\r\nb", [.word([.literal("a")]), .newline, .word([.literal("b")]), .end]),
            ("{}", [.leftBrace, .rightBrace, .end]),
            (
                "x{y}z",
                [.word([.literal("x")]), .leftBrace, .word([.literal("y")]), .rightBrace, .word([.literal("z")]), .end]
            ),
            ("  \t ", [.end]),
            ("# all comment", [.end]),
            ("a # comment\nb", [.word([.literal("a")]), .newline, .word([.literal("b")]), .end]),
            ("a#b", [.word([.literal("a#b")]), .end]),
            ("a;#b", [.word([.literal("a")]), .semicolon, .end]),
            ("a \\\n b", [.word([.literal("a")]), .word([.literal("b")]), .end]),
        ])
    func tokenKinds(source: String, expected: [Token.Kind]) throws {
        #expect(try Self.kinds(source) == expected)
    }

    @Test(
        "quotes, escapes and dollars become the right word pieces",
        arguments: [
            ("'a b'", [WordPiece.quoted("a b")]),
            ("'a\\b'", [.quoted("a\\b")]),
            ("\"a\\tb\"", [.quoted("a\tb")]),
            ("a'b'\"c\"d", [.literal("a"), .quoted("bc"), .literal("d")]),
            ("\\;x", [.quoted(";"), .literal("x")]),
            ("*.sql", [.literal("*.sql")]),
            ("\"\"", [.quoted("")]),
            ("''\"\"", [.quoted("")]),
            ("x=\"\"", [.literal("x="), .quoted("")]),
        ])
    func wordPieces(source: String, expected: [WordPiece]) throws {
        #expect(try Self.kinds(source) == [.word(expected), .end])
    }

    @Test("variables record the location of their dollar sign")
    func variableLocations() throws {
        let tokens = try Lexer.tokenize("echo a$b \"${c}\" $1 $@ $#", file: "v")
        let expected: [Token.Kind] = [
            .word([.literal("echo")]),
            .word([
                .literal("a"),
                .variable(
                    VariableReference(.named("b"), location: .init(file: "v", line: 1, column: 7)), quoted: false),
            ]),
            .word([
                .variable(VariableReference(.named("c"), location: .init(file: "v", line: 1, column: 11)), quoted: true)
            ]),
            .word([
                .variable(
                    VariableReference(.argument(1), location: .init(file: "v", line: 1, column: 17)), quoted: false)
            ]),
            .word([
                .variable(
                    VariableReference(.allArguments, location: .init(file: "v", line: 1, column: 20)), quoted: false)
            ]),
            .word([
                .variable(
                    VariableReference(.argumentCount, location: .init(file: "v", line: 1, column: 23)), quoted: false)
            ]),
            .end,
        ]
        #expect(tokens.map(\.kind) == expected)
    }

    @Test("tokens carry their line, column and source text")
    func tokenLocations() throws {
        let tokens = try Lexer.tokenize("ls 'a b'\n\t{ x }", file: "f.cfsh")
        #expect(tokens.map(\.text) == ["ls", "'a b'", "\n", "{", "x", "}", ""])
        #expect(tokens.map(\.location.line) == [1, 1, 1, 2, 2, 2, 2])
        #expect(tokens.map(\.location.column) == [1, 4, 9, 2, 4, 6, 7])
        #expect(tokens.allSatisfy { $0.location.file == "f.cfsh" })
    }

    @Test("a command substitution holds its own tokens, ending at the ')'")
    func substitutionTokens() throws {
        let tokens = try Lexer.tokenize("echo $(ls -l)", file: "s")
        try #require(tokens.count == 3)
        guard case .word(let pieces) = tokens[1].kind, case .substitution(let inner, let quoted, let open) = pieces[0]
        else {
            Issue.record("expected a substitution, got \(tokens[1].kind)")
            return
        }
        #expect(!quoted)
        #expect(open == SourceLocation(file: "s", line: 1, column: 6))
        #expect(inner.map(\.kind) == [.word([.literal("ls")]), .word([.literal("-l")]), .end])
        #expect(inner.last?.location.column == 13)
        #expect(tokens[1].text == "$(ls -l)")
    }

    @Test("a ')' outside a substitution is an error, inside one it closes it")
    func parentheses() throws {
        #expect(throws: ParseError.self) { try Lexer.tokenize("echo )") }
        #expect(try Self.kinds("echo $(pwd)x").count == 3)
    }

    @Test("a line continuation moves to the next line's numbering")
    func continuationLines() throws {
        let tokens = try Lexer.tokenize("put a \\\n  b\nls", file: "c")
        #expect(tokens.map(\.location.line) == [1, 1, 2, 2, 3, 3])
        #expect(tokens[2].location.column == 3)
    }
}
