import Testing

@testable import CFShellLanguage

/// Other tools' command names and options: what the front end says about them
/// (`CommandSuggestions`), and how the option parser reads them.
@Suite struct HabitTests {
    // MARK: - Command names

    /// Every entry of the table, with the message the parser must give for it.
    static let commandHabits: [(String, String)] = [
        ("for", "loops are written 'foreach NAME in ITEMS { … }'"),
        ("while", "cfsh has no 'while'; loop over a list with 'foreach NAME in ITEMS { … }'"),
        ("then", "cfsh blocks are written '{ … }' after the condition"),
        ("do", "cfsh blocks are written '{ … }' after the items"),
        ("fi", "cfsh blocks end with '}'"),
        ("done", "cfsh blocks end with '}'"),
        ("elif", "write '} else if COMMAND {'"),
        ("export", "bind a variable with 'let NAME = VALUE'"),
        ("quit", "use 'exit'"),
        ("bye", "use 'exit'"),
        ("dir", "use 'ls'"),
        ("list", "use 'ls'"),
        ("ll", "use 'ls -l'"),
        ("tree", "use 'ls -r'"),
        ("find", "cfsh has no 'find' yet; 'ls -r PATH' lists every object below PATH"),
        (
            "du",
            "cfsh has no 'du'; 'stat PATH' shows the objects and bytes below a container or pseudo-folder, "
                + "and 'ls -l' at the root each container's"
        ),
        (
            "size",
            "cfsh has no 'size'; 'stat PATH' shows the objects and bytes below a container or pseudo-folder, "
                + "and 'ls -l' at the root each container's"
        ),
        ("head", "use 'stat'"),
        ("post", "use 'meta PATH KEY=VALUE…' ('stat' shows metadata, and 'mkdir' creates a container)"),
        ("url", "cfsh has no 'url'; 'tempurl PATH' signs a temporary URL, and 'stat /' shows the storage URL"),
        ("chmod", "containers have ACLs, not modes: 'share CONTAINER --read ACCOUNT:USER', '--public' or '--private'"),
        ("upload", "use 'put'"),
        ("mput", "use 'put' (it takes globs and several files)"),
        ("download", "use 'get'"),
        ("mget", "use 'get' (it takes globs and several objects)"),
        ("mirror", "use 'sync SRC DST' (a local side is written file:PATH)"),
        ("copy", "use 'cp'"),
        ("move", "use 'mv'"),
        ("rename", "use 'mv'"),
        ("delete", "use 'rm'"),
        ("del", "use 'rm'"),
        ("remove", "use 'rm'"),
        ("purge", "use 'rm -r' (and 'rmdir --force' to delete the container too)"),
        ("mb", "use 'mkdir'"),
        ("rb", "use 'rmdir'"),
        ("login", "use 'connect'"),
        ("open", "use 'connect'"),
    ]

    @Test("the table holds exactly the listed words")
    func tableIsListed() {
        #expect(Set(CommandSuggestions.habits.keys) == Set(Self.commandHabits.map(\.0)))
        #expect(CommandSuggestions.habits.count == Self.commandHabits.count)
    }

    @Test("another tool's command name is answered by meaning", arguments: commandHabits)
    func commandHabit(name: String, advice: String) {
        let marked = MarkedText("echo ok\n1️⃣\(name) x")
        let error = #expect(throws: ParseError.self) { try Parser.parse(marked.text, file: "h.cfsh") }
        #expect(error?.message == "unknown command '\(name)'; \(advice)")
        #expect(error?.location == SourceLocation(file: "h.cfsh", line: marked.line, column: marked.column))
    }

    @Test("no habit names a command of cfsh, and a command named like a habit runs")
    func realCommandsWin() throws {
        #expect(CommandSuggestions.habits.keys.filter(TestLanguage.commandNames.contains).isEmpty)
        // Once cfsh has a `find` (or a `sync`), the name is that command, not the advice.
        let script = try Parser.parse(
            "find c/ -x; sync a b", knownCommands: TestLanguage.commandNames.union(["find", "sync"]))
        #expect(script.statements.count == 2)
        #expect(throws: ParseError.self) { try Parser.parse("find c/") }
    }

    @Test(
        "spelling suggestions stay within one edit up to four letters, two beyond",
        arguments: [
            ("lss", "ls"), ("rmdri", "rmdir"), ("stt", "stat"), ("sl", "ls"), ("gte", "get"), ("ehco", "echo"),
            ("conect", "connect"), ("connnect", "connect"), ("mkdri", "mkdir"), ("mdkri", "mkdir"),
            ("sourse", "source"),
        ])
    func spellingSuggestion(typed: String, suggested: String) {
        #expect(CommandSuggestions.suggestion(for: typed, among: TestLanguage.commandNames) == suggested)
    }

    @Test(
        "words that only look alike get no spelling suggestion",
        arguments: ["post", "head", "url", "list", "frobnicate", "x", "l", "conn", "cdup", "tree", "sync"])
    func noSpellingSuggestion(typed: String) {
        #expect(CommandSuggestions.suggestion(for: typed, among: TestLanguage.commandNames) == nil)
    }

    @Test("a typo of a command still gets 'did you mean', and a word with neither gets 'help'")
    func spellingAfterMeaning() {
        let typo = #expect(throws: ParseError.self) { try Parser.parse("pwdd") }
        #expect(typo?.message == "unknown command 'pwdd'; did you mean 'pwd'?")
        let unknown = #expect(throws: ParseError.self) { try Parser.parse("posts x") }
        #expect(unknown?.message == "unknown command 'posts'; 'help' lists the commands")
    }

