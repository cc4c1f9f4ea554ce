/// Commands, their words and `$(…)`: the parser's leaves.
extension Parser {
    /// A command: a plain name, possibly with the failure-ignoring `-`, then words.
    /// `context` names what came before when the command is required ("if", "!", "$(").
    mutating func parseCommand(context: String?) throws(ParseError) -> Command {
        let nameToken = try peek()
        guard case .word(let pieces) = nameToken.kind else {
            let what = context.map { "after '\($0)'" } ?? ""
            throw ParseError("expected a command \(what)".trimmingTrailingSpace, at: nameToken.location)
        }
        guard var name = Self.bareText(pieces) else {
            throw ParseError(
                "a command name must be a plain word, without quotes or '$'", at: nameToken.location)
        }
        if let context, Keyword(rawValue: name) != nil {
            throw ParseError("expected a command after '\(context)', found '\(name)'", at: nameToken.location)
        }
        try take()
        var location = nameToken.location
        var ignoresFailure = false
        if name.hasPrefix("-") {
            ignoresFailure = true
            name.removeFirst()
            location = location.advanced(by: 1)
            if name.isEmpty {
                throw ParseError("expected a command name right after '-'", at: location)
            }
            if Keyword(rawValue: name) != nil {
                throw ParseError("'-' can only prefix a command, not '\(name)'", at: nameToken.location)
            }
        }
        try checkCommandName(name, at: location)
        let arguments = try parseWords()
        return Command(name: name, arguments: arguments, ignoresFailure: ignoresFailure, location: location)
    }

    func checkCommandName(_ name: String, at location: SourceLocation) throws(ParseError) {
        guard let knownCommands, !knownCommands.contains(name) else { return }
        var message = "unknown command '\(name)'"
        if let habit = CommandSuggestions.habits[name] {
            message += "; \(habit)"
        } else if let suggestion = CommandSuggestions.suggestion(for: name, among: knownCommands) {
            message += "; did you mean '\(suggestion)'?"
        } else {
            message += "; 'help' lists the commands"
        }
        throw ParseError(message, at: location)
    }

    /// The words up to the end of the statement.
    mutating func parseWords() throws(ParseError) -> [Word] {
        var words: [Word] = []
        while true {
            let token = try peek()
            guard case .word(let pieces) = token.kind else { return words }
            try take()
            words.append(try wordFromPieces(pieces, location: token.location))
        }
    }

    /// Converts lexer pieces into a word, parsing each `$(…)`'s tokens into a command.
    func wordFromPieces(_ pieces: [WordPiece], location: SourceLocation) throws(ParseError) -> Word {
        var parts: [WordPart] = []
        for piece in pieces {
            switch piece {
            case .literal(let text): parts.append(.literal(text))
            case .quoted(let text): parts.append(.quoted(text))
            case .variable(let reference, let quoted): parts.append(.variable(reference, quoted: quoted))
            case .substitution(let tokens, let quoted, let open):
                parts.append(.substitution(try parseSubstitution(tokens, at: open), quoted: quoted))
            }
        }
        return Word(parts: parts, location: location)
    }

    func parseSubstitution(_ tokens: [Token], at open: SourceLocation) throws(ParseError) -> Command {
        guard depth < Self.nestingLimit else { throw Self.nestingError(at: open) }
        var inner = Parser(lexer: nil, tokens: tokens, knownCommands: knownCommands, depth: depth + 1)
        if try inner.peek().kind == .end {
            throw ParseError("'$()' holds no command", at: open)
        }
        let command = try inner.parseCommand(context: "$(")
        let after = try inner.peek()
        if after.kind != .end {
            throw ParseError(
                "'$(…)' holds a single command; unexpected \(after.kind.displayName) inside it", at: after.location)
        }
        return command
    }

    static func bareText(_ pieces: [WordPiece]) -> String? {
        if pieces.count == 1, case .literal(let text) = pieces[0] { return text }
        return nil
    }
}

extension SourceLocation {
    /// The location `count` characters further along the same line.
    public func advanced(by count: Int) -> SourceLocation {
        SourceLocation(file: file, line: line, column: column + count)
    }
}

extension String {
    fileprivate var trimmingTrailingSpace: String {
        var text = self
        while text.last == " " { text.removeLast() }
        return text
    }
}
