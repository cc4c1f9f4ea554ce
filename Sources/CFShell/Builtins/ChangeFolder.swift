import CFShellLanguage

/// `cd`: change the remote working folder (the account root without PATH).
enum ChangeFolder: Builtin {
    static let spec = CommandSpec(
        "cd", "[PATH]", summary: "Change the remote working folder (the account root without PATH).",
        details: "PATH may be a container or a pseudo-folder of it; '..' goes up, '/' is the root.",
        operands: 0...1)

    static func completion(at position: Int) -> CompletionSlots.Slot {
        .remote(.folders)
    }

    static func run(_ arguments: ParsedArguments<Argument>, in shell: isolated Shell) async throws {
        try await shell.cd(arguments)
    }
}
