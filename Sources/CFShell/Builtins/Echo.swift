import CFShellLanguage

/// `echo`: print the words, separated by spaces.
enum Echo: Builtin {
    static let spec = CommandSpec(
        "echo", "[-n] [WORD…]", summary: "Print the words, separated by spaces.",
        details: "-n leaves out the final line break.", takesRawWords: true)

    static func run(_ arguments: ParsedArguments<Argument>, in shell: isolated Shell) async throws {
        var words = arguments.operands.map(\.text)
        var newline = true
        if words.first == "-n" {
            newline = false
            words.removeFirst()
        }
        shell.stdout.write(words.joined(separator: " ") + (newline ? "\n" : ""))
    }
}
