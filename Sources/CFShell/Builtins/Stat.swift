import CFShellLanguage

/// `stat`: show the account, a container or an object: totals, type, dates and metadata.
enum Stat: Builtin {
    static let spec = CommandSpec(
        "stat", "[-h] [--json] [PATH]",
        summary: "Show the account, a container or an object: totals, type, dates and metadata.",
        details: "Without PATH, stat shows the working folder's container, or the account at the root.",
        options: [CommonOptions.human, CommonOptions.json],
        operands: 0...1)

    static func completion(at position: Int) -> CompletionSlots.Slot {
        .remote(.any)
    }

    static func run(_ arguments: ParsedArguments<Argument>, in shell: isolated Shell) async throws {
        try await shell.stat(arguments)
    }
}
