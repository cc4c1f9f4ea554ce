import CFShellLanguage

/// `exit`: stop the script or the shell, with STATUS (0 by default).
enum Exit: Builtin {
    static let spec = CommandSpec(
        "exit", "[STATUS]", summary: "Stop the script or the shell, with STATUS (0 by default).",
        operands: 0...1)

    static func run(_ arguments: ParsedArguments<Argument>, in shell: isolated Shell) async throws {
        guard let text = arguments.operands.first?.text else { throw ControlFlow.exit(0) }
        guard let status = Int32(text), (0...255).contains(status) else {
            throw ShellError.usage("the status must be a number from 0 to 255, not '\(text)'")
        }
        throw ControlFlow.exit(status)
    }
}
