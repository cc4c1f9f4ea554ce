import CFShellLanguage

/// `set`: show the settings, or change one.
enum ChangeSetting: Builtin {
    static let spec = CommandSpec(
        "set", "[NAME [VALUE]]", summary: "Show the settings, or change one.",
        details: """
            parallel N         how many transfers or deletions run at once (1 to 64, default 4)
            verbose on|off     whether put, get and rm print each file (default off)
            segment-size SIZE  put uploads larger files as static large objects in segments
                               of SIZE (100M, 1G, …; default 1G); 'off' never segments
            """,
        operands: 0...2)

    static func run(_ arguments: ParsedArguments<Argument>, in shell: isolated Shell) async throws {
        try shell.set(arguments)
    }
}