    // MARK: - Options

    struct TypedWord: CommandWord {
        var text: String
        var isAlwaysOperand = false
        var location = SourceLocation(file: "-c", line: 1, column: 4)
    }

    static let ls = CommandSpec(
        "ls", "[-l] [-h] [-r] [--json] [PATH…]", summary: "",
        options: [
            CommandSpec.Option("-l", "--long", help: ""), CommandSpec.Option("-h", "--human", help: ""),
            CommandSpec.Option("-r", "--recursive", help: ""), CommandSpec.Option("--json", help: ""),
        ])
    static let rm = CommandSpec(
        "rm", "[-r] [-v] REMOTE…", summary: "",
        options: [
            CommandSpec.Option("-r", "--recursive", help: ""), CommandSpec.Option("-v", "--verbose", help: ""),
        ],
        operands: 1...Int.max)
    static let mkdir = CommandSpec("mkdir", "CONTAINER…", summary: "", operands: 1...Int.max)
    static let cp = CommandSpec("cp", "SOURCE… DEST", summary: "", operands: 2...Int.max)
    /// A command with its own `-R`, which is not `-r`.
    static let own = CommandSpec(
        "own", "", summary: "",
        options: [CommandSpec.Option("-r", help: ""), CommandSpec.Option("-R", "--reverse", help: "")])

    static func parse(_ spec: CommandSpec, _ words: String...) throws(UsageError) -> ParsedArguments<TypedWord> {
        try spec.parse(words.map { TypedWord(text: $0) })
    }

    @Test("-R is -r wherever -r exists, alone or in a cluster, and a command's own -R wins")
    func capitalR() throws {
        #expect(try Self.parse(Self.ls, "-R", "c").options == ["-r": ""])
        #expect(try Self.parse(Self.ls, "-lR").options == ["-l": "", "-r": ""])
        #expect(try Self.parse(Self.rm, "-Rv", "c/x").options == ["-r": "", "-v": ""])
        #expect(try Self.parse(Self.own, "-R").options == ["-R": ""])
        let none = #expect(throws: UsageError.self) { try Self.parse(Self.mkdir, "-R", "c") }
        #expect(
            none?.message
                == "unknown option '-R'; 'mkdir' takes none (write '--' before an operand that starts with '-')")
    }

    @Test("a cluster of short flags is each flag, when every letter is one of the command's")
    func clusters() throws {
        #expect(try Self.parse(Self.rm, "-rv", "c/").options == ["-r": "", "-v": ""])
        #expect(try Self.parse(Self.rm, "-vr", "c/").options == ["-r": "", "-v": ""])
        #expect(try Self.parse(Self.ls, "-lhr").options == ["-l": "", "-h": "", "-r": ""])
        let error = #expect(throws: UsageError.self) { try Self.parse(Self.rm, "-rz", "c/") }
        #expect(error?.message == "unknown option '-z' in '-rz'; usage: rm [-r] [-v] REMOTE…")
        #expect(error?.location == SourceLocation(file: "-c", line: 1, column: 4))
    }

    @Test("mkdir -p is accepted and changes nothing")
    func mkdirParents() throws {
        let parsed = try Self.parse(Self.mkdir, "-p", "c")
        #expect(parsed.options.isEmpty)
        #expect(parsed.operands.map(\.text) == ["c"])
        #expect(try Self.parse(Self.mkdir, "--parents", "c", "d").operands.map(\.text) == ["c", "d"])
        #expect(throws: UsageError.self) { try Self.parse(Self.mkdir, "-p") }
    }

    @Test(
        "an option habit with no meaning in cfsh is refused with the form to use",
        arguments: [
            (ls, ["-la"], "cfsh has no '-a' (every object is listed); use 'ls -l'"),
            (ls, ["-al", "c/"], "cfsh has no '-a' (every object is listed); use 'ls -l'"),
            (ls, ["-lah"], "cfsh has no '-a' (every object is listed); use 'ls -lh'"),
            (ls, ["-a"], "cfsh has no '-a' (every object is listed)"),
            (ls, ["--all"], "cfsh has no '--all' (every object is listed)"),
            (ls, ["-1"], "'ls' prints one name per line already when not given -l"),
            (ls, ["-1r"], "'ls' prints one name per line already when not given -l; use 'ls -r'"),
            (
                cp, ["-r", "a/", "b/"],
                "'cp' has no '-r': it copies objects, and a glob copies those of a folder (cp SOURCE/* DEST/)"
            ),
            (
                cp, ["-R", "a/", "b/"],
                "'cp' has no '-R': it copies objects, and a glob copies those of a folder (cp SOURCE/* DEST/)"
            ),
            (
                cp, ["a/", "--recursive", "b/"],
                "'cp' has no '--recursive': it copies objects, and a glob copies those of a folder (cp SOURCE/* DEST/)"
            ),
        ])
    func refusedHabit(spec: CommandSpec, words: [String], message: String) {
        let error = #expect(throws: UsageError.self) { try spec.parse(words.map { TypedWord(text: $0) }) }
        #expect(error?.message == message)
        #expect(error?.location == SourceLocation(file: "-c", line: 1, column: 4))
    }

    @Test("the checker refuses a habit before anything runs, at its word")
    func checkedBeforeRunning() throws {
        let language = Language(commands: [Self.ls, Self.mkdir])
        let error = #expect(throws: ParseError.self) { try language.read("mkdir -p c\nls -la c", file: "-c") }
        #expect(error?.message == "ls: cfsh has no '-a' (every object is listed); use 'ls -l'")
        #expect(error?.location == SourceLocation(file: "-c", line: 2, column: 4))
    }
}
