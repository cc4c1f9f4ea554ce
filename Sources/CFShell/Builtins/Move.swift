import CFShellLanguage

/// `mv`: move objects: copy on the server, then delete the source.
enum Move: Builtin {
    static let spec = CommandSpec(
        "mv", "SOURCE… DEST", summary: "Move objects: copy on the server, then delete the source.",
        details: """
            DEST and the options are read as for cp. A large object is moved as its manifest: \
            the copy uses the same segments, and only the source manifest is deleted.
            """,
        options: Copy.spec.options.filter {
            !$0.names.contains("--from-account") && !$0.names.contains("--to-account")
        },
        operands: 2...Int.max)

    static func completion(at position: Int) -> CompletionSlots.Slot {
        .remote(.any)
    }

    static func run(_ arguments: ParsedArguments<Argument>, in shell: isolated Shell) async throws {
        if let target = arguments.operands.last { await shell.noteIfNewRelativeTarget(target) }
        try await Copy.copy(arguments, move: true, in: shell)
    }
}
