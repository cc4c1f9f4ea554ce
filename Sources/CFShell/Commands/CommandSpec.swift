/// What the shell knows about a command before running it: its usage line,
/// its help, and its options, so that `help` and the checks made before a
/// script runs come from one place.
struct CommandSpec: Sendable {
    struct Option: Sendable {
        /// The spellings, such as `["-l", "--long"]`; the first is the canonical one.
        var names: [String]
        /// The option takes a value (`--auth-url URL` or `--auth-url=URL`).
        var valueName: String?
        var help: String
        /// The value is a secret (a key, password or token): it is never kept in the history.
        var isSecret: Bool

        init(_ names: String..., value valueName: String? = nil, help: String, isSecret: Bool = false) {
            self.names = names
            self.valueName = valueName
            self.help = help
            self.isSecret = isSecret
        }
    }

    var name: String
    /// The usage line after the name, for example `[-l] [-h] [-r] [PATH…]`.
    var usage: String
    /// One line for the list `help` prints.
    var summary: String
    /// Paragraphs for `help NAME`.
    var details: String
    var options: [Option]
    /// Bounds on the operands after options; `nil` for no upper bound.
    var operands: ClosedRange<Int>?

    init(
        _ name: String, _ usage: String, summary: String, details: String = "", options: [Option] = [],
        operands: ClosedRange<Int>? = nil
    ) {
        self.name = name
        self.usage = usage
        self.summary = summary
        self.details = details
        self.options = options
        self.operands = operands
    }

    func option(named name: String) -> Option? {
        options.first { $0.names.contains(name) }
    }

    /// The text `help NAME` prints.
    var helpText: String {
        var text = "usage: \(name)" + (usage.isEmpty ? "" : " " + usage) + "\n\n" + summary + "\n"
        if !details.isEmpty { text += "\n" + details + "\n" }
        if !options.isEmpty {
            text += "\noptions:\n"
            let labels = options.map { option in
                option.names.joined(separator: ", ") + (option.valueName.map { " " + $0 } ?? "")
            }
            let width = labels.map(\.count).max() ?? 0
            for (label, option) in zip(labels, options) {
                text += "  " + label.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + option.help + "\n"
            }
        }
        return text
    }
}

/// The result of reading a command's options.
struct ParsedArguments: Sendable {
    /// Canonical option names that were given, with their value (empty for flags).
    var options: [String: String] = [:]
    var operands: [Argument] = []

    func has(_ name: String) -> Bool { options[name] != nil }
    func value(_ name: String) -> String? { options[name] }
}

/// One argument after expansion.
struct Argument: Sendable, Equatable {
    /// The text, with quotes removed and variables substituted.
    var text: String
    /// The glob pattern, when the word had an unquoted `*`, `?` or `[`.
    var pattern: GlobPattern?
    /// The exact remote path, when the argument is an item from a listing or a glob:
    /// always an operand, never an option, and never resolved again.
    var exact: ExactPath?
    /// Why the text cannot be read as a remote path: it joins a server name that would then
    /// name something else.
    var refusal: ShellError?
    var location: SourceLocation

    init(_ text: String, pattern: GlobPattern? = nil, exact: ExactPath? = nil, location: SourceLocation = .unknown) {
        self.text = text
        self.pattern = pattern
        self.exact = exact
        self.location = location
    }

    /// The remote path this argument names: its exact path, or its text resolved against `base`.
    func remotePath(from base: RemotePath) throws(ShellError) -> RemotePath {
        if let refusal { throw refusal }
        return exact?.path ?? RemotePath.resolve(text, from: base)
    }

    /// Whether the argument names a container or a pseudo-folder rather than an object.
    func isFolder(from base: RemotePath) throws(ShellError) -> Bool {
        if let exact { return !exact.isObject }
        return try remotePath(from: base).isFolder
    }
}

extension CommandSpec {
    /// Splits arguments into options and operands. Options come before the
    /// operands or anywhere among them; `--` ends them, and `-lh` is `-l -h`.
    func parse(_ arguments: [Argument]) throws(ShellError) -> ParsedArguments {
        var parsed = ParsedArguments()
        var index = 0
        var optionsEnded = false
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            let text = argument.text
            if optionsEnded || !text.hasPrefix("-") || text == "-" || argument.pattern != nil || argument.exact != nil {
                parsed.operands.append(argument)
                continue
            }
            if text == "--" {
                optionsEnded = true
                continue
            }
            if text.hasPrefix("--") {
                let (name, inline) = Self.splitInlineValue(text)
                guard let option = option(named: name) else { throw unknownOption(name, at: argument.location) }
                let canonical = option.names[0]
                if option.valueName != nil {
                    if let inline {
                        parsed.options[canonical] = inline
                    } else if index < arguments.count {
                        parsed.options[canonical] = arguments[index].text
                        index += 1
                    } else {
                        throw ShellError.usage("\(name) needs a value (\(option.valueName!))", at: argument.location)
                    }
                } else {
                    if inline != nil { throw ShellError.usage("\(name) takes no value", at: argument.location) }
                    parsed.options[canonical] = ""
                }
                continue
            }
            // Short options, possibly combined: -lh.
            let letters = Array(text.dropFirst())
            for (position, letter) in letters.enumerated() {
                let name = "-" + String(letter)
                guard let option = option(named: name) else {
                    throw unknownOption(
                        letters.count > 1 ? "\(name)' in '\(HistoryRedaction.redactArgument(text))" : name,
                        at: argument.location)
                }
                let canonical = option.names[0]
                if option.valueName != nil {
                    let rest = String(letters[(position + 1)...])
                    if !rest.isEmpty {
                        parsed.options[canonical] = rest
                    } else if index < arguments.count {
                        parsed.options[canonical] = arguments[index].text
                        index += 1
                    } else {
                        throw ShellError.usage("\(name) needs a value (\(option.valueName!))", at: argument.location)
                    }
                    break
                }
                parsed.options[canonical] = ""
            }
        }
        if let operands, !operands.contains(parsed.operands.count) {
            throw operandCountError(parsed.operands.count, allowed: operands)
        }
        return parsed
    }

    private static func splitInlineValue(_ text: String) -> (String, String?) {
        guard let equals = text.firstIndex(of: "=") else { return (text, nil) }
        return (String(text[..<equals]), String(text[text.index(after: equals)...]))
    }

    private func unknownOption(_ name: String, at location: SourceLocation) -> ShellError {
        if options.isEmpty {
            return ShellError.usage(
                "unknown option '\(name)'; '\(self.name)' takes none (write '--' before an operand that starts with '-')",
                at: location)
        }
        return ShellError.usage("unknown option '\(name)'; usage: \(self.name) \(usage)", at: location)
    }

    private func operandCountError(_ count: Int, allowed: ClosedRange<Int>) -> ShellError {
        let expected: String
        if allowed.lowerBound == allowed.upperBound {
            expected = allowed.lowerBound == 0 ? "no operands" : "\(allowed.lowerBound) operand\(allowed.lowerBound == 1 ? "" : "s")"
        } else if allowed.upperBound == Int.max {
            expected = "at least \(allowed.lowerBound)"
        } else {
            expected = "\(allowed.lowerBound) to \(allowed.upperBound) operands"
        }
        return ShellError.usage("expected \(expected), got \(count); usage: \(name) \(usage)")
    }
}
