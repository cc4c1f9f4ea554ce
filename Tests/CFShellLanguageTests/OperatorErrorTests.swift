import Testing

@testable import CFShellLanguage

/// Other shells' pipes, redirections and job operators: unquoted, they are a syntax error
/// at their column that says what to write instead; quoted or escaped, they are text.
@Suite struct OperatorErrorTests {
    static let background =
        "'&' is not in cfsh: a command cannot run in the background; put, get and rm already work in parallel (--parallel N)"
    static let and =
        "'&&' is not in cfsh; a script stops at its first failing command, so write the commands on separate lines "
        + "or with ';' (or use 'if COMMAND { … }')"
    static let or =
        "'||' is not in cfsh; use 'if ! COMMAND { … }' to act when a command fails, or '-COMMAND' to go on after it"
    static let input =
        "'<' is not a redirection in cfsh, and its commands read no input; 'put FILE REMOTE' uploads a file, "
        + "'source FILE' runs a script"

    static let cases: [ErrorCase] = [
        // Pipes: the statement so far, quoted for the shell that runs cfsh, then the rest of the line.
        ErrorCase("ls c 1️⃣| wc -l", "'|' is not a pipe in cfsh; to pipe the output, run: cfsh -c 'ls c' | wc -l"),
        ErrorCase(
            "ls -l c 1️⃣| sort | head",
            "'|' is not a pipe in cfsh; to pipe the output, run: cfsh -c 'ls -l c' | sort | head"),
        ErrorCase("ls c 1️⃣|", "'|' is not a pipe in cfsh; to pipe the output, run: cfsh -c 'ls c' | COMMAND"),
        ErrorCase("1️⃣| wc", "'|' is not a pipe in cfsh; to pipe the output, run: cfsh -c 'COMMAND' | wc"),
        ErrorCase("ls c 1️⃣|& less", "'|&' is not a pipe in cfsh; to pipe the output, run: cfsh -c 'ls c' |& less"),
        ErrorCase(
            "echo one; ls 'my c' 1️⃣| wc -l",
            "'|' is not a pipe in cfsh; to pipe the output, run: cfsh -c 'ls '\\''my c'\\''' | wc -l"),
        ErrorCase(
            "foreach x in a b {\n  ls $x 1️⃣| wc -l }",
            "'|' is not a pipe in cfsh; to pipe the output, run: cfsh -c 'ls $x' | wc -l"),
        ErrorCase(
            "if ls c 1️⃣| grep x { echo y }",
            "'|' is not a pipe in cfsh; to pipe the output, run: cfsh -c 'COMMAND' | grep x"),
        ErrorCase(
            "ls c1️⃣|wc",
            "'|' is not a pipe in cfsh; to pipe the output, run: cfsh -c 'ls c' | wc; "
                + "to use it in a name, quote it or write '\\|'"),
        // Redirections.
        ErrorCase(
            "ls c 1️⃣> out.txt",
            "'>' is not a redirection in cfsh; to write the output to a file, run: cfsh -c 'ls c' > out.txt"),
        ErrorCase(
            "ls c 1️⃣>out.txt",
            "'>' is not a redirection in cfsh; to write the output to a file, run: cfsh -c 'ls c' > out.txt"),
        ErrorCase(
            "ls c 1️⃣>> all.txt",
            "'>>' is not a redirection in cfsh; to write the output to a file, run: cfsh -c 'ls c' >> all.txt"),
        ErrorCase(
            "ls c 1️⃣2> err.txt",
            "'2>' is not a redirection in cfsh; to write the output to a file, run: cfsh -c 'ls c' 2> err.txt"),
        ErrorCase(
            "ls c 1️⃣2>&1 | less",
            "'2>&1' is not a redirection in cfsh; to write the output to a file, run: cfsh -c 'ls c' 2>&1 | less"),
        ErrorCase(
            "echo oops 1️⃣>&2",
            "'>&2' is not a redirection in cfsh; to write the output to a file, run: cfsh -c 'echo oops' >&2"),
        ErrorCase(
            "ls c 1️⃣&> all.log",
            "'&>' is not a redirection in cfsh; to write the output to a file, run: cfsh -c 'ls c' &> all.log"),
        ErrorCase(
            "ls c 1️⃣>",
            "'>' is not a redirection in cfsh; to write the output to a file, run: cfsh -c 'ls c' > FILE"),
        ErrorCase(
            "cat c/db.sql 1️⃣> db.sql",
            "'>' is not a redirection in cfsh; to write the output to a file, run: cfsh -c 'cat c/db.sql' > db.sql "
                + "(or save an object with 'get OBJECT FILE')"),
        ErrorCase(
            "ls x21️⃣>e",
            "'>' is not a redirection in cfsh; to write the output to a file, run: cfsh -c 'ls x2' > e; "
                + "to use it in a name, quote it or write '\\>'"),
        ErrorCase("rm 1️⃣< list.txt", input),
        ErrorCase(
            "rm 1️⃣<< EOF",
            "'<<' is not a redirection in cfsh, and its commands read no input; 'put FILE REMOTE' uploads a file, "
                + "'source FILE' runs a script"),
        // Jobs and lists.
        ErrorCase("put big.bin c/ 1️⃣&", background),
        ErrorCase("put photo1️⃣&1.jpg c/", background + "; to use it in a name, quote it or write '\\&'"),
        ErrorCase("mkdir c 1️⃣&& put f c/", and),
        ErrorCase("stat c 1️⃣|| mkdir c", or),
        // Inside $(…).
        ErrorCase("echo $(ls c 1️⃣| wc -l)", "'|' is not a pipe in cfsh, and '$(…)' holds a single command"),
        ErrorCase("let x = $(ls 1️⃣2>/dev/null)", "'2>' is not a redirection in cfsh, and '$(…)' holds a single command"),
        ErrorCase("echo \"$(ls 1️⃣&& pwd)\"", "'&&' is not an operator in cfsh, and '$(…)' holds a single command"),
        // The first error in the text wins.
        ErrorCase("1️⃣lss c | wc", "unknown command 'lss'; did you mean 'ls'?"),
        ErrorCase("ls 1️⃣'c | wc", "missing the closing ' of this string"),
        ErrorCase(
            "ls c\nls d 1️⃣> x; ls e | y",
            "'>' is not a redirection in cfsh; to write the output to a file, run: cfsh -c 'ls d' > x"),
    ]

