import Testing

@testable import CFShell
@testable import CFShellLanguage

/// The habits table against cfsh's real commands: what it points to exists, and what it
/// stands for is read by the real option parser.
@Suite struct HabitTableTests {
    static func arguments(_ words: [String]) -> [Argument] { words.map { Argument($0) } }

    static var specs: [CommandSpec] { Builtins.all.map { $0.spec } }

    @Test("every command with -r reads -R as -r, alone and in a cluster")
    func capitalR() throws {
        let recursive = Self.specs.filter { $0.option(named: "-r") != nil }
        #expect(Set(recursive.map(\.name)).isSuperset(of: ["ls", "get", "put", "rm"]))
        for var spec in recursive {
            spec.operands = nil
            #expect(try spec.parse(Self.arguments(["-R", "x"])).options["-r"] == "", "\(spec.name)")
        }
        let ls = try #require(Builtins.named("ls")?.spec)
        #expect(try ls.parse(Self.arguments(["-lRh"])).options == ["-l": "", "-r": "", "-h": ""])
    }

    @Test(
        "a cluster of flags is each flag, for commands that have two short flags today",
        arguments: [
            ("get", ["-rv", "c/", "out/"], ["-r", "-v"]),
            ("put", ["-Rvq", "dumps", "c/"], ["-r", "-v", "-q"]),
            ("rm", ["-vR", "c/old/"], ["-r", "-v"]),
        ])
    func clusters(command: String, words: [String], flags: [String]) throws {
        let spec = try #require(Builtins.named(command)?.spec)
        let parsed = try spec.parse(Self.arguments(words))
        #expect(Set(parsed.options.keys) == Set(flags))
        #expect(parsed.operands.count == words.count - 1)
    }

    @Test("rm -rf is -r and -f once rm has -f")
    func removeForce() throws {
        let rm = try #require(Builtins.named("rm")?.spec)
        guard let force = rm.option(named: "-f") else {
            let error = #expect(throws: UsageError.self) { try rm.parse(Self.arguments(["-rf", "c/"])) }
            #expect(error?.message.contains("'-f'") == true)
            return
        }
        let parsed = try rm.parse(Self.arguments(["-rf", "c/"]))
        #expect(parsed.has("-r"))
        #expect(parsed.has(force.names[0]))
    }

    @Test("mkdir -p is accepted by the real mkdir, and ls -la is refused with 'ls -l'")
    func realSpecs() throws {
        let mkdir = try #require(Builtins.named("mkdir")?.spec)
        #expect(try mkdir.parse(Self.arguments(["-p", "c"])).operands.map(\.text) == ["c"])
        let ls = try #require(Builtins.named("ls")?.spec)
        let error = #expect(throws: UsageError.self) { try ls.parse(Self.arguments(["-la", "c"])) }
        #expect(error?.message == "cfsh has no '-a' (every object is listed); use 'ls -l'")
    }

    /// The command lines quoted in `advice`, leaving out the names it says cfsh has not
    /// ("has no 'post'"). A `'` between two letters is an apostrophe ("container's").
    static func quotedCommands(_ advice: String) -> [String] {
        let characters = Array(advice)
        var quotes: [Int] = []
        for (index, c) in characters.enumerated() where c == "'" {
            let isApostrophe =
                index > 0 && index + 1 < characters.count && characters[index - 1].isLetter
                && characters[index + 1].isLetter
            if !isApostrophe { quotes.append(index) }
        }
        return stride(from: 0, to: quotes.count - 1, by: 2).compactMap { pair in
            let (open, close) = (quotes[pair], quotes[pair + 1])
            if String(characters[..<open]).hasSuffix("no ") { return nil }
            return String(characters[(open + 1)..<close])
        }
    }

    @Test("every command the habits point to is one of cfsh's, or a keyword")
    func pointsToRealCommands() {
        let names = Shell.language.commandNames.union(Keyword.allCases.map(\.rawValue))
        let advice =
            Array(CommandSuggestions.habits.values)
            + CommandSuggestions.optionHabits.values.flatMap(\.values).compactMap { habit in
                if case .advice(let text) = habit { text } else { nil }
            }
        var checked = 0
        for text in advice {
            for line in Self.quotedCommands(text) {
                checked += 1
                let first = String(line.prefix { $0 != " " })
                if first.hasPrefix("{") || first.hasPrefix("}") || first.hasPrefix("-") { continue }
                #expect(names.contains(first), "'\(line)' in \"\(text)\"")
            }
        }
        #expect(checked >= 40)
        for (command, habits) in CommandSuggestions.optionHabits where command != "*" {
            #expect(Shell.language.commandNames.contains(command), "\(command)")
            for case .means(let real) in habits.values {
                #expect(Builtins.named(command)?.spec.option(named: real) != nil, "\(command) \(real)")
            }
        }
    }

    @Test("a habit never shadows a command: a name that is both runs the command")
    func realCommandsWin() throws {
        for name in CommandSuggestions.habits.keys where Shell.language.commandNames.contains(name) {
            #expect(throws: Never.self) { try Shell.language.parse("\(name) x") }
        }
        let unknown = Set(CommandSuggestions.habits.keys).subtracting(Shell.language.commandNames)
        for name in unknown {
            let error = #expect(throws: ParseError.self) { try Shell.language.parse("\(name) x") }
            #expect(error?.message == "unknown command '\(name)'; \(CommandSuggestions.habits[name]!)")
        }
    }
}
