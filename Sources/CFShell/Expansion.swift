/// Turning words into arguments: quotes removed, variables and `$(…)`
/// substituted. Nothing is split on spaces and no value is globbed again:
/// only `*`, `?` and `[` written unquoted in the script are patterns.
extension Shell {
    /// The arguments of a command; a word that is just `$list` or `$(…)`
    /// becomes one argument per item.
    func expandArguments(_ words: [Word]) async throws -> [Argument] {
        var arguments: [Argument] = []
        for word in words {
            if word.isSplice {
                for value in try await spliceValues(word) {
                    arguments.append(Argument(value, location: word.location))
                }
                continue
            }
            let (text, pattern) = try await joinedText(word)
            arguments.append(Argument(text, pattern: pattern.map(GlobPattern.init), location: word.location))
        }
        return arguments
    }

    /// The value of `let`: every word's text, lists spliced, no globbing.
    func expandValues(_ words: [Word]) async throws -> [String] {
        try await expandArguments(words).map(\.text)
    }

    /// The items of `foreach`: like arguments, except that a remote glob becomes its matches.
    func expandItems(_ words: [Word]) async throws -> [String] {
        var items: [String] = []
        for argument in try await expandArguments(words) {
            if let pattern = argument.pattern {
                let matches = try await expandRemoteGlob(pattern, written: argument.text)
                items += matches.map(\.display)
            } else {
                items.append(argument.text)
            }
        }
        return items
    }

    private func spliceValues(_ word: Word) async throws -> [String] {
        switch word.parts[0] {
        case .variable(let reference, _): return try values(of: reference)
        case .substitution(let command, _): return try await capture(command)
        default: return []
        }
    }

    /// The word's text, and its glob pattern when it has unquoted glob characters.
    private func joinedText(_ word: Word) async throws -> (String, String?) {
        var text = ""
        var pattern = ""
        for part in word.parts {
            let piece: String
            switch part {
            case .literal(let literal):
                text += literal
                pattern += literal
                continue
            case .quoted(let quoted):
                piece = quoted
            case .variable(let reference, _):
                piece = try values(of: reference).joined(separator: " ")
            case .substitution(let command, _):
                piece = try await capture(command).joined(separator: " ")
            }
            text += piece
            pattern += GlobPattern.escape(piece)
        }
        return (text, word.hasGlob ? pattern : nil)
    }

    /// A variable's list: a cfsh variable, else an environment variable.
    func values(of reference: VariableReference) throws(ShellError) -> [String] {
        switch reference.name {
        case .named(let name):
            if let value = variables[name] { return value }
            if let value = configuration.environment[name] { return [value] }
            throw ShellError.usage("undefined variable $\(name)", at: reference.location)
        case .argument(0):
            return [scriptName]
        case .argument(let number):
            guard number <= arguments.count else {
                let count = arguments.count == 1 ? "1 argument" : "\(arguments.count) arguments"
                throw ShellError.usage("$\(number) is not set: the script was given \(count)", at: reference.location)
            }
            return [arguments[number - 1]]
        case .allArguments:
            return arguments
        case .argumentCount:
            return [String(arguments.count)]
        }
    }

    /// Runs `command` with its output collected; each line is one item.
    func capture(_ command: Command) async throws -> [String] {
        let saved = stdout
        let buffer = OutputChannel.capture()
        stdout = buffer
        defer { stdout = saved }
        try await runCommand(command)
        var lines = buffer.text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        return lines
    }
}
