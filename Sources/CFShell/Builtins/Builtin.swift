import CFShellLanguage

/// A built-in command, whole in one type: its usage, options and help (``spec``), what its
/// operands complete to, and what it does. The parser, the checker, `help`, completion and
/// the evaluator all read it from the ``Builtins`` registry, so adding a command is one file
/// and one line there.
protocol Builtin: Sendable {
    /// The name, usage line, options, operand bounds and help text.
    static var spec: CommandSpec { get }

    /// Which kind of name the operand at `position` (0 for the first, options not counted)
    /// completes to at the prompt; nothing by default.
    static func completion(at position: Int) -> CompletionSlots.Slot

    /// The same, for a command whose slot depends on the words before it (`meta PATH
    /// --remove <Tab>` completes PATH's metadata keys); by default ``completion(at:)``.
    /// - Parameter precedingWords: the statement's words so far, the command first.
    static func completion(at position: Int, precedingWords: [String]) -> CompletionSlots.Slot

    /// Runs the command on the shell's actor, with its options read and checked against
    /// ``spec`` (or every word as an operand, for a spec that takes raw words).
    static func run(_ arguments: ParsedArguments<Argument>, in shell: isolated Shell) async throws
}

extension Builtin {
    static func completion(at position: Int) -> CompletionSlots.Slot { .none }
    static func completion(at position: Int, precedingWords: [String]) -> CompletionSlots.Slot {
        completion(at: position)
    }
}

/// Options that several commands share, spelled once.
enum CommonOptions {
    static let json = CommandSpec.Option("--json", help: "print JSON instead of text")
    static let human = CommandSpec.Option("-h", "--human", help: "sizes in K, M, G (powers of 1024)")
}
