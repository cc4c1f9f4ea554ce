import CFShellLanguage
import CloudFiles

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
                    arguments.append(Argument(value.text, exact: value.exact, location: word.location))
                }
                continue
            }
            let (text, pattern, exact, refusal) = try await joinedText(word)
            var argument = Argument(text, pattern: pattern.map(GlobPattern.init), exact: exact, location: word.location)
            // A pattern is read as typed text at once: refuse it now.
            if let refusal, pattern != nil { throw refusal }
            argument.refusal = refusal
            arguments.append(argument)
        }
        return arguments
    }

    /// The value of `let`: every word's items, lists spliced, no globbing.
    func expandValues(_ words: [Word]) async throws -> [Value] {
        try await expandArguments(words).map { Value($0.text, exact: $0.exact) }
    }

    /// The items of `foreach`: like arguments, except that a remote glob becomes its matches,
    /// each the exact path the server listed.
    func expandItems(_ words: [Word]) async throws -> [Value] {
        var items: [Value] = []
        for argument in try await expandArguments(words) {
            if let pattern = argument.pattern {
                let matches = try await expandRemoteGlob(pattern, written: argument.text)
                items += matches.map { Value($0.display, exact: $0.exact) }
            } else {
                items.append(Value(argument.text, exact: argument.exact))
            }
        }
        return items
    }

    private func spliceValues(_ word: Word) async throws -> [Value] {
        switch word.parts[0] {
        case .variable(let reference, _): return try values(of: reference)
        case .substitution(let command, _): return try await capture(command)
        default: return []
        }
    }

    /// The word's text, its glob pattern when it has unquoted glob characters, and the exact
    /// path when the word is only `"$x"` holding one item from the server, or such an item
    /// followed by literal text (`$dir/name`, `${f}.bak`), which extends its name as written.
    /// When a server name is joined in some other way, the text is read again as typed, and
    /// `refusal` is set if that would name something else: a command refuses it as a path.
    private func joinedText(_ word: Word) async throws -> (String, String?, ExactPath?, ShellError?) {
        var text = ""
        var pattern = ""
        var exact: ExactPath?
        var suffix = ""
        var refusal: ShellError?
        for (index, part) in word.parts.enumerated() {
            let items: [Value]
            switch part {
            case .literal(let literal):
                text += literal
                pattern += literal
                suffix += literal
                continue
            case .quoted(let quoted):
                text += quoted
                pattern += GlobPattern.escape(quoted)
                suffix += quoted
                continue
            case .variable(let reference, _):
                items = try values(of: reference)
            case .substitution(let command, _):
                items = try await capture(command)
            }
            if index == 0, items.count == 1, let first = items[0].exact {
                exact = first
            } else {
                refusal = refusal ?? retypeRefusal(items, in: word)
            }
            let piece = items.map(\.text).joined(separator: " ")
            text += piece
            pattern += GlobPattern.escape(piece)
        }
        if let server = exact, word.parts.count > 1 {
            if word.hasGlob || word.parts.dropFirst().contains(where: Self.isExpansion) {
                refusal = refusal ?? retypeRefusal([Value(displayText(of: server), exact: server)], in: word)
                exact = nil
            } else {
                exact = server.extended(by: suffix)
            }
        }
        return (text, word.hasGlob ? pattern : nil, exact, refusal)
    }

    private static func isExpansion(_ part: WordPart) -> Bool {
        switch part {
        case .variable, .substitution: true
        case .literal, .quoted: false
        }
    }

    /// A server name joined into other text is read again as typed text: refuse the join
    /// when that text would name something else (a `..`, a leading `/`, a line break…).
    private func retypeRefusal(_ items: [Value], in word: Word) -> ShellError? {
        for item in items {
            guard let exact = item.exact else { continue }
            let shown = item.text
            let back = RemotePath.resolve(shown, from: remoteDirectory)
            let same =
                back.container.map { Array($0.utf8) } == exact.path.container.map { Array($0.utf8) }
                && back.name.utf8.elementsEqual(exact.path.name.utf8)
            if !same {
                return ShellError.usage(
                    "\(Names.quoted(shown)) came from the server and would name something else once joined with "
                        + "other text; use the variable alone as an argument (as in 'rm $f')", at: word.location)
            }
        }
        return nil
    }

    private func displayText(of exact: ExactPath) -> String {
        exact.path.display(relativeTo: remoteDirectory)
    }

    /// A variable's list: a cfsh variable, else an environment variable.
    func values(of reference: VariableReference) throws(ShellError) -> [Value] {
        switch reference.name {
        case .named(let name):
            if let value = variables[name] { return value }
            if let value = configuration.environment[name] { return [Value(value)] }
            throw ShellError.usage("undefined variable $\(name)", at: reference.location)
        case .argument(0):
            return [Value(scriptName)]
        case .argument(let number):
            guard number <= arguments.count else {
                let count = arguments.count == 1 ? "1 argument" : "\(arguments.count) arguments"
                throw ShellError.usage("$\(number) is not set: the script was given \(count)", at: reference.location)
            }
            return [Value(arguments[number - 1])]
        case .allArguments:
            return arguments.map { Value($0) }
        case .argumentCount:
            return [Value(String(arguments.count))]
        }
    }

    /// Runs `command` with its output collected: each line it prints is one item, and each
    /// remote name it lists (`ls`) is one item holding that exact path. At most
    /// ``SubstitutionLimit/bytes`` of text and ``SubstitutionLimit/items`` items are kept:
    /// past either, the command is stopped and the substitution fails.
    func capture(_ command: Command) async throws -> [Value] {
        let saved = stdout
        let buffer = OutputChannel.substitution()
        stdout = buffer
        defer { stdout = saved }
        let task = Task { try await self.runCommand(command) }
        buffer.onOverflow = { task.cancel() }
        let tooMuch = ShellError.failure(
            "$(\(command.name) …) printed more than \(SubstitutionLimit.description), the most a substitution keeps; "
                + "\(command.name) was stopped")
        do {
            try await withTaskCancellationHandler {
                try await task.value
            } onCancel: {
                task.cancel()
            }
        } catch  where buffer.overflowed && !Task.isCancelled {
            throw tooMuch
        }
        if buffer.overflowed && !Task.isCancelled { throw tooMuch }
        return buffer.takeItems()
    }
}
