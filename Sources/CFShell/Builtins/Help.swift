import CFShellLanguage

/// `help`: list the commands, or describe one.
enum Help: Builtin {
    static let spec = CommandSpec("help", "[COMMAND]", summary: "List the commands, or describe one.", operands: 0...1)

    static func completion(at position: Int) -> CompletionSlots.Slot {
        position == 0 ? .command : .none
    }

    static func run(_ arguments: ParsedArguments<Argument>, in shell: isolated Shell) async throws {
        if let name = arguments.operands.first?.text {
            if let spec = Builtins.named(name)?.spec {
                shell.stdout.write(spec.helpText)
            } else if let text = Keyword(rawValue: name)?.help {
                shell.stdout.write(text)
            } else {
                throw ShellError.usage("no command named '\(name)'; 'help' lists them")
            }
            return
        }
        let rows = Builtins.all.map { $0.spec }.sorted { $0.name < $1.name }.map { [$0.name, $0.summary] }
        for line in Format.table(rows) { shell.stdout.line(line) }
        shell.stdout.line("")
        shell.stdout.line("Statements: let, foreach, if/else, break, continue. 'help NAME' describes one.")
        shell.stdout.line("A leading '-' (as in '-rm old.txt') lets a script go on when the command fails.")
    }
}
