@testable import CFShellLanguage

// Short builders for expected trees, and location erasure so that tables of
// expected trees need not spell out every line and column.

func lit(_ text: String) -> WordPart { .literal(text) }
func quo(_ text: String) -> WordPart { .quoted(text) }
func ref(_ name: String, quoted: Bool = false) -> WordPart {
    .variable(VariableReference(.named(name), location: .unknown), quoted: quoted)
}
func arg(_ number: Int, quoted: Bool = false) -> WordPart {
    .variable(VariableReference(.argument(number), location: .unknown), quoted: quoted)
}
func sub(_ command: Command, quoted: Bool = false) -> WordPart { .substitution(command, quoted: quoted) }

func word(_ parts: WordPart...) -> Word { Word(parts: parts, location: .unknown) }
/// A word of one unquoted literal.
func w(_ text: String) -> Word { word(.literal(text)) }

func command(_ name: String, _ arguments: Word..., ignoresFailure: Bool = false) -> Command {
    Command(name: name, arguments: arguments, ignoresFailure: ignoresFailure, location: .unknown)
}
/// A command whose arguments are all unquoted literals.
func cmd(_ name: String, _ words: String..., ignoresFailure: Bool = false) -> Command {
    Command(name: name, arguments: words.map(w), ignoresFailure: ignoresFailure, location: .unknown)
}
func run(_ name: String, _ words: String..., ignoresFailure: Bool = false) -> Statement {
    .command(Command(name: name, arguments: words.map(w), ignoresFailure: ignoresFailure, location: .unknown))
}
func run(_ command: Command) -> Statement { .command(command) }
func assign(_ name: String, _ value: Word...) -> Statement {
    .assignment(Assignment(name: name, value: value, location: .unknown))
}
func loop(_ variable: String, in items: [Word], _ body: Statement...) -> Statement {
    .loop(Loop(variable: variable, items: items, body: body, location: .unknown))
}
func when(
    _ condition: Command, negated: Bool = false, then: [Statement], otherwise: [Statement]? = nil
) -> Statement {
    .conditional(
        Conditional(condition: condition, negated: negated, then: then, otherwise: otherwise, location: .unknown))
}

extension Script {
    var erasingLocations: Script { Script(statements: statements.map(\.erasingLocations)) }
}

extension Statement {
    var erasingLocations: Statement {
        switch self {
        case .command(let command):
            return .command(command.erasingLocations)
        case .assignment(var assignment):
            assignment.value = assignment.value.map(\.erasingLocations)
            assignment.location = .unknown
            return .assignment(assignment)
        case .loop(var loop):
            loop.items = loop.items.map(\.erasingLocations)
            loop.body = loop.body.map(\.erasingLocations)
            loop.location = .unknown
            return .loop(loop)
        case .conditional(var conditional):
            conditional.condition = conditional.condition.erasingLocations
            conditional.then = conditional.then.map(\.erasingLocations)
            conditional.otherwise = conditional.otherwise?.map(\.erasingLocations)
            conditional.location = .unknown
            return .conditional(conditional)
        case .break: return .break(.unknown)
        case .continue: return .continue(.unknown)
        }
    }
}

extension Command {
    var erasingLocations: Command {
        Command(
            name: name, arguments: arguments.map(\.erasingLocations), ignoresFailure: ignoresFailure,
            location: .unknown)
    }
}

extension Word {
    var erasingLocations: Word {
        Word(
            parts: parts.map { part in
                switch part {
                case .literal, .quoted: part
                case .variable(let reference, let quoted):
                    .variable(VariableReference(reference.name, location: .unknown), quoted: quoted)
                case .substitution(let command, let quoted):
                    .substitution(command.erasingLocations, quoted: quoted)
                }
            }, location: .unknown)
    }
}
