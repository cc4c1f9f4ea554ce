import CFShellLanguage
import CloudFiles
import Foundation

/// A statement failed and the run stops; the error has already been reported.
struct StopRun: Error {
    var status: Int32
}

extension Shell {
    /// Runs a parsed and checked script and turns its end into an exit status.
    func runChecked(_ script: Script) async -> Int32 {
        defer {
            stdout.flush()
            stderr.flush()
        }
        do {
            try await execute(script.statements)
            return 0
        } catch let stop as StopRun {
            return stop.status
        } catch ControlFlow.exit(let status) {
            exitRequested = true
            return status
        } catch let error where error.isCancellation {
            stdout.flush()
            stderr.line("cfsh: interrupted")
            return 130
        } catch {
            // break/continue outside a loop are refused by the parser; nothing else gets here.
            stderr.line("cfsh: " + Names.printable(error.userMessage))
            return 1
        }
    }

    func execute(_ statements: [Statement]) async throws {
        for statement in statements {
            try Task.checkCancellation()
            try await execute(statement)
            stdout.flush()
        }
    }

    func execute(_ statement: Statement) async throws {
        switch statement {
        case .command(let command):
            try await runCommand(command)
        case .assignment(let assignment):
            let value = try await guarded(assignment.location) { try await self.expandValues(assignment.value) }
            variables[assignment.name] = value
        case .loop(let loop):
            let items = try await guarded(loop.location) { try await self.expandItems(loop.items) }
            for item in items {
                variables[loop.variable] = [item]
                do {
                    try await execute(loop.body)
                } catch ControlFlow.breakLoop {
                    break
                } catch ControlFlow.continueLoop {
                    continue
                }
            }
        case .conditional(let conditional):
            let succeeded = try await test(conditional.condition)
            if succeeded != conditional.negated {
                try await execute(conditional.then)
            } else if let otherwise = conditional.otherwise {
                try await execute(otherwise)
            }
        case .break:
            throw ControlFlow.breakLoop
        case .continue:
            throw ControlFlow.continueLoop
        }
    }

    /// Runs `body`; a failure in it is reported at `location` and stops the run.
    private func guarded<T>(_ location: SourceLocation, _ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error where Self.passesThrough(error) {
            throw error
        } catch {
            throw stop(error, command: nil, at: location)
        }
    }

    static func passesThrough(_ error: any Error) -> Bool {
        error is ControlFlow || error is StopRun || error.isCancellation
    }

    /// Runs a command. A failure stops the run, unless the command was written
    /// with a leading `-`: then it is reported and the run goes on.
    func runCommand(_ command: Command) async throws {
        do {
            try await invoke(command)
        } catch let error where Self.passesThrough(error) || stdout.overflowed {
            // A substitution that passed its limit stopped the command: it reports that itself.
            throw error
        } catch {
            if command.ignoresFailure {
                report(error, command: command.name, at: command.location)
                return
            }
            throw stop(error, command: command.name, at: command.location)
        }
    }

    /// `if` runs its command with output discarded and failures meaning "false".
    /// Usage errors are still errors: they are mistakes in the script.
    func test(_ command: Command) async throws -> Bool {
        let saved = stdout
        stdout = OutputChannel.discard()
        defer { stdout = saved }
        do {
            try await invoke(command)
            return true
        } catch let error where Self.passesThrough(error) {
            throw error
        } catch let error as ShellError where error.kind == .usage || error.location != nil {
            throw stop(error, command: command.name, at: command.location)
        } catch {
            pendingNotes = []
            logger.debug("condition failed: \(command.name): \(error.userMessage)")
            return false
        }
    }

    /// Reports `error` and returns the error that stops the run.
    func stop(_ error: any Error, command: String?, at location: SourceLocation) -> StopRun {
        report(error, command: command, at: location)
        let status = (error as? ShellError)?.exitStatus ?? 1
        return StopRun(status: status)
    }

    /// Prints `file:line: command: message`, or, when a word is to blame,
    /// `file:line:col: message` with the line and a caret.
    func report(_ error: any Error, command: String?, at location: SourceLocation) {
        stdout.flush()
        let prefix = command.map { "\($0): " } ?? ""
        // Messages quote names from the server: escaped wherever standard error goes.
        if let shellError = error as? ShellError, let wordLocation = shellError.location {
            let diagnostic = Diagnostic(message: prefix + Names.printable(shellError.message), location: wordLocation)
            stderr.line(
                diagnostic.rendered(
                    source: sources[wordLocation.file], redacting: Self.language.redaction.redact,
                    showingLocation: wordLocation.file != Self.promptFile))
        } else if isInteractive && sourceDepth == 0 {
            stderr.line(prefix + Names.printable(error.userMessage))
        } else {
            stderr.line("\(location.fileAndLine): " + prefix + Names.printable(error.userMessage))
        }
        for note in pendingNotes { stderr.line(Names.printable(note)) }
        pendingNotes = []
        stderr.flush()
    }

    /// Expands the arguments and runs the built-in command.
    func invoke(_ command: Command) async throws {
        let arguments = try await expandArguments(command.arguments)
        guard let builtin = Builtins.named(command.name) else {
            throw ShellError.usage("unknown command '\(command.name)'")
        }
        let spec = builtin.spec
        if spec.takesRawWords {
            return try await builtin.run(ParsedArguments(operands: arguments), in: self)
        }
        if arguments.contains(where: { $0.text == "--help" && !$0.isAlwaysOperand }) {
            stdout.write(Help.documented(spec).helpText(width: helpWidth))
            return
        }
        let parsed: ParsedArguments<Argument>
        do {
            parsed = try spec.parse(arguments, redacting: Self.language.redaction.redactArgument)
        } catch {
            throw ShellError.usage(error.message, at: error.location)
        }
        notesPrinted = []
        do {
            try await builtin.run(parsed, in: self)
        } catch let error where !Self.passesThrough(error) && (error as? ShellError)?.kind != .usage {
            // A missing path gets close names; a relative one, where it resolved.
            throw await explainFailure(error, of: builtin, operands: parsed.operands)
        }
    }
}
