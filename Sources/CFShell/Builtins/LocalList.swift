import CFShellLanguage

/// `lls`: list local files: the working folder, the folders named, or the files a pattern matches.
enum LocalList: Builtin {
    static let spec = CommandSpec(
        "lls", "[-l] [-h] [--json] [PATTERN…]",
        summary: "List local files: the working folder, the folders named, or the files a pattern matches.",
        details: "Folders are shown with a trailing '/'. A pattern's '*' does not match a leading '.'.",
        options: [CommandSpec.Option("-l", "--long", help: "size and date"), CommonOptions.human, CommonOptions.json])

    static func completion(at position: Int) -> CompletionSlots.Slot {
        .local(foldersOnly: false)
    }

    static func run(_ arguments: ParsedArguments<Argument>, in shell: isolated Shell) async throws {
        try shell.lls(arguments)
    }
}
