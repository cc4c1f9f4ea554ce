import ArgumentParser
import CFShell
import Foundation

/// The entry point. `cfsh COMMAND ARG…` runs one of the language's commands; everything else
/// (no arguments, `-c`, `run`, `--help`, `--version`) goes to ArgumentParser. Every usage
/// error exits 2, ArgumentParser's own included (it would exit 64, `EX_USAGE`).
@main
enum Main {
    static func main() async {
        let arguments = Array(CommandLine.arguments.dropFirst())
        switch CommandLineRoute(arguments) {
        case .parser(let arguments):
            await runParsed(arguments)
        case .command(let options, let name, let commandArguments):
            let shell = Shell(configuration: options.configuration(scriptName: "cfsh", arguments: []))
            let status = await shell.run(command: name, arguments: commandArguments)
            await shell.shutdown()
            exit(status)
        case .unknown(let name):
            var isFolder: ObjCBool = false
            let isFile = FileManager.default.fileExists(atPath: name, isDirectory: &isFolder) && !isFolder.boolValue
            usageError(Shell.unknownCommandMessage(name, isFile: isFile))
        }
    }

    /// Parses `arguments` with ArgumentParser and runs what they name.
    static func runParsed(_ arguments: [String]) async {
        do {
            var command = try CFSH.parseAsRoot(arguments)
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let status as ExitCode {
            // The status of the script or the session, which may be any number (`exit 64`).
            exit(status.rawValue)
        } catch {
            // ArgumentParser's validation errors (unknown option, missing argument) exit 2, as
            // every usage error of cfsh does; help and --version exit 0 as before.
            guard CFSH.exitCode(for: error).rawValue == ExitCode.validationFailure.rawValue else {
                CFSH.exit(withError: error)
            }
            usageError(CFSH.fullMessage(for: error), prefixed: false)
        }
    }

    /// Prints `message` on standard error and exits 2.
    static func usageError(_ message: String, prefixed: Bool = true) -> Never {
        let text = (prefixed ? "cfsh: " : "") + message + (message.hasSuffix("\n") ? "" : "\n")
        FileHandle.standardError.write(Data(text.utf8))
        exit(2)
    }
}

/// What the command line asks for. The first word that is not an option, when only
/// cfsh's own options (`ShellCommandOptions`) come before it, is a command: a subcommand
/// of the executable (`run`) first, then one of the language's (`ls`, `help`, …).
enum CommandLineRoute {
    /// No command word, a subcommand, or options only ArgumentParser knows (`-c`, `--help`):
    /// these arguments for ArgumentParser.
    case parser([String])
    /// `cfsh [OPTIONS] COMMAND ARG…` with a command of the language.
    case command(ShellCommandOptions, name: String, arguments: [String])
    /// A first word that is no command at all.
    case unknown(String)

    init(_ arguments: [String]) {
        self = .parser(arguments)
        let subcommands = CFSH.configuration.subcommands.compactMap { $0.configuration.commandName }
        for (index, word) in arguments.enumerated() where !word.hasPrefix("-") {
            // When what comes before does not parse as cfsh's options, `word` is an option's
            // value, or those options are wrong: ArgumentParser then says which.
            guard let options = try? ShellCommandOptions.parse(Array(arguments[..<index])) else { continue }
            let rest = Array(arguments[(index + 1)...])
            if subcommands.contains(word) {
                self = .parser(arguments)
            } else if word == "help", rest.count == 1, subcommands.contains(rest[0]) {
                // `cfsh help run`: the subcommand's help, as ArgumentParser's own help says.
                self = .parser(rest + ["--help"])
            } else if Shell.isCommand(word) {
                self = .command(options, name: word, arguments: rest)
            } else {
                self = .unknown(word)
            }
            return
        }
    }
}
