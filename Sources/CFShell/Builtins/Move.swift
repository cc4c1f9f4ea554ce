import CFShellLanguage

/// `mv`: move objects: copy on the server, then delete the source.
enum Move: Builtin {
    static let spec = CommandSpec(
        "mv", "SOURCE… DEST", summary: "Move objects: copy on the server, then delete the source.",
        details: "DEST is read as for cp.", options: Copy.spec.options, operands: 2...Int.max)

    static func completion(at position: Int) -> CompletionSlots.Slot {
        .remote(.any)
    }

    static func run(_ arguments: ParsedArguments<Argument>, in shell: isolated Shell) async throws {
        if let target = arguments.operands.last { await shell.noteIfNewRelativeTarget(target) }
        try await Copy.copy(arguments, move: true, in: shell)
    }
}