    @Test("an unquoted operator is refused at its column, saying what to write instead", arguments: cases)
    func refusesOperator(_ testCase: ErrorCase) {
        let marked = MarkedText(testCase.marked)
        let error = #expect(throws: ParseError.self) { try Parser.parse(marked.text, file: "ops.cfsh") }
        #expect(error?.message == testCase.message)
        #expect(error?.location == SourceLocation(file: "ops.cfsh", line: marked.line, column: marked.column))
        #expect(error?.isIncompleteInput == false)
    }

    @Test("quoted or escaped, the operators are text in a name")
    func quotedOperatorsAreText() throws {
        let script = try Parser.parse("put 'a|b' \"c > d\" e\\&f g\\<h\\>i '&&' c/ # | > < &")
        guard case .command(let put) = script.statements.first else {
            Issue.record("not a command: \(script)")
            return
        }
        #expect(put.arguments.map(\.plainText) == ["a|b", "c > d", "e&f", "g<h>i", "&&", "c/"])
        #expect(script.statements.count == 1)
    }

    @Test("the lexer ends a word at an operator, so the error points at the operator itself")
    func lexerStopsAtOperator() {
        let error = #expect(throws: ParseError.self) { try Lexer.tokenize("ls abc|def") }
        #expect(error?.location == SourceLocation(file: "<input>", line: 1, column: 7))
    }
}
