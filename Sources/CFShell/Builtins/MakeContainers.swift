import CFShellLanguage

/// `mkdir`: create containers (an existing container is left as it is).
enum MakeContainers: Builtin {
    static let spec = CommandSpec(
        "mkdir", "CONTAINER…", summary: "Create containers (an existing container is left as it is).",
        operands: 1...Int.max)

    static func run(_ arguments: ParsedArguments<Argument>, in shell: isolated Shell) async throws {
        try await shell.mkdir(arguments)
    }
}
