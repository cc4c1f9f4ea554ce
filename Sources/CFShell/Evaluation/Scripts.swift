import CFShellLanguage
import CloudFiles
import Foundation

/// Where scripts, `-c` text, `source`d files and `cfsh COMMAND ARG…` start: read the whole
/// text (a mistake anywhere runs nothing), then evaluate it.
extension Shell {
    /// Parses `source` whole, checks it, then runs it.
    /// - Returns: the exit status: 0, 1 when a command failed, 2 for a syntax or
    ///   usage error, 130 after Ctrl-C, 128 + the signal after SIGTERM or SIGHUP (which
    ///   also end an interactive loop), or the status given to `exit`.
    public func run(source: String, file: String) async -> Int32 {
        guard let script = readReporting(source, file: file) else { return 2 }
        return await runStoppingOnSignal(script)
    }

    /// Reads a script from `path` (`-` for standard input) and runs it. This is also what
    /// `cfsh` does when its standard input is not a terminal: the first failure stops it.
    public func runFile(_ path: String) async -> Int32 {
        let source: String
        if path == "-" {
            source = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
        } else {
            guard let data = FileManager.default.contents(atPath: path) else {
                stderr.line("cfsh: cannot read the script '\(path)'")
                stderr.flush()
                return 2
            }
            source = String(decoding: data, as: UTF8.self)
        }
        return await run(source: source, file: path == "-" ? "<stdin>" : path)
    }

    /// Runs one command given as separate words, as `cfsh COMMAND ARG…` does. The statement
    /// is built from the words themselves, never from text lexed again: each word is one
    /// argument exactly as given, with no quotes, variables or globs of cfsh's own (the
    /// calling shell has done those), so a name with a space, a `$` or a `*` means exactly
    /// that name. A word starting with `-` is an option, as it would be in a script. The
    /// options are checked before the command runs, as a script's are.
    /// - Returns: the exit status, as ``run(source:file:)``.
    public func run(command name: String, arguments: [String]) async -> Int32 {
        let file = Self.commandLineFile
        // The words as they could be typed, to show a mistake's line and caret.
        let shown = ([name] + arguments).map(Self.shownWord)
        sources[file] = shown.joined(separator: " ")
        var column = shown[0].count + 2
        var words: [Word] = []
        for (argument, display) in zip(arguments, shown.dropFirst()) {
            words.append(
                Word(parts: [.quoted(argument)], location: SourceLocation(file: file, line: 1, column: column)))
            column += display.count + 1
        }
        let command = Command(name: name, arguments: words, location: SourceLocation(file: file, line: 1, column: 1))
        let script = Script(statements: [.command(command)])
        do {
            try Self.language.check(script)
        } catch {
            stderr.line(error.diagnostic.rendered(source: sources[file], redacting: Self.language.redaction.redact))
            stderr.flush()
            return 2
        }
        return await runStoppingOnSignal(script)
    }

    /// The file name in the locations of `cfsh COMMAND ARG…`: `cfsh:1: ls: …`.
    static let commandLineFile = "cfsh"

    /// Whether `name` is one of the language's commands, which `cfsh NAME ARG…` runs.
    public static func isCommand(_ name: String) -> Bool {
        language.commandNames.contains(name)
    }

    /// What `cfsh NAME` says when NAME is no command: the language's own message for an
    /// unknown command (with its suggestion), or, for a script's name, how to run it.
    /// - Parameter isFile: whether NAME names a file here.
    public static func unknownCommandMessage(_ name: String, isFile: Bool) -> String {
        let shown = Names.printable(name)
        if isFile || name.hasSuffix(".cfsh") {
            return "unknown command '\(shown)'; to run a script, write: cfsh run \(shownWord(name))"
        }
        if Keyword(rawValue: name) != nil {
            return "'\(shown)' is a statement, not a command; write it in a script or with cfsh -c '…'"
        }
        // A plain word is read by the parser, which knows every command and the habits of
        // other tools; other text gets only the list.
        let isPlainWord =
            !name.isEmpty && name.unicodeScalars.allSatisfy { LexicalRules.isNameCharacter($0) || $0 == "-" }
        if isPlainWord, !name.hasPrefix("-") {
            do {
                _ = try language.parse(name, file: commandLineFile)
            } catch {
                return error.message.replacingOccurrences(of: "'help' lists", with: "'cfsh help' lists")
            }
        }
        return "unknown command '\(shown)'; 'cfsh help' lists the commands"
    }

    /// `word` as it could be typed to cfsh: quoted when it has a special character, and
    /// with control characters escaped so that it is safe on a terminal.
    static func shownWord(_ word: String) -> String {
        let quoted = CompletionQuoting.quote(word, style: CompletionQuoting.style(for: [word], openQuote: nil))
        return Names.printable(quoted)
    }

    /// Runs a checked script with Ctrl-C, SIGTERM and SIGHUP handled (see `Interrupts`).
    private func runStoppingOnSignal(_ script: Script) async -> Int32 {
        let (status, signal) = await Interrupts.run { await self.runChecked(script) }
        guard let signal else { return status }
        // Ctrl-C: 130, even when the stopped command reported its end as a failure.
        if signal == SIGINT { return 130 }
        // SIGTERM or SIGHUP: the command stopped cleanly; the rest of the run does not start.
        exitRequested = true
        return 128 + signal
    }

    /// The file name of entries typed at the prompt: their errors carry no `file:line:col:`.
    static let promptFile = "<prompt>"

    /// Parses and checks `source` (see `Language.read`), reporting a mistake with its line
    /// and a caret; `nil` after a mistake.
    func readReporting(_ source: String, file: String) -> Script? {
        sources[file] = source
        do {
            return try Self.language.read(source, file: file)
        } catch {
            stderr.line(
                error.diagnostic.rendered(
                    source: source, redacting: Self.language.redaction.redact,
                    showingLocation: file != Self.promptFile))
            stderr.flush()
            return nil
        }
    }
}
