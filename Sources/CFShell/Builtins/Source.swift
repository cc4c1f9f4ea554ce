import CFShellLanguage

/// `source`: run the statements of FILE here, sharing variables and folders.
enum Source: Builtin {
    static let spec = CommandSpec(
        "source", "FILE [ARG…]", summary: "Run the statements of FILE here, sharing variables and folders.",
        details: "With ARGs, FILE sees them as $1, $2, …; without, it sees the current ones.",
        operands: 1...Int.max)

    static func completion(at position: Int) -> CompletionSlots.Slot {
        .local(foldersOnly: false)
    }

    static func run(_ arguments: ParsedArguments<Argument>, in shell: isolated Shell) async throws {
        try await shell.source(arguments)
    }
}
