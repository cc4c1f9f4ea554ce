import CFSHTestSupport
import Foundation
import Testing

/// The built `cfsh` binary, run with pipes: the language, exit statuses and
/// messages, using only commands that need no server.
@Suite(.timeLimit(.minutes(2))) struct LanguageE2ETests {
    /// One run of cfsh that needs no server, and the exit status and output it must give.
    struct Outcome: Sendable, CustomTestStringConvertible {
        var testDescription: String
        var arguments: [String]
        var stdin = ""
        /// A script file written into a scratch folder, where cfsh then runs.
        var script: (name: String, text: String)?
        var status: Int32
        var stdout: String
        var stderr: String?
        var stderrPrefix: String?

        static func command(
            _ description: String, _ text: String, status: Int32, stdout: String, stderr: String? = nil,
            stderrPrefix: String? = nil
        ) -> Outcome {
            Outcome(
                testDescription: description, arguments: ["-c", text], status: status, stdout: stdout,
                stderr: stderr, stderrPrefix: stderrPrefix)
        }

        func run() async throws -> CommandResult {
            guard let script else { return try await CFSHBinary.run(arguments, stdin: stdin) }
            return try await CFSHBinary.runScript(script.name, script.text, arguments: arguments)
        }
    }

    static let outcomes: [Outcome] = [
        Outcome(
            testDescription: "--version prints the version and exits 0", arguments: ["--version"],
            status: 0, stdout: "0.1.0\n", stderr: ""),
        .command(
            "cfsh -c runs its text", "echo hello; echo \"two words\" 'and $more'",
            status: 0, stdout: "hello\ntwo words and $more\n", stderr: ""),
        Outcome(
            testDescription: "a syntax error runs nothing, shows file:line:col, the line and a caret, and exits 2",
            arguments: [], script: ("bad.cfsh", "echo started\nforeach x in a b {\n  echo 'oops\n}\n"),
            status: 2, stdout: "",
            stderr: "bad.cfsh:3:8: missing the closing ' of this string\n  echo 'oops\n       ^\n"),
        .command(
            "an unknown command is a syntax error with a suggestion", "echo first\nlss -l",
            status: 2, stdout: "", stderr: "-c:2:1: unknown command 'lss'; did you mean 'ls'?\nlss -l\n^\n"),
        .command(
            "an unknown literal option is found before anything runs", "echo first\nls -z /", status: 2, stdout: "",
            stderr: "-c:2:4: ls: unknown option '-z'; usage: ls [-l] [-h] [-r] [--json] [PATH…]\nls -z /\n   ^\n"),
        .command(
            "a wrong operand count is found before anything runs", "echo first; pwd extra", status: 2, stdout: "",
            stderrPrefix: "-c:1:13: pwd: expected no operands, got 1; usage: pwd"),
        Outcome(
            testDescription: "cfsh run - reads the script from stdin and passes its arguments",
            arguments: ["run", "-", "one", "two words"], stdin: "echo $0 $# \"$1\"\nforeach a in $@ { echo item $a }\n",
            status: 0, stdout: "- 2 one\nitem one\nitem two words\n", stderr: ""),
        Outcome(
            testDescription: "script arguments may look like options", arguments: ["--force", "-x"],
            script: ("args.cfsh", "echo $1 $2\n"), status: 0, stdout: "--force -x\n"),
        Outcome(
            testDescription:
                "an undefined variable stops the script at its location with exit 2, after what ran before",
            arguments: [], script: ("vars.cfsh", "let name = world\necho hello $name\necho bye $nmae\necho never\n"),
            status: 2, stdout: "hello world\n",
            stderr: "vars.cfsh:3:10: echo: undefined variable $nmae\necho bye $nmae\n         ^\n"),
        Outcome(
            testDescription: "a missing script argument is reported at its location",
            arguments: ["run", "-", "only"], stdin: "echo $1\necho $2\n", status: 2, stdout: "only\n",
            stderr: "<stdin>:2:6: echo: $2 is not set: the script was given 1 argument\necho $2\n     ^\n"),
        .command(
            "a usage error in a condition still stops the script",
            "let o = -z\nif lls $o { echo yes } else { echo no }\necho after", status: 2, stdout: "",
            stderrPrefix: "-c:2:8: lls: unknown option '-z'"),
        Outcome(
            testDescription: "a failing command stops a script with exit 1 and file:line", arguments: [],
            script: ("fail.cfsh", "echo one\n\nlcd missing-folder\necho never\n"),
            status: 1, stdout: "one\n", stderr: "fail.cfsh:3: lcd: no folder 'missing-folder'\n"),
        .command(
            "a leading '-' reports the failure and goes on", "-lcd missing-folder; echo after",
            status: 0, stdout: "after\n", stderr: "-c:1: lcd: no folder 'missing-folder'\n"),
    ]

    @Test("exit statuses, output and messages", arguments: outcomes)
    func outcome(_ expected: Outcome) async throws {
        let result = try await expected.run()
        result.expect(status: expected.status, stdout: expected.stdout, stderr: expected.stderr)
        if let prefix = expected.stderrPrefix { #expect(result.stderr.hasPrefix(prefix), "\(result)") }
    }

    @Test("--help describes the forms of cfsh and exits 0")
    func help() async throws {
        let result = try await CFSHBinary.run(["--help"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("USAGE: cfsh"))
        #expect(result.stdout.contains("run"))
        #expect(result.stdout.contains("-c <text>"))
        #expect(result.stdout.contains("--debug"))
    }

    @Test("environment variables are read when no cfsh variable has the name")
    func environmentFallback() async throws {
        let result = try await CFSHBinary.command(
            "echo $GREETING; let GREETING = shadowed; echo $GREETING", environment: ["GREETING": "from env"])
        #expect(result.stdout == "from env\nshadowed\n")
    }

    @Test("lists splice as arguments only when a word is just the variable")
    func listSplicing() async throws {
        let result = try await CFSHBinary.command(
            """
            let xs = a 'b c' d
            foreach x in $xs { echo "<$x>" }
            echo "[$xs]" x$xs
            let none = $(echo -n)
            foreach x in $none { echo never }
            echo count $(set)
            """)
        #expect(result.status == 0, "\(result)")
        #expect(
            result.stdout
                == "<a>\n<b c>\n<d>\n[a b c d] xa b c d\ncount parallel 10 verbose off segment-size 1G nomatch error\n")
    }

    @Test("foreach nests, and break and continue act on the innermost loop")
    func loops() async throws {
        let result = try await CFSHBinary.command(
            """
            foreach a in 1 2 3 {
                if echo { }
                foreach b in x y z {
                    if lcd /nonexistent-\(UUID()) { } else { }
                    echo $a$b
                    if echo { break }
                }
                echo end $a
                if echo { continue }
                echo never
            }
            """)
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout == "1x\nend 1\n2x\nend 2\n3x\nend 3\n")
    }

    @Test("if runs the branch matching the command's success, quietly, with else if and !")
    func conditions() async throws {
        let scratch = try TemporaryFolder()
        defer { scratch.remove() }
        let result = try await CFSHBinary.command(
            """
            if lcd /nonexistent { echo wrong } else if lls { echo listed } else { echo wrong }
            if ! lcd /nonexistent { echo negated }
            if help { echo help-ok }
            """, directory: scratch.path)
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout == "listed\nnegated\nhelp-ok\n")
        #expect(result.stderr == "")
    }

    @Test("exit ends the script with its status; a bad status is a usage error")
    func exitStatus() async throws {
        let result = try await CFSHBinary.command("echo a; exit 3; echo b")
        result.expect(status: 3, stdout: "a\n")
        let bad = try await CFSHBinary.command("exit 300")
        #expect(bad.status == 2)
        #expect(bad.stderr == "-c:1: exit: the status must be a number from 0 to 255, not '300'\n")
        let inLoop = try await CFSHBinary.command("foreach x in 1 2 { echo $x; exit 4 }")
        inLoop.expect(status: 4, stdout: "1\n")
    }

    @Test("with no arguments, input that is not a terminal is a script: the first failure stops it")
    func standardInputStatements() async throws {
        let input = """
            echo one
            foreach x in a b {
              echo $x
            }
            lcd /nonexistent-folder
            echo after
            """
        let result = try await CFSHBinary.run([], stdin: input + "\n")
        result.expect(status: 1, stdout: "one\na\nb\n", stderr: "<stdin>:5: lcd: no folder '/nonexistent-folder'\n")
        // As with 'cfsh run -', a syntax error anywhere runs nothing.
        let syntax = try await CFSHBinary.run([], stdin: input + "\necho 'unterminated\n")
        syntax.expect(
            status: 2, stdout: "",
            stderr: "<stdin>:7:6: missing the closing ' of this string\necho 'unterminated\n     ^\n")
        let ignored = try await CFSHBinary.run([], stdin: "-lcd /nonexistent-folder\necho after\n")
        ignored.expect(status: 0, stdout: "after\n", stderr: "<stdin>:1: lcd: no folder '/nonexistent-folder'\n")
    }

    @Test("with no arguments, exit stops reading and sets the status")
    func standardInputExit() async throws {
        let result = try await CFSHBinary.run([], stdin: "echo a\nexit 5\necho b\n")
        result.expect(status: 5, stdout: "a\n")
    }

    @Test("help lists every command, and help NAME or NAME --help describes one")
    func helpCommand() async throws {
        let list = try await CFSHBinary.command("help")
        #expect(list.status == 0)
        for name in [
            "cat", "cd", "connect", "cp", "date", "echo", "exit", "get", "help", "lcd", "lls", "lpwd", "ls",
            "mkdir", "mv", "put", "pwd", "rm", "rmdir", "set", "source", "stat",
        ] {
            #expect(list.stdout.contains("\n\(name) ") || list.stdout.hasPrefix("\(name) "), "help lists \(name)")
        }
        let one = try await CFSHBinary.command("help rmdir")
        #expect(one.stdout.hasPrefix("usage: rmdir [--force] [OPTIONS] CONTAINER…\n\nDelete containers.\n"))
        #expect(one.stdout.contains("-f, --force       delete the objects in the container too"))
        let flag = try await CFSHBinary.command("rmdir --help")
        #expect(flag.stdout == one.stdout)
        let keyword = try await CFSHBinary.command("help foreach")
        #expect(keyword.stdout.hasPrefix("usage: foreach NAME in ITEM… { STATEMENTS }"))
        let unknown = try await CFSHBinary.command("help frob")
        #expect(unknown.status == 2)
        #expect(unknown.stderr == "-c:1: help: no command named 'frob'; 'help' lists them\n")
    }

    @Test("source runs a file here, sharing variables, with its own arguments")
    func sourceFile() async throws {
        let scratch = try TemporaryFolder()
        defer { scratch.remove() }
        try scratch.write("lib.cfsh", "let shared = from-lib\necho lib got $1\n")
        try scratch.write("bad.cfsh", "echo x\nif {\n")
        let result = try await CFSHBinary.command("source lib.cfsh arg1; echo $shared", directory: scratch.path)
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout == "lib got arg1\nfrom-lib\n")
        let bad = try await CFSHBinary.command("echo before; source bad.cfsh; echo after", directory: scratch.path)
        bad.expect(
            status: 2, stdout: "before\n", stderr: "bad.cfsh:2:4: source: expected a command after 'if'\nif {\n   ^\n")
    }

    @Test("set shows and changes settings, and refuses bad values")
    func settings() async throws {
        let result = try await CFSHBinary.command("set; set parallel 8; set verbose on; set; set parallel")
        #expect(
            result.stdout
                == "parallel 10\nverbose off\nsegment-size 1G\nnomatch error\nparallel 8\nverbose on\nsegment-size 1G\nnomatch error\nparallel 8\n"
        )
        let bad = try await CFSHBinary.command("set parallel 0")
        #expect(bad.status == 2)
        #expect(bad.stderr == "-c:1: set: parallel must be a number from 1 to 64, not '0'\n")
        let unknown = try await CFSHBinary.command("set colour on")
        #expect(
            unknown.stderr
                == "-c:1: set: no setting named 'colour'; the settings are parallel, verbose, segment-size and nomatch\n"
        )
    }

    @Test("date prints ISO 8601 by default and follows a strftime format")
    func date() async throws {
        let result = try await CFSHBinary.command("date -u; date -u +%Y-%m-%d; let y = $(date +%Y); echo year $y")
        #expect(result.status == 0)
        let lines = result.lines
        try #require(lines.count == 3)
        #expect(lines[0].wholeMatch(of: /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/) != nil)
        #expect(lines[1].wholeMatch(of: /\d{4}-\d\d-\d\d/) != nil)
        #expect(lines[2].wholeMatch(of: /year \d{4}/) != nil)
        let bad = try await CFSHBinary.command("date %Y")
        #expect(bad.status == 2)
    }

    @Test("lls lists local files and folders; its output feeds foreach")
    func localListing() async throws {
        let scratch = try TemporaryFolder()
        defer { scratch.remove() }
        try scratch.write("a.sql", "1")
        try scratch.write("b.sql", "22")
        try scratch.write("notes.txt", "333")
        try scratch.write("sub/c.sql", "4444")
        try scratch.write(".hidden", "x")
        let result = try await CFSHBinary.command(
            "lls; lls *.sql; lls sub; foreach f in $(lls *.sql) { echo got $f }; lls -l notes.txt",
            directory: scratch.path)
        #expect(result.status == 0, "\(result)")
        let lines = result.lines
        #expect(
            Array(lines.prefix(8)) == [
                "a.sql", "b.sql", "notes.txt", "sub/", "a.sql", "b.sql", "sub/c.sql", "got a.sql",
            ])
        #expect(lines[8] == "got b.sql")
        #expect(lines[9].hasPrefix("3  "))
        #expect(lines[9].hasSuffix("  notes.txt"))
        let none = try await CFSHBinary.command("lls *.none", directory: scratch.path)
        #expect(none.status == 1)
        #expect(none.stderr == "-c:1: lls: nothing matches '*.none'\n")
    }

    @Test("lcd and lpwd move the local working folder")
    func localFolders() async throws {
        let scratch = try TemporaryFolder()
        defer { scratch.remove() }
        try scratch.write("inner/x.txt", "x")
        let result = try await CFSHBinary.command("lpwd; lcd inner; lpwd; lls; lcd ..; lpwd", directory: scratch.path)
        #expect(result.status == 0, "\(result)")
        let start = try #require(result.lines.first)
        #expect(
            URL(fileURLWithPath: start).resolvingSymlinksInPath()
                == URL(fileURLWithPath: scratch.path).resolvingSymlinksInPath())
        #expect(result.lines == [start, start + "/inner", "x.txt", start])
    }

    @Test("echo -n leaves out the line break and other dashes are printed")
    func echoOptions() async throws {
        let result = try await CFSHBinary.command("echo -n a; echo -x --y")
        #expect(result.stdout == "a-x --y\n")
    }

    @Test("a remote command without a connection says how to connect")
    func notConnected() async throws {
        let result = try await CFSHBinary.command("ls")
        result.expect(status: 1, stdout: "")
        #expect(result.stderr.hasPrefix("-c:1: ls: not connected: give --auth-url (or OS_AUTH_URL / ST_AUTH)"))
    }
}
