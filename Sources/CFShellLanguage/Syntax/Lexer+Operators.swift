/// Other shells' pipes, redirections and job operators (`|`, `&`, `<`, `>`), which the lexer
/// refuses with a message that says what to write instead.
extension Lexer {
    /// The error for the operator at the current character (`|`, `||`, `&`, `&&`, `>`, `>>`,
    /// `2>`, `2>&1`, `<`, …), saying what to write instead: the statement so far, quoted for
    /// the shell that runs cfsh, with the operator and the rest of the line after it
    /// (`cfsh -c 'ls c' | wc -l`).
    func operatorError() -> ParseError {
        var start = index
        var location = here
        // `2>`, `1>>`: a digit written just before a redirection belongs to it.
        if peek().map({ $0 == ">" || $0 == "<" }) == true, start > statementStart,
            Self.isDigit(characters[start - 1]),
            start - 1 == statementStart || Self.isWordBoundary(characters[start - 2])
        {
            start -= 1
            location = location.advanced(by: -1)
        }
        var end = index
        while end < characters.count, Self.isOperator(characters[end]) { end += 1 }
        // `>&2`, `2>&1`, `<&-`: a descriptor after a duplication.
        if characters[end - 1] == "&", end - start >= 2, characters[end - 2] == ">" || characters[end - 2] == "<" {
            while end < characters.count, Self.isDigit(characters[end]) || characters[end] == "-" {
                end += 1
            }
        }
        let written = text(start..<end)
        let op = String(written.drop { $0.isASCII && $0.isNumber })
        // Glued to the text before it (`photo&1.jpg`), it may be meant as part of a name.
        let glued = start > 0 && !Self.isWordBoundary(characters[start - 1])
        var message: String
        if substitutionDepth > 0 {
            let what =
                op.hasPrefix("|") ? "a pipe" : op.contains("<") || op.contains(">") ? "a redirection" : "an operator"
            message = "'\(written)' is not \(what) in cfsh, and '$(…)' holds a single command"
        } else {
            message = Self.operatorAdvice(
                written: written, op: op, command: statementText(upTo: start), rest: restOfLine(from: end))
        }
        if glued { message += "; to use it in a name, quote it or write '\\\(op.first!)'" }
        return ParseError(message, at: location)
    }

    private static func operatorAdvice(written: String, op: String, command: String?, rest: String) -> String {
        let quoted = shellQuoted(command ?? "COMMAND")
        func run(_ purpose: String, _ placeholder: String) -> String {
            // `>&2` needs nothing after it; `>` a file, `|` a command.
            let after = !rest.isEmpty ? rest : written.last!.isNumber || written.last == "-" ? "" : placeholder
            return "\(purpose), run: cfsh -c \(quoted) \(written)" + (after.isEmpty ? "" : " " + after)
        }
        switch op {
        case "&&":
            return
                "'&&' is not in cfsh; a script stops at its first failing command, so write the commands on "
                + "separate lines or with ';' (or use 'if COMMAND { … }')"
        case "||":
            return
                "'||' is not in cfsh; use 'if ! COMMAND { … }' to act when a command fails, or '-COMMAND' to go on after it"
        case "&":
            return
                "'&' is not in cfsh: a command cannot run in the background; put, get and rm already work "
                + "in parallel (--parallel N)"
        case _ where op.hasPrefix("|"):
            return "'\(written)' is not a pipe in cfsh; " + run("to pipe the output", "COMMAND")
        case _ where op.hasPrefix("<"):
            return
                "'\(written)' is not a redirection in cfsh, and its commands read no input; 'put FILE REMOTE' "
                + "uploads a file, 'source FILE' runs a script"
        case _ where op.hasPrefix(">") || op.hasPrefix("&>"):
            var advice = "'\(written)' is not a redirection in cfsh; " + run("to write the output to a file", "FILE")
            if command?.hasPrefix("cat ") == true { advice += " (or save an object with 'get OBJECT FILE')" }
            return advice
        default:
            return "'\(written)' is not cfsh syntax; quote it to use it in a name"
        }
    }

    /// The current statement up to `end`, trimmed; `nil` when it cannot be run on its own
    /// with `cfsh -c` (empty, inside `$(…)`, over several lines, or a keyword's).
    private func statementText(upTo end: Int) -> String? {
        guard substitutionDepth == 0, statementStart < end else { return nil }
        let statement = text(statementStart..<end).trimmingBlanks
        guard !statement.isEmpty, !statement.unicodeScalars.contains(where: Self.isNewline) else { return nil }
        let first = statement.unicodeScalars.prefix { !Self.isBlank($0) }
        if Keyword(rawValue: String(String.UnicodeScalarView(first))) != nil { return nil }
        return statement
    }

    /// The rest of the line after `start`, up to a `;`, `{` or `}`, trimmed.
    private func restOfLine(from start: Int) -> String {
        var end = start
        while end < characters.count, !Self.isNewline(characters[end]), !";{}".unicodeScalars.contains(characters[end])
        {
            end += 1
        }
        return text(start..<end).trimmingBlanks
    }

    /// `text` quoted for a POSIX shell: in single quotes, each `'` written `'\''`.
    static func shellQuoted(_ text: String) -> String {
        "'" + text.replacingAll("'", with: "'\\''") + "'"
    }
}

extension String {
    /// Without the blanks at either end (by scalar, as the lexer reads).
    fileprivate var trimmingBlanks: String {
        let scalars = Array(unicodeScalars)
        guard let first = scalars.firstIndex(where: { !Lexer.isBlank($0) }),
            let last = scalars.lastIndex(where: { !Lexer.isBlank($0) })
        else { return "" }
        return String(String.UnicodeScalarView(scalars[first...last]))
    }

    /// Each `target` scalar replaced by `replacement`.
    fileprivate func replacingAll(_ target: Unicode.Scalar, with replacement: String) -> String {
        var result = ""
        for scalar in unicodeScalars {
            if scalar == target { result += replacement } else { result.unicodeScalars.append(scalar) }
        }
        return result
    }
}
