/// Checks what can be checked before anything runs: every command's literal
/// options, and its operand count when no word can expand to several. A
/// mistake on the last line of a script is then found before the first line
/// deletes anything.
struct Checker {
    var language: Language

    func check(_ statements: [Statement]) throws(ParseError) {
        for statement in statements {
            switch statement {
            case .command(let command):
                try check(command)
            case .assignment(let assignment):
                try checkSubstitutions(in: assignment.value)
            case .loop(let loop):
                try checkSubstitutions(in: loop.items)
                try check(loop.body)
            case .conditional(let conditional):
                try check(conditional.condition)
                try check(conditional.then)
                if let otherwise = conditional.otherwise { try check(otherwise) }
            case .break, .continue:
                break
            }
        }
    }

    private func check(_ command: Command) throws(ParseError) {
        try checkSubstitutions(in: command.arguments)
        guard let spec = language.spec(named: command.name), !spec.takesRawWords else { return }
        // `COMMAND --help` prints help whatever else is written.
        if command.arguments.contains(where: { $0.plainText == "--help" }) { return }
        // Literal words are checked as they are; others stand in as one unknown operand.
        var countIsKnown = true
        let arguments = command.arguments.map { word -> LiteralWord in
            if word.isSplice || word.hasGlob { countIsKnown = false }
            return LiteralWord(
                text: word.plainText ?? "operand", isAlwaysOperand: word.hasGlob, location: word.location)
        }
        var checked = spec
        if !countIsKnown { checked.operands = nil }
        do {
            _ = try checked.parse(arguments, redacting: language.redaction.redactArgument)
        } catch {
            throw ParseError("\(command.name): " + error.message, at: error.location ?? command.location)
        }
    }

    /// A word as written, standing in for what it will expand to.
    private struct LiteralWord: CommandWord {
        var text: String
        var isAlwaysOperand: Bool
        var location: SourceLocation
    }

    private func checkSubstitutions(in words: [Word]) throws(ParseError) {
        for word in words {
            for part in word.parts {
                if case .substitution(let command, _) = part { try check(command) }
            }
        }
    }
}
