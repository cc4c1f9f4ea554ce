import Testing

@testable import CFShellLanguage

/// The word scanner (completion, history redaction) reads a line the way the lexer does.
@Suite struct WordScannerTests {
    @Test(
        "an escape in double quotes means what the lexer says it means",
        arguments: [
            (#"echo "a\rb""#, "a\rb"), (#"echo "a\nb""#, "a\nb"), (#"echo "a\tb""#, "a\tb"),
            (#"echo "a\$b""#, "a$b"), (#"echo "a\"b""#, "a\"b"), (#"echo "a\\b""#, "a\\b"),
        ])
    func escapes(line: String, expected: String) throws {
        #expect(WordScanner(line).wordAtEnd.value == expected)
        let tokens = try Lexer.tokenize(line)
        guard case .word(let pieces) = tokens[1].kind else {
            Issue.record("the lexer read no word")
            return
        }
        let lexed = pieces.map { piece -> String in
            switch piece {
            case .literal(let text), .quoted(let text): text
            default: ""
            }
        }.joined()
        #expect(lexed == expected)
    }

    @Test(
        "${NAME} is one variable, as $NAME is",
        arguments: [("ls ${HOME}", true), ("ls $HOME", true), ("ls ${HOME}/x", false), ("ls ${HO", false)])
    func bracedVariables(line: String, isVariable: Bool) {
        #expect(WordScanner(line).wordAtEnd.isVariableOnly == isVariable)
    }

    @Test(
        "a name in doubleQuoted's quotes lexes back to itself",
        arguments: ["plain", "a\"b", "a\\b", "$HOME", "a\nb\tc\rd", "it's", "\\\"$\n", "e\u{301}/x", ""])
    func doubleQuotedRoundTrip(name: String) throws {
        let tokens = try Lexer.tokenize("echo " + LexicalRules.doubleQuoted(name))
        guard tokens.count > 1, case .word(let pieces) = tokens[1].kind else {
            Issue.record("the lexer read no word")
            return
        }
        #expect(pieces == [.quoted(name)] || (name.isEmpty && pieces == [.quoted("")]))
    }
}
