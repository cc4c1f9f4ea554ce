import CFShellLanguage

/// `lcd`: change the local working folder (your home folder without DIR).
enum LocalChangeFolder: Builtin {
    static let spec = CommandSpec(
        "lcd", "[DIR]", summary: "Change the local working folder (your home folder without DIR).",
        operands: 0...1)

    static func completion(at position: Int) -> CompletionSlots.Slot {
        .local(foldersOnly: true)
    }

    static func run(_ arguments: ParsedArguments<Argument>, in shell: isolated Shell) async throws {
        try shell.lcd(arguments)
    }
}
