import CFShellLanguage

/// `exit`: stop the script or the shell, with STATUS (0 by default).
enum Exit: Builtin {
    static let spec = CommandSpec(
        "exit", "[STATUS]", summary: "Stop the script or the shell, with STATUS (0 by default).",
        operands: 0...1)

    static func run(_ arguments: ParsedArguments<Argument>, in shell: isolated Shell) async throws {
        try shell.exitShell(arguments)
    }
}
