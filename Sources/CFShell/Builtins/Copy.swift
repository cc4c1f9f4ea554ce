import CFShellLanguage

/// `cp`: copy objects on the server.
enum Copy: Builtin {
    static let spec = CommandSpec(
        "cp", "SOURCE… DEST", summary: "Copy objects on the server.",
        details: """
            A DEST ending in '/' or naming a container is a folder: each object keeps its base \
            name there. Otherwise DEST is the new name, and only one SOURCE may be given.
            """,
        operands: 2...Int.max)

    static func completion(at position: Int) -> CompletionSlots.Slot {
        .remote(.any)
    }

    static func run(_ arguments: ParsedArguments<Argument>, in shell: isolated Shell) async throws {
        try await shell.copy(arguments, move: false)
    }
}
