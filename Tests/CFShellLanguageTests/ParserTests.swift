import Testing

@testable import CFShellLanguage

/// A source text and the tree it must parse into (locations erased).
struct ParseCase: Sendable, CustomTestStringConvertible {
    let source: String
    let expected: [Statement]

    init(_ source: String, _ expected: Statement...) {
        self.source = source
        self.expected = expected
    }

    var testDescription: String { source.debugDescription }
}

@Suite struct ParserTests {
    static let cases: [ParseCase] = [
        ParseCase("ls", run("ls")),
        ParseCase("ls -l backups/", run("ls", "-l", "backups/")),
        ParseCase("ls; pwd", run("ls"), run("pwd")),
        ParseCase("ls\npwd\n", run("ls"), run("pwd")),
        ParseCase("ls\r\npwd\r\n", run("ls"), run("pwd")),
        ParseCase("\n\n  ls  \n;;\n", run("ls")),
        ParseCase(""),
        ParseCase("# only a comment\n"),
        ParseCase("# a comment\nls # trailing comment", run("ls")),
        ParseCase("echo a#b", run("echo", "a#b")),
        ParseCase("put -r dumps \\\n    backups/", run("put", "-r", "dumps", "backups/")),
        ParseCase("echo a\\\nb", run("echo", "a", "b")),
        ParseCase("echo 'it is $HOME; {not} a block'", run(command("echo", word(quo("it is $HOME; {not} a block"))))),
        ParseCase("echo \"hi $name!\"", run(command("echo", word(quo("hi "), ref("name", quoted: true), quo("!"))))),
        ParseCase("echo \"${name}s\"", run(command("echo", word(ref("name", quoted: true), quo("s"))))),
        ParseCase("echo \"$x\"", run(command("echo", word(ref("x", quoted: true))))),
        ParseCase("echo $x", run(command("echo", word(ref("x"))))),
        ParseCase("echo ${HOME}/x", run(command("echo", word(ref("HOME"), lit("/x"))))),
        ParseCase("echo $a$b", run(command("echo", word(ref("a"), ref("b"))))),
        ParseCase("echo a\\ b", run(command("echo", word(lit("a"), quo(" "), lit("b"))))),
        ParseCase("echo \\$HOME \\*", run(command("echo", word(quo("$"), lit("HOME")), word(quo("*"))))),
        ParseCase("echo a\"b\"'c'", run(command("echo", word(lit("a"), quo("bc"))))),
        ParseCase("echo \"\" ''", run(command("echo", word(quo("")), word(quo(""))))),
        ParseCase("echo \"tab\\there\\n\\\\ \\\" \\$\"", run(command("echo", word(quo("tab\there\n\\ \" $"))))),
        ParseCase("echo \"one \\\ntwo\"", run(command("echo", word(quo("one two"))))),
        ParseCase(
            "echo $1 $@ $# ${10} $0",
            run(
                command(
                    "echo", word(arg(1)),
                    word(.variable(VariableReference(.allArguments, location: .unknown), quoted: false)),
                    word(.variable(VariableReference(.argumentCount, location: .unknown), quoted: false)),
                    word(arg(10)), word(arg(0))))),
        ParseCase("echo $12", run(command("echo", word(arg(12))))),
        ParseCase("let x = 5", assign("x", w("5"))),
        ParseCase("let x=5", assign("x", w("5"))),
        ParseCase("let x= 5", assign("x", w("5"))),
        ParseCase("let files = a b 'c d'", assign("files", w("a"), w("b"), word(quo("c d")))),
        ParseCase("let greeting=\"hello $USER\"", assign("greeting", word(quo("hello "), ref("USER", quoted: true)))),
        ParseCase("let empty = ''", assign("empty", word(quo("")))),
        ParseCase(
            "let today = $(date +%Y-%m-%d)",
            assign("today", word(sub(cmd("date", "+%Y-%m-%d"))))),
        ParseCase(
            "echo $(ls $(pwd))",
            run(command("echo", word(sub(command("ls", word(sub(command("pwd"))))))))),
        ParseCase(
            "echo \"$(pwd)/x\"",
            run(command("echo", word(sub(command("pwd"), quoted: true), quo("/x"))))),
        ParseCase("echo $(-ls gone/)", run(command("echo", word(sub(cmd("ls", "gone/", ignoresFailure: true)))))),
        ParseCase("-rm backups/*.tmp", run("rm", "backups/*.tmp", ignoresFailure: true)),
        ParseCase("rm 'backups/*.tmp'", run(command("rm", word(quo("backups/*.tmp"))))),
        ParseCase("rmdir --force old", run("rmdir", "--force", "old")),
        ParseCase("set parallel 8", run("set", "parallel", "8")),
        ParseCase("echo else in let if -", run("echo", "else", "in", "let", "if", "-")),
        ParseCase("cd /; pwd", run("cd", "/"), run("pwd")),
        ParseCase("put café.txt photos/été/", run("put", "café.txt", "photos/été/")),
        ParseCase("exit 3", run("exit", "3")),
        ParseCase(
            "foreach f in a b c { echo $f }",
            loop("f", in: [w("a"), w("b"), w("c")], run(command("echo", word(ref("f")))))),
        ParseCase("foreach x in $(ls) {\n}", loop("x", in: [word(sub(command("ls")))])),
        ParseCase("foreach x in a {}", loop("x", in: [w("a")])),
        ParseCase(
            """
            foreach c in $(ls) {
                if stat $c/keep { continue }
                foreach o in $(ls $c) {
                    echo $o; break
                }
            }
            """,
            loop(
                "c", in: [word(sub(command("ls")))],
                when(command("stat", word(ref("c"), lit("/keep"))), then: [.continue(.unknown)]),
                loop(
                    "o", in: [word(sub(command("ls", word(ref("c")))))],
                    run(command("echo", word(ref("o")))), .break(.unknown)))),
        ParseCase(
            "if stat x { echo yes } else { echo no }",
            when(cmd("stat", "x"), then: [run("echo", "yes")], otherwise: [run("echo", "no")])),
        ParseCase(
            "if ! stat x { mkdir x }",
            when(cmd("stat", "x"), negated: true, then: [run("mkdir", "x")])),
        ParseCase(
            "if stat a {\n  echo a\n} else if stat b {\n  echo b\n} else {\n  echo c\n}\necho done",
            when(
                cmd("stat", "a"), then: [run("echo", "a")],
                otherwise: [
                    when(cmd("stat", "b"), then: [run("echo", "b")], otherwise: [run("echo", "c")])
                ]),
            run("echo", "done")),
        ParseCase("if stat x {} ; ls", when(cmd("stat", "x"), then: []), run("ls")),
        ParseCase("foreach x in a { ls }; pwd", loop("x", in: [w("a")], run("ls")), run("pwd")),
        ParseCase("if stat x { ls } # checked\n", when(cmd("stat", "x"), then: [run("ls")])),
    ]

