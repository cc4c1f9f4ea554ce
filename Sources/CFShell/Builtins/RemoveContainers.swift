import CFShellLanguage

/// `rmdir`: delete containers.
enum RemoveContainers: Builtin {
    static let spec = CommandSpec(
        "rmdir", "[--force] [OPTIONS] CONTAINER…",
        summary: "Delete containers.",
        details: """
            A container that still holds objects is not deleted: rmdir says how many it holds. With \
            --force, every object is deleted first (with bulk delete, and large objects with their \
            segments unless --leave-segments), then the container.
            """,
        options: [
            CommandSpec.Option("-f", "--force", help: "delete the objects in the container too"),
            CommandSpec.Option("-v", "--verbose", help: "print each object as it is deleted"),
            TransferFlags.parallelOption, TransferFlags.leaveSegmentsOption, TransferFlags.quietOption,
            TransferFlags.progressOption,
        ],
        operands: 1...Int.max)

    static func completion(at position: Int) -> CompletionSlots.Slot {
        .remote(.containers)
    }

    static func run(_ arguments: ParsedArguments<Argument>, in shell: isolated Shell) async throws {
        try await shell.rmdir(arguments)
    }
}
