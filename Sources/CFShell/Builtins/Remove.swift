import CFShellLanguage

/// `rm`: delete objects.
enum Remove: Builtin {
    static let spec = CommandSpec(
        "rm", "[-r] [OPTIONS] REMOTE…",
        summary: "Delete objects.",
        details: """
            Globs are allowed; a glob that matches nothing deletes nothing and says so. With -r, a \
            pseudo-folder or a container is emptied of everything below it (the container stays: \
            use rmdir --force to delete it too). Many objects go with bulk delete when the cluster \
            has it; a large object, static or dynamic, goes with its segments unless --leave-segments is given. \
            With -v, or on a terminal, rm -r ends with the numbers deleted, not found and failed.
            """,
        options: [
            CommandSpec.Option("-r", "--recursive", help: "delete everything under pseudo-folders and containers"),
            CommandSpec.Option("-v", "--verbose", help: "print each object as it is deleted"),
            TransferFlags.parallelOption, TransferFlags.leaveSegmentsOption, TransferFlags.quietOption,
            TransferFlags.progressOption,
        ],
        operands: 1...Int.max)

    static func completion(at position: Int) -> CompletionSlots.Slot {
        .remote(.any)
    }

    static func run(_ arguments: ParsedArguments<Argument>, in shell: isolated Shell) async throws {
        try await shell.rm(arguments)
    }
}
