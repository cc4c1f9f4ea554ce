import Testing

@testable import CFShellLanguage

/// The lexer reads delimiters by Unicode scalar: a quote, `\`, `$` or blank followed by a
/// combining mark is still that delimiter (Swift's `Character` would fold the two into one),
/// so a name that starts with a combining mark can be written. Columns count `Character`s.
@Suite struct ScalarLexingTests {
    /// The scalars of each argument of the one command in `source`.
    static func arguments(_ source: String) throws -> [[Unicode.Scalar]] {
        let script = try Parser.parse(source)
        guard script.statements.count == 1, case .command(let command) = script.statements[0] else {
            Issue.record("not one command: \(script)")
            return []
        }
        return command.arguments.map { Array(($0.plainText ?? "<expansion>").unicodeScalars) }
    }

    static func scalars(_ text: String) -> [Unicode.Scalar] { Array(text.unicodeScalars) }

    @Test(
        "a name starting with a combining mark can be written quoted, escaped or bare",
        arguments: [
            "ls '\u{301}x'", "ls \"\u{301}x\"", "ls \\\u{301}x", "ls \u{301}x", "ls '\u{20DD}x'",
        ])
    func combiningMarkAfterDelimiter(source: String) throws {
        let expected = source.contains("\u{20DD}") ? "\u{20DD}x" : "\u{301}x"
        #expect(try Self.arguments(source) == [Self.scalars(expected)])
    }

    @Test("a combining mark after a blank starts the next word instead of gluing the blank to the one before")
    func blankBeforeCombiningMark() throws {
        let script = try Parser.parse("ls -l \u{301}a")
        guard case .command(let ls) = script.statements.first else { return }
        #expect(ls.name == "ls")
        #expect(
            ls.arguments.map { Self.scalars($0.plainText ?? "") } == [Self.scalars("-l"), Self.scalars("\u{301}a")])
    }

    @Test("names, quotes and escapes keep every scalar, precomposed or not")
    func exactScalars() throws {
        #expect(
            try Self.arguments("put 'e\u{301}t\u{E9}' \"\u{301}\\\"\" a\\ \u{301}")
                == [Self.scalars("e\u{301}t\u{E9}"), Self.scalars("\u{301}\""), Self.scalars("a \u{301}")])
    }

    @Test("a variable name ends before a combining mark, which stays text")
    func variableBeforeCombiningMark() throws {
        let tokens = try Lexer.tokenize("echo $x\u{301}")
        guard case .word(let pieces) = tokens[1].kind else {
            Issue.record("not a word: \(tokens[1])")
            return
        }
        #expect(pieces.count == 2)
        if case .variable(let reference, quoted: false) = pieces.first {
            #expect(reference.name == .named("x"))
        } else {
            Issue.record("not a variable: \(pieces)")
        }
        if case .literal(let text) = pieces.last { #expect(Self.scalars(text) == ["\u{301}"]) }
        let error = #expect(throws: ParseError.self) { try Lexer.tokenize("echo $\u{301}") }
        #expect(error?.location.column == 6)
    }

    @Test("columns count characters: a decomposed letter is one column, wherever the error is")
    func columnsCountCharacters() throws {
        let error = #expect(throws: ParseError.self) { try Parser.parse("ls e\u{301}t\u{301} 'x", file: "-c") }
        #expect(error?.location == SourceLocation(file: "-c", line: 1, column: 7))
        #expect(error?.message == "missing the closing ' of this string")
        let tokens = try Lexer.tokenize("a\u{301}\u{302} b\nc")
        #expect(tokens.map(\.location.column) == [1, 3, 4, 1, 2])
        #expect(tokens.map(\.location.line) == [1, 1, 1, 2, 2])
        #expect(tokens[0].text == "a\u{301}\u{302}")
    }

    @Test(
        "CR LF line breaks continue a line after '\\', in a word or a string, as LF ones do",
        arguments: [
            ("put -r dumps \\\r\n    backups/", ["put", "-r", "dumps", "backups/"]),
            ("echo \"one \\\r\ntwo\" x", ["echo", "one two", "x"]),
            ("ls\r\n", ["ls"]),
        ])
    func crlfContinuation(source: String, words: [String]) throws {
        let script = try Parser.parse(source)
        guard case .command(let command) = script.statements.first else { return }
        #expect([command.name] + command.arguments.compactMap(\.plainText) == words)
        #expect(script.statements.count == 1)
    }
}
