import Testing

@testable import CFShellLanguage

/// A malformed source with `1️⃣` where the error must point, and the exact message.
struct ErrorCase: Sendable, CustomTestStringConvertible {
    let marked: String
    let message: String

    init(_ marked: String, _ message: String) {
        self.marked = marked
        self.message = message
    }

    var testDescription: String { marked.debugDescription }
}

@Suite struct ParserErrorTests {
    static let dollar = "'$' must be followed by a variable name, '{' or '('; write '\\$' for a dollar sign"
    static let plainName = "a command name must be a plain word, without quotes or '$'"

    static let cases: [ErrorCase] = [
        // Strings and escapes
        ErrorCase("ls 1️⃣'abc", "missing the closing ' of this string"),
        ErrorCase("echo 1️⃣\"abc", "missing the closing \" of this string"),
        ErrorCase("echo ok\necho 1️⃣\"abc\nls\"", "missing the closing \" of this string"),
        ErrorCase("let x = 1️⃣'abc", "missing the closing ' of this string"),
        ErrorCase("echo \"a1️⃣\\qb\"", "unknown escape '\\q' in a string; write '\\\\' for a backslash"),
        ErrorCase("ls 1️⃣\\", "a '\\' at the end of the input has no line to continue"),
        ErrorCase("echo \"abc1️⃣\\", "a '\\' at the end of the input has no line to continue"),
        ErrorCase("echo a1️⃣\\", "a '\\' at the end of the input has no line to continue"),
        // Dollar forms
        ErrorCase("echo 1️⃣$", dollar),
        ErrorCase("echo 1️⃣$%", dollar),
        ErrorCase("echo \"cost: 1️⃣$ 5\"", dollar),
        ErrorCase("echo 1️⃣${name", "missing the closing '}' of '${'"),
        ErrorCase("echo \"1️⃣${x\"", "missing the closing '}' of '${'"),
        ErrorCase("echo 1️⃣${}", "'${}' names no variable; names are letters, digits and '_'"),
        ErrorCase("echo 1️⃣${a-b}", "'a-b' is not a variable name; names are letters, digits and '_'"),
        ErrorCase("echo 1️⃣$99999999999999999999999", "'$99999999999999999999999' is too large for an argument number"),
        // Command substitution
        ErrorCase("echo 1️⃣$(ls", "missing the closing ')' of '$(' on this line"),
        ErrorCase("echo 1️⃣$(ls\npwd)", "missing the closing ')' of '$(' on this line"),
        ErrorCase("echo 1️⃣$()", "'$()' holds no command"),
        ErrorCase("echo $(ls1️⃣; pwd)", "'$(…)' holds a single command; unexpected ';' inside it"),
        ErrorCase("echo $(ls 1️⃣{)", "'$(…)' holds a single command; unexpected '{' inside it"),
        ErrorCase("echo $(1️⃣lss)", "unknown command 'lss'; did you mean 'ls'?"),
        ErrorCase("echo $(1️⃣let x = 1)", "expected a command after '$(', found 'let'"),
        ErrorCase("echo $(1️⃣\"ls\")", plainName),
        ErrorCase("echo $(ls 1️⃣$())", "'$()' holds no command"),
        // Parentheses outside $(…)
        ErrorCase("echo 1️⃣)", "unexpected ')' without a '$(' before it"),
        ErrorCase("echo 1️⃣(a)", "unexpected '('; quote it or write '\\(' to use it in a word"),
        ErrorCase("put photo1️⃣(1).jpg x/", "unexpected '('; quote it or write '\\(' to use it in a word"),
        // Command names
        ErrorCase("1️⃣lss", "unknown command 'lss'; did you mean 'ls'?"),
        ErrorCase("ls\n  1️⃣rmdri x", "unknown command 'rmdri'; did you mean 'rmdir'?"),
        ErrorCase("1️⃣frobnicate", "unknown command 'frobnicate'; 'help' lists the commands"),
        ErrorCase("1️⃣for x in a b { }", "unknown command 'for'; loops are written 'foreach NAME in ITEMS { … }'"),
        ErrorCase("foreach x in a {\n1️⃣done", "unknown command 'done'; cfsh blocks end with '}'"),
        ErrorCase("1️⃣\"ls\" -l", plainName),
        ErrorCase("1️⃣$cmd x", plainName),
        ErrorCase("-1️⃣", "expected a command name right after '-'"),
        ErrorCase("-1️⃣lss", "unknown command 'lss'; did you mean 'ls'?"),
        ErrorCase("1️⃣-let x = 1", "'-' can only prefix a command, not 'let'"),
        // let
        ErrorCase("let1️⃣", "expected a variable name after 'let'"),
        ErrorCase("let x1️⃣", "expected '=' after 'let x'"),
        ErrorCase("let x 1️⃣y", "expected '=' after 'let x'"),
        ErrorCase("let x =1️⃣", "expected a value after '='; write '' for an empty string"),
        ErrorCase("let x=1️⃣; ls", "expected a value after '='; write '' for an empty string"),
        ErrorCase(
            "let 1️⃣1x = 2", "'1x' is not a variable name; names are letters, digits and '_', not starting with a digit"),
        ErrorCase(
            "let 1️⃣a.b=2", "'a.b' is not a variable name; names are letters, digits and '_', not starting with a digit"),
        ErrorCase("let 1️⃣$x = 2", "write the variable name after 'let' without '$'"),
        ErrorCase("let 1️⃣= 2", "expected a variable name after 'let'"),
        // foreach
        ErrorCase("foreach1️⃣", "expected a variable name after 'foreach'"),
        ErrorCase("foreach x1️⃣", "expected 'in' after 'foreach x'"),
        ErrorCase("foreach x 1️⃣of a b { }", "expected 'in' after 'foreach x'"),
        ErrorCase("foreach 1️⃣$x in a { }", "write the variable name after 'foreach' without '$'"),
        ErrorCase("foreach x in 1️⃣{ }", "expected the items to loop over after 'in'"),
        ErrorCase("foreach x in a b1️⃣\n{ }", "expected '{' on the same line as 'foreach'"),
        ErrorCase("foreach x in a b1️⃣; { }", "expected '{' after 'foreach', found ';'"),
        ErrorCase("foreach x in a 1️⃣{ echo $x", "this '{' is never closed"),
        ErrorCase("foreach x in a 1️⃣{\n  if stat $x { continue }\n", "this '{' is never closed"),
        ErrorCase("foreach x in a { } 1️⃣ls", "expected a line break or ';' after '}', found 'ls'"),
        ErrorCase("foreach x in a { } 1️⃣else { }", "'else' can only follow the '}' of an 'if'"),
        // if / else
        ErrorCase("if1️⃣", "expected a command after 'if'"),
        ErrorCase("if 1️⃣{ echo }", "expected a command after 'if'"),
        ErrorCase("if stat x1️⃣\n{ }", "expected '{' on the same line as 'if'"),
        ErrorCase("if stat x { } else1️⃣", "expected '{' or 'if' after 'else'"),
        ErrorCase("if stat x { } else 1️⃣echo { }", "expected '{' or 'if' after 'else'"),
        ErrorCase("if stat x { }\n1️⃣else { }", "'else' must follow the '}' of an 'if' on the same line"),
        ErrorCase("if stat x { } else { } 1️⃣else { }", "this 'if' already has an 'else'"),
        ErrorCase("if ! 1️⃣{ }", "expected a command after '!'"),
        ErrorCase(
            "if 1️⃣-stat x { }", "'-' does nothing in an 'if' condition: a failing condition takes the 'else' branch"),
        ErrorCase("if 1️⃣let x = 1 { }", "expected a command after 'if', found 'let'"),
        ErrorCase("if 1️⃣stt x { }", "unknown command 'stt'; did you mean 'stat'?"),
        ErrorCase("if stat x { 1️⃣fi", "unknown command 'fi'; cfsh blocks end with '}'"),
        ErrorCase("1️⃣else", "'else' must follow the '}' of an 'if' on the same line"),
        // break / continue, braces
        ErrorCase("1️⃣break", "'break' can only be used inside a 'foreach' loop"),
        ErrorCase("if stat x { 1️⃣continue }", "'continue' can only be used inside a 'foreach' loop"),
        ErrorCase("foreach x in a { break 1️⃣now }", "'break' takes no arguments"),
        ErrorCase("ls\n1️⃣}", "unexpected '}' without a '{' before it"),
        ErrorCase("1️⃣{ ls }", "unexpected '{'; a block can only follow 'if', 'else' or 'foreach'"),
        ErrorCase(
            "echo 1️⃣{",
            "unexpected '{'; a block can only follow 'if', 'else' or 'foreach' (quote it to use it in a word)"),
        // The first error in the text wins, lexical or not.
        ErrorCase("1️⃣lss\necho 'x", "unknown command 'lss'; did you mean 'ls'?"),
        ErrorCase("ls\nif stat x {\n  echo 1️⃣$(pwd\n}", "missing the closing ')' of '$(' on this line"),
        ErrorCase("ls\n\n\trmdir 1️⃣'x\n", "missing the closing ' of this string"),
    ]

