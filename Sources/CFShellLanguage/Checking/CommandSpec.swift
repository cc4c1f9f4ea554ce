/// What the shell knows about a command before running it: its usage line,
/// its help, and its options, so that `help` and the checks made before a
/// script runs come from one place.
public struct CommandSpec: Sendable {
    public struct Option: Sendable {
        /// The spellings, such as `["-l", "--long"]`; the first is the canonical one.
        public var names: [String]
        /// The option takes a value (`--auth-url URL` or `--auth-url=URL`).
        public var valueName: String?
        public var help: String
        /// The value is a secret (a key, password or token): it is never kept in the history.
        public var isSecret: Bool

        public init(_ names: String..., value valueName: String? = nil, help: String, isSecret: Bool = false) {
            self.names = names
            self.valueName = valueName
            self.help = help
            self.isSecret = isSecret
        }
    }

    public var name: String
    /// The usage line after the name, for example `[-l] [-h] [-r] [PATH…]`.
    public var usage: String
    /// One line for the list `help` prints.
    public var summary: String
    /// Paragraphs for `help NAME`.
    public var details: String
    public var options: [Option]
    /// Bounds on the operands after options; `nil` for no upper bound.
    public var operands: ClosedRange<Int>?
    /// Every word is an operand, `-n` or `--help` too (`echo`): nothing is checked or parsed.
    public var takesRawWords: Bool
    /// Lines for the "examples:" section of `help NAME`: a command, optionally followed by
    /// `  # what it does`.
    public var examples: [String]

    public init(
        _ name: String, _ usage: String, summary: String, details: String = "", options: [Option] = [],
        operands: ClosedRange<Int>? = nil, takesRawWords: Bool = false, examples: [String] = []
    ) {
        self.name = name
        self.usage = usage
        self.summary = summary
        self.details = details
        self.options = options
        self.operands = operands
        self.takesRawWords = takesRawWords
        self.examples = examples
    }

    public func option(named name: String) -> Option? {
        options.first { $0.names.contains(name) }
    }

    /// The text `help NAME` prints, wrapped to `width` columns.
    public func helpText(width: Int) -> String {
        HelpWrapping.wrap(helpText, width: width)
    }

    /// The text `help NAME` prints, unwrapped.
    public var helpText: String {
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
        if !examples.isEmpty {
            text += "\nexamples:\n" + examples.map { "  " + $0 + "\n" }.joined()
        }
        return text
    }
}

/// Wraps help text to a terminal's width. A line too long is broken at spaces; its
/// continuation lines are indented like the text column it belongs to: after the option
/// names (`  -l, --long  size, date…`), after a setting's name, or as the line itself.
public enum HelpWrapping {
    public static func wrap(_ text: String, width: Int) -> String {
        let width = max(width, 20)
        return text.split(separator: "\n", omittingEmptySubsequences: false)
            .map { wrapLine(String($0), width: width) }
            .joined(separator: "\n")
    }

    static func wrapLine(_ line: String, width: Int) -> String {
        let characters = Array(line)
        guard characters.count > width else { return line }
        let indent = String(repeating: " ", count: hangingIndent(characters, width: width))
        var lines: [String] = []
        var current = ""
        var rest = Substring(line)
        while !rest.isEmpty {
            let space = rest.firstIndex(of: " ") ?? rest.endIndex
            let word = String(rest[..<space])
            // Runs of spaces inside the line (column gaps) stay with the word before them.
            let gap = String(rest[space...].prefix { $0 == " " })
            rest = rest[space...].dropFirst(gap.count)
            let kept = current.trimmingTrailingSpaces
            let separator = current.count > kept.count ? String(current.dropFirst(kept.count)) : " "
            if kept.isEmpty {
                // The leading spaces and the first word stay whole, however long.
                current += word + gap
            } else if kept.count + separator.count + word.count <= width {
                current = kept + separator + word + gap
            } else {
                lines.append(kept)
                current = indent + word + gap
            }
        }
        if !current.isEmpty { lines.append(current.trimmingTrailingSpaces) }
        return lines.joined(separator: "\n")
    }

    /// Where continuation lines start: after the first gap of two or more spaces that
    /// follows text (a column), when it lies in the first half; else the line's own indent.
    private static func hangingIndent(_ characters: [Character], width: Int) -> Int {
        let leading = characters.prefix { $0 == " " }.count
        var index = leading
        while index + 1 < characters.count {
            if characters[index] == " " && characters[index + 1] == " " {
                var end = index
                while end < characters.count && characters[end] == " " { end += 1 }
                return end <= width / 2 ? end : leading
            }
            index += 1
        }
        return leading
    }
}

extension String {
    fileprivate var trimmingTrailingSpaces: String {
        var copy = self
        while copy.last == " " { copy.removeLast() }
        return copy
    }
}

/// A word as the option parser sees it: its text, and whether it is an operand whatever
/// it looks like (a glob, or a name taken from a listing, may start with `-`).
public protocol CommandWord: Sendable {
    var text: String { get }
    var isAlwaysOperand: Bool { get }
    var location: SourceLocation { get }
}

/// A mistake in a command's options or operand count. The shell reports it, and exits with
/// 2, as it does for a syntax error.
public struct UsageError: Error, Sendable, Equatable {
    public var message: String
    /// The word to blame, when one is.
    public var location: SourceLocation?

    public init(_ message: String, at location: SourceLocation? = nil) {
        self.message = message
        self.location = location
    }
}

/// The result of reading a command's options.
public struct ParsedArguments<Word: CommandWord>: Sendable {
    /// Canonical option names that were given, with their value (empty for flags).
    public var options: [String: String] = [:]
    public var operands: [Word] = []