    @Test("source text parses into the expected tree", arguments: cases)
    func parsesIntoTree(_ testCase: ParseCase) throws {
        let script = try Parser.parse(testCase.source, file: "t.cfsh")
        #expect(script.erasingLocations == Script(statements: testCase.expected))
    }

    @Test("statements, words and variables keep their line and column")
    func locations() throws {
        let script = try Parser.parse("ls\n  -rm  x/$y\nforeach f in a {\n\tbreak\n}", file: "s.cfsh")
        let statements = script.statements
        try #require(statements.count == 3)
        #expect(statements[0].location == SourceLocation(file: "s.cfsh", line: 1, column: 1))
        guard case .command(let rm) = statements[1] else {
            Issue.record("expected a command, got \(statements[1])")
            return
        }
        // The command's location is its name, after the '-'.
        #expect(rm.location == SourceLocation(file: "s.cfsh", line: 2, column: 4))
        #expect(rm.arguments[0].location == SourceLocation(file: "s.cfsh", line: 2, column: 8))
        guard case .variable(let y, _) = rm.arguments[0].parts[1] else {
            Issue.record("expected a variable, got \(rm.arguments[0].parts)")
            return
        }
        #expect(y.location == SourceLocation(file: "s.cfsh", line: 2, column: 10))
        guard case .loop(let loop) = statements[2] else {
            Issue.record("expected a loop, got \(statements[2])")
            return
        }
        #expect(loop.location == SourceLocation(file: "s.cfsh", line: 3, column: 1))
        #expect(loop.body == [.break(SourceLocation(file: "s.cfsh", line: 4, column: 2))])
    }

    @Test("a statement's words know whether they splice a list or hold a glob")
    func wordProperties() throws {
        let script = try Parser.parse("echo $x \"$x\" $(ls) a$x *.sql '*.sql' a\\*", file: "t")
        guard case .command(let echo) = script.statements[0] else {
            Issue.record("expected a command")
            return
        }
        #expect(echo.arguments.map(\.isSplice) == [true, false, true, false, false, false, false])
        #expect(echo.arguments.map(\.hasGlob) == [false, false, false, false, true, false, false])
    }

    @Test("the parser can accept any command name when asked to")
    func anyCommandName() throws {
        let script = try Parser.parse("frobnicate now", knownCommands: nil)
        #expect(script.erasingLocations == Script(statements: [run("frobnicate", "now")]))
    }
}
