import CFShellLanguage

/// `cat`: write objects to standard output.
enum Cat: Builtin {
    static let spec = CommandSpec(
        "cat", "[--version ID] REMOTE…", summary: "Write objects to standard output.",
        options: [Versions.versionOption], operands: 1...Int.max)

    static func completion(at position: Int) -> CompletionSlots.Slot {
        .remote(.any)
    }

    static func run(_ arguments: ParsedArguments<Argument>, in shell: isolated Shell) async throws {
        if let id = arguments.value("--version") { return try await Versions.cat(arguments, id: id, in: shell) }
        let client = try await shell.connectedClient()
        for object in try await shell.objectOperands(arguments.operands, command: "cat") {
            try await client.writeObject(object.path, to: shell.stdout)
        }
    }
}