    public init(options: [String: String] = [:], operands: [Word] = []) {
        self.options = options
        self.operands = operands
    }

    /// Every value given to a repeatable option (`--exclude A --exclude B`), in order;
    /// ``options`` keeps the last.
    public var repeatedValues: [String: [String]] = [:]

    public func has(_ name: String) -> Bool { options[name] != nil }
    public func value(_ name: String) -> String? { options[name] }
    /// All the values given to `name`, in order (empty when it was not given).
    public func values(_ name: String) -> [String] { repeatedValues[name] ?? [] }

    mutating func setValue(_ value: String, for canonical: String) {
        options[canonical] = value
        repeatedValues[canonical, default: []].append(value)
    }
}

extension CommandSpec {
    /// Splits arguments into options and operands. Options come before the
    /// operands or anywhere among them; `--` ends them, and `-lh` is `-l -h`. Other tools'
    /// spellings are read as ``CommandSuggestions/optionHabits`` says: `-R` is `-r`, `mkdir -p`
    /// changes nothing, and `ls -a` is refused with what to write instead.
    /// - Parameter redacting: masks a secret in an argument quoted by an error message.
    public func parse<Word: CommandWord>(
        _ arguments: [Word], redacting: (String) -> String = { $0 }
    ) throws(UsageError) -> ParsedArguments<Word> {
        var parsed = ParsedArguments<Word>()
        var index = 0
        var optionsEnded = false
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            let text = argument.text
            if optionsEnded || !text.hasPrefix("-") || text == "-" || argument.isAlwaysOperand {
                parsed.operands.append(argument)
                continue
            }
            if text == "--" {
                optionsEnded = true
                continue
            }
            if text.hasPrefix("--") {
                let (name, inline) = Self.splitInlineValue(text)
                guard let option = try habitualOption(name, cluster: nil, at: argument.location, redacting: redacting)
                else {
                    if inline != nil { throw UsageError("\(name) takes no value", at: argument.location) }
                    continue
                }
                let canonical = option.names[0]
                if option.valueName != nil {
                    if let inline {
                        parsed.setValue(inline, for: canonical)
                    } else if index < arguments.count {
                        parsed.setValue(arguments[index].text, for: canonical)
                        index += 1
                    } else {
                        throw UsageError("\(name) needs a value (\(option.valueName!))", at: argument.location)
                    }
                } else {
                    if inline != nil { throw UsageError("\(name) takes no value", at: argument.location) }
                    parsed.options[canonical] = ""
                }
                continue
            }
            // Short options, possibly combined: -lh.
            let letters = Array(text.dropFirst())
            for (position, letter) in letters.enumerated() {
                let name = "-" + String(letter)
                guard
                    let option = try habitualOption(
                        name, cluster: (letters, position), at: argument.location, redacting: redacting)
                else { continue }
                let canonical = option.names[0]
                if option.valueName != nil {
                    let rest = String(letters[(position + 1)...])
                    if !rest.isEmpty {
                        parsed.setValue(rest, for: canonical)
                    } else if index < arguments.count {
                        parsed.setValue(arguments[index].text, for: canonical)
                        index += 1
                    } else {
                        throw UsageError("\(name) needs a value (\(option.valueName!))", at: argument.location)
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

    /// The option `name` (as written) stands for: the command's own, or another tool's
    /// spelling of it (`-R` for `-r`, from ``CommandSuggestions/optionHabits``); `nil` for a
    /// habit that changes nothing (`mkdir -p`). A habit cfsh has no meaning for is refused
    /// with its advice.
    /// - Parameter cluster: the letters of a word of short options (`-la`), and which one `name` is.
    private func habitualOption(
        _ name: String, cluster: (letters: [Character], position: Int)?, at location: SourceLocation,
        redacting: (String) -> String
    ) throws(UsageError) -> Option? {
        if let option = option(named: name) { return option }
        switch CommandSuggestions.optionHabit(name, command: self.name) {
        case .means(let real):
            if let option = option(named: real) { return option }
        case .alreadyTheBehaviour:
            return nil
        case .advice(let advice):
            var message = advice
            if let cluster, cluster.letters.count > 1 {
                var rest = cluster.letters
                rest.remove(at: cluster.position)
                message += "; use '\(self.name) \(redacting("-" + String(rest)))'"
            }
            throw UsageError(message, at: location)
        case nil:
            break
        }
        guard let cluster, cluster.letters.count > 1 else { throw unknownOption(name, at: location) }
        throw unknownOption("\(name)' in '\(redacting("-" + String(cluster.letters)))", at: location)
    }

    private func unknownOption(_ name: String, at location: SourceLocation) -> UsageError {
        if options.isEmpty {
            return UsageError(
                "unknown option '\(name)'; '\(self.name)' takes none (write '--' before an operand that starts with '-')",
                at: location)
        }
        return UsageError("unknown option '\(name)'; usage: \(self.name) \(usage)", at: location)
    }

    private func operandCountError(_ count: Int, allowed: ClosedRange<Int>) -> UsageError {
        let expected: String
        if allowed.lowerBound == allowed.upperBound {
            expected =
                allowed.lowerBound == 0
                ? "no operands" : "\(allowed.lowerBound) operand\(allowed.lowerBound == 1 ? "" : "s")"
        } else if allowed.upperBound == Int.max {
            expected = "at least \(allowed.lowerBound)"
        } else {
            expected = "\(allowed.lowerBound) to \(allowed.upperBound) operands"
        }
        return UsageError("expected \(expected), got \(count); usage: \(name) \(usage)")
    }
}