    @Test("a malformed source is refused with its exact message and position", arguments: cases)
    func refusesMalformedSource(_ testCase: ErrorCase) {
        let marked = MarkedText(testCase.marked)
        let error = #expect(throws: ParseError.self) {
            try Parser.parse(marked.text, file: "bad.cfsh")
        }
        #expect(error?.message == testCase.message)
        #expect(error?.location == SourceLocation(file: "bad.cfsh", line: marked.line, column: marked.column))
    }

    @Test("there are at least forty malformed inputs")
    func enoughCases() {
        #expect(Self.cases.count >= 40)
    }

    @Test(
        "an open block or a trailing backslash is incomplete input, other errors are not",
        arguments: [
            ("foreach x in a {", true),
            ("if stat x {\n  ls", true),
            ("ls \\", true),
            ("echo \"abc\\", true),
            ("echo 'abc", false),
            ("if stat x", false),
            ("lss", false),
            ("}", false),
        ])
    func incompleteInput(source: String, incomplete: Bool) {
        let error = #expect(throws: ParseError.self) { try Parser.parse(source) }
        #expect(error?.isIncompleteInput == incomplete)
    }

    @Test("a syntax error renders as file:line:col, the line and a caret under the column")
    func rendersDiagnostic() {
        let source = "ls\n\trmdir 'x\n"
        let error = #expect(throws: ParseError.self) { try Parser.parse(source, file: "backup.cfsh") }
        #expect(
            error?.diagnostic.rendered(source: source)
                == "backup.cfsh:2:8: missing the closing ' of this string\n\trmdir 'x\n\t      ^")
    }

    @Test("a caret under a non-ASCII line counts characters, not bytes")
    func rendersCaretAfterNonASCII() {
        let source = "put été.txt 'x"
        let error = #expect(throws: ParseError.self) { try Parser.parse(source, file: "-c") }
        #expect(
            error?.diagnostic.rendered(source: source)
                == "-c:1:13: missing the closing ' of this string\nput été.txt 'x\n            ^")
    }

    @Test("a caret can point just past the end of a line")
    func rendersCaretAtEndOfLine() {
        let source = "let x"
        let error = #expect(throws: ParseError.self) { try Parser.parse(source, file: "-c") }
        #expect(error?.diagnostic.rendered(source: source) == "-c:1:6: expected '=' after 'let x'\nlet x\n     ^")
    }

    @Test("without the source, only the header line is printed")
    func rendersWithoutSource() {
        let diagnostic = Diagnostic(message: "boom", location: SourceLocation(file: "f", line: 3, column: 4))
        #expect(diagnostic.rendered(source: nil) == "f:3:4: boom")
        #expect(diagnostic.rendered(source: "only one line") == "f:3:4: boom")
    }
}
