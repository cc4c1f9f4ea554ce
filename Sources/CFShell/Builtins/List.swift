import CFShellLanguage

/// `ls`: list containers, or the objects and pseudo-folders in a container.
enum List: Builtin {
    static let spec = CommandSpec(
        "ls", "[-l] [-h] [-r] [--json] [PATH…]",
        summary: "List containers, or the objects and pseudo-folders in a container.",
        details: """
            At the account root, ls lists containers. In a container it lists one level: objects, and \
            pseudo-folders with a trailing '/'. A PATH naming an object lists that object. Globs \
            (*, ?, […]) match one level. Paths are printed so they can be typed back: relative to the \
            working folder, or absolute when they lie outside it.
            """,
        options: [
            CommandSpec.Option("-l", "--long", help: "size, date and content type (containers: objects and bytes)"),
            CommonOptions.human,
            CommandSpec.Option("-r", "--recursive", help: "every object below, not only one level"),
            CommonOptions.json,
        ])

    static func completion(at position: Int) -> CompletionSlots.Slot {
        .remote(.any)
    }

    static func run(_ arguments: ParsedArguments<Argument>, in shell: isolated Shell) async throws {
        try await shell.ls(arguments)
    }
}
