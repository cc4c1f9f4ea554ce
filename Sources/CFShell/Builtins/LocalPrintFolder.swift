import CFShellLanguage

/// `lpwd`: print the local working folder.
enum LocalPrintFolder: Builtin {
    static let spec = CommandSpec("lpwd", "", summary: "Print the local working folder.", operands: 0...0)

    static func run(_ arguments: ParsedArguments<Argument>, in shell: isolated Shell) async throws {
        shell.stdout.line(shell.localDirectory)
    }
}
