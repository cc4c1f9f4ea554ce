import CFShellLanguage

/// `cat`: write objects to standard output.
enum Cat: Builtin {
    static let spec = CommandSpec("cat", "REMOTE…", summary: "Write objects to standard output.", operands: 1...Int.max)

    static func completion(at position: Int) -> CompletionSlots.Slot {
        .remote(.any)
    }

    static func run(_ arguments: ParsedArguments<Argument>, in shell: isolated Shell) async throws {
        let client = try await shell.connectedClient()
        for object in try await shell.objectOperands(arguments.operands, command: "cat") {
            try await client.writeObject(object.path, to: shell.stdout)
        }
    }
}
