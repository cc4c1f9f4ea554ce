import CFShellLanguage

/// `help`: list the commands, or describe one.
enum Help: Builtin {
    static let spec = CommandSpec("help", "[COMMAND]", summary: "List the commands, or describe one.", operands: 0...1)

    static func completion(at position: Int) -> CompletionSlots.Slot {
        position == 0 ? .command : .none
    }

    static func run(_ arguments: ParsedArguments<Argument>, in shell: isolated Shell) async throws {
        try shell.help(arguments)
    }
}
