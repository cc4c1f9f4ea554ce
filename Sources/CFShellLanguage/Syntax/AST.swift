// The syntax tree of a cfsh script. Plain values, compared whole in tests and
// walked by the evaluator with a `switch`; there is no visitor.

/// A parsed script or REPL entry: statements run in order.
public struct Script: Sendable, Equatable {
    public var statements: [Statement]

    public init(statements: [Statement]) {
        self.statements = statements
    }
}

public indirect enum Statement: Sendable, Equatable {
    case command(Command)
    /// `let name = value…`
    case assignment(Assignment)
    /// `foreach name in items… { body }`
    case loop(Loop)
    /// `if [!] command { … } [else { … } | else if …]`
    case conditional(Conditional)
    case `break`(SourceLocation)
    case `continue`(SourceLocation)

    /// Where the statement starts, for `file:line` in run-time errors.
    public var location: SourceLocation {
        switch self {
        case .command(let command): command.location
        case .assignment(let assignment): assignment.location
        case .loop(let loop): loop.location
        case .conditional(let conditional): conditional.location
        case .break(let location), .continue(let location): location
        }
    }
}

/// A command and its arguments, such as `-rm -r backups/2023/`.
public struct Command: Sendable, Equatable {
    /// The command name without the failure-ignoring `-` prefix.
    public var name: String
    public var arguments: [Word]
    /// Written with a leading `-` (sftp style): a failure is reported and the script goes on.
    public var ignoresFailure: Bool
    public var location: SourceLocation

    public init(name: String, arguments: [Word], ignoresFailure: Bool = false, location: SourceLocation) {
        self.name = name
        self.arguments = arguments
        self.ignoresFailure = ignoresFailure
        self.location = location
    }
}

/// `let name = value…`. Every variable holds a list of strings.
public struct Assignment: Sendable, Equatable {
    public var name: String
    public var value: [Word]
    public var location: SourceLocation

    public init(name: String, value: [Word], location: SourceLocation) {
        self.name = name
        self.value = value
        self.location = location
    }
}

/// `foreach variable in items… { body }`
public struct Loop: Sendable, Equatable {
    public var variable: String
    public var items: [Word]
    public var body: [Statement]
    public var location: SourceLocation

    public init(variable: String, items: [Word], body: [Statement], location: SourceLocation) {
        self.variable = variable
        self.items = items
        self.body = body
        self.location = location
    }
}

/// `if [!] command { then } else { otherwise }`. `else if` is an `otherwise`
/// holding a single conditional, so the evaluator needs no extra case for it.
public struct Conditional: Sendable, Equatable {
    public var condition: Command
    /// Written `if ! command`: the branch runs when the command fails.
    public var negated: Bool
    public var then: [Statement]
    public var otherwise: [Statement]?
    public var location: SourceLocation

    public init(
        condition: Command, negated: Bool = false, then: [Statement], otherwise: [Statement]? = nil,
        location: SourceLocation
    ) {
        self.condition = condition
        self.negated = negated
        self.then = then
        self.otherwise = otherwise
        self.location = location
    }
}

/// One shell word: the pieces written next to each other without spaces,
/// for example `backups/$today/` or `"$name".sql`.
public struct Word: Sendable, Equatable {
    public var parts: [WordPart]
    public var location: SourceLocation

    public init(parts: [WordPart], location: SourceLocation) {
        self.parts = parts
        self.location = location
    }

    /// The word's text when it holds nothing but literal or quoted text.
    public var plainText: String? {
        var text = ""
        for part in parts {
            switch part {
            case .literal(let s), .quoted(let s): text += s
            case .variable, .substitution: return nil
            }
        }
        return text
    }

    /// The text when the word is one unquoted literal (a keyword, a command name, an option).
    public var bareText: String? {
        if parts.count == 1, case .literal(let s) = parts[0] { return s }
        return nil
    }

    /// A word that is exactly one unquoted `$name` or `$(…)` becomes as many
    /// arguments as its list has items; every other word becomes one argument.
    public var isSplice: Bool {
        guard parts.count == 1 else { return false }
        switch parts[0] {
        case .variable(_, quoted: false), .substitution(_, quoted: false): return true
        default: return false
        }
    }

    /// Whether an unquoted `*`, `?` or `[` makes the word a glob pattern.
    public var hasGlob: Bool {
        parts.contains { part in
            if case .literal(let s) = part { return s.contains(where: { "*?[".contains($0) }) }
            return false
        }
    }
}

public enum WordPart: Sendable, Equatable {
    /// Unquoted text: `*`, `?` and `[…]` in it are glob characters.
    case literal(String)
    /// Text from `'…'`, `"…"` or a backslash escape, taken exactly as written.
    case quoted(String)
    /// `$name`, `${name}`, `$1`, `$@` or `$#`; `quoted` when written inside `"…"`.
    case variable(VariableReference, quoted: Bool)
    /// `$(command)`; `quoted` when written inside `"…"`.
    case substitution(Command, quoted: Bool)
}

public struct VariableReference: Sendable, Equatable {
    public enum Name: Sendable, Equatable {
        /// A cfsh variable, or else an environment variable.
        case named(String)
        /// `$1`, `$2`, …; `$0` is the script's name.
        case argument(Int)
        /// `$@`: every script argument, as a list.
        case allArguments
        /// `$#`: how many script arguments there are.
        case argumentCount
    }

    public var name: Name
    /// Where the `$` is, so that an undefined name is reported there.
    public var location: SourceLocation

    public init(_ name: Name, location: SourceLocation) {
        self.name = name
        self.location = location
    }

    /// The reference as a user would write it, for messages.
    public var spelling: String {
        switch name {
        case .named(let n): "$\(n)"
        case .argument(let i): "$\(i)"
        case .allArguments: "$@"
        case .argumentCount: "$#"
        }
    }
}
