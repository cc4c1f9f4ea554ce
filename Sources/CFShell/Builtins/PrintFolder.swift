import CFShellLanguage

/// `pwd`: print the remote working folder.
enum PrintFolder: Builtin {
    static let spec = CommandSpec("pwd", "", summary: "Print the remote working folder.", operands: 0...0)

    static func run(_ arguments: ParsedArguments<Argument>, in shell: isolated Shell) async throws {
        shell.stdout.line(shell.remoteDirectory.description)
    }
}
