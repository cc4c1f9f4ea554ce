import Testing

@testable import CFShell
@testable import CFShellLanguage

@Suite struct CommandSpecTests {
    static func arguments(_ words: String...) -> [Argument] { words.map { Argument($0) } }

    @Test("short options combine, long options have aliases, and options may follow operands")
    func options() throws {
        let ls = try #require(Builtins.named("ls")?.spec)
        let parsed = try ls.parse(Self.arguments("-lh", "backups/", "--recursive"))
        #expect(parsed.options == ["-l": "", "-h": "", "-r": ""])
        #expect(parsed.operands.map(\.text) == ["backups/"])
    }

    @Test("'--' ends options and a pattern is never an option")
    func endOfOptions() throws {
        let rm = try #require(Builtins.named("rm")?.spec)
        let parsed = try rm.parse(Self.arguments("--", "-r") + [Argument("-*", pattern: GlobPattern("-*"))])
        #expect(parsed.options.isEmpty)
        #expect(parsed.operands.map(\.text) == ["-r", "-*"])
    }

    @Test("options with values take the next word or an inline '='")
    func values() throws {
        let connect = try #require(Builtins.named("connect")?.spec)
        let parsed = try connect.parse(Self.arguments("--auth-url=http://x/auth/v1.0", "-U", "a:b", "--key", "k"))
        #expect(parsed.value("--auth-url") == "http://x/auth/v1.0")
        #expect(parsed.value("--user") == "a:b")
        #expect(parsed.value("--key") == "k")
        let missing = #expect(throws: UsageError.self) { try connect.parse(Self.arguments("--key")) }
        #expect(missing?.message == "--key needs a value (KEY)")
    }

    @Test("an option given several times keeps every value, in order (share --read a --read b)")
    func repeatedValues() throws {
        let share = try #require(Builtins.named("share")?.spec)
        let parsed = try share.parse(Self.arguments("c", "--read", "a:b", "--write=x:y", "--read=.r:*", "--read", "z"))
        #expect(parsed.values("--read") == ["a:b", ".r:*", "z"])
        #expect(parsed.values("--write") == ["x:y"])
        #expect(parsed.values("--revoke") == [])
        #expect(parsed.value("--read") == "z")
        #expect(CompletionSlots.slot(command: "share", position: 0, precedingWords: ["share"]) == .remote(.containers))
    }

    @Test(
        "mistakes give usage errors that say what is expected",
        arguments: [
            ("ls", ["-z"], "unknown option '-z'; usage: ls [-l] [-h] [-r] [--json] [PATH…]"),
            ("ls", ["-lz"], "unknown option '-z' in '-lz'; usage: ls [-l] [-h] [-r] [--json] [PATH…]"),
            (
                "pwd", ["-x"],
                "unknown option '-x'; 'pwd' takes none (write '--' before an operand that starts with '-')"
            ),
            ("pwd", ["a"], "expected no operands, got 1; usage: pwd "),
            ("cd", ["a", "b"], "expected 0 to 1 operands, got 2; usage: cd [PATH]"),
            ("mkdir", [], "expected at least 1, got 0; usage: mkdir CONTAINER…"),
            ("rmdir", ["--force=yes", "c"], "--force takes no value"),
        ])
    func mistakes(command: String, words: [String], message: String) throws {
        let spec = try #require(Builtins.named(command)?.spec)
        let error = #expect(throws: UsageError.self) { try spec.parse(words.map { Argument($0) }) }
        #expect(error?.message == message)
    }

    @Test("every command has a spec, and the parser knows exactly those names")
    func table() {
        #expect(Shell.language.commandNames == Set(Builtins.all.map { $0.spec }.map(\.name)))
        #expect(Shell.language.commandNames.count == Builtins.all.map { $0.spec }.count)
        for spec in Builtins.all.map({ $0.spec }) {
            #expect(spec.helpText.hasPrefix("usage: \(spec.name)"))
        }
    }

    @Test("the checker finds literal option and operand mistakes before anything runs")
    func checker() throws {
        let bad = try Shell.language.parse("echo ok\nif stat x { ls -z }", file: "c.cfsh")
        let error = #expect(throws: ParseError.self) { try Shell.language.check(bad) }
        #expect(error?.message == "ls: unknown option '-z'; usage: ls [-l] [-h] [-r] [--json] [PATH…]")
        #expect(error?.location == SourceLocation(file: "c.cfsh", line: 2, column: 16))
        let count = try Shell.language.parse("cd a b", file: "c.cfsh")
        #expect(throws: ParseError.self) { try Shell.language.check(count) }
        // Words that may expand to any number of arguments are left to run time.
        for source in ["pwd $x", "cd $(ls)", "ls $opts", "cd a*", "echo -z", "let x = $(ls -l)"] {
            #expect(throws: Never.self) { try Shell.language.check(try Shell.language.parse(source)) }
        }
        let inSubstitution = try Shell.language.parse("let x = $(ls -q)")
        #expect(throws: ParseError.self) { try Shell.language.check(inSubstitution) }
    }
}
