import ArgumentParser
import CFShell
import Foundation

/// The `cfsh` executable's options and forms, for ArgumentParser; `Main` picks between them
/// and `cfsh COMMAND ARG…`. The language, the commands and the client live in libraries that
/// tests import directly.
struct CFSH: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cfsh",
        abstract: "A shell for OpenStack Swift and Rackspace Cloud Files.",
        usage: """
            cfsh [--debug] [COMMAND [ARG...]]
              cfsh [--debug] -c <text>
              cfsh run [--debug] <file> [<arg> ...]
            """,
        discussion: """
            On a terminal, cfsh with no arguments opens its prompt. When standard input is \
            not a terminal (a pipe, a file, cron), cfsh runs it as a script, as 'cfsh run -' \
            does: a syntax error anywhere runs nothing, and the first failing command stops it.

            'cfsh COMMAND ARG...' runs one command, such as 'cfsh ls -l backups/'; each ARG is \
            one word exactly as given, with no quoting, variables or globs of cfsh's own.

            'cfsh help' lists the commands, 'cfsh help COMMAND' describes one, and \
            docs/language.md describes the language.

            Exit status: 0 on success, 1 when a command failed, 2 for a syntax or usage \
            error, 130 when interrupted.
            """,
        version: CFShellVersion.current,
        subcommands: [Run.self]
    )

    @OptionGroup var options: ShellCommandOptions

    // Unconditional, so that `cfsh -c '-rm old.log'` reads the text even though it starts with '-'.
    @Option(
        name: .customShort("c"), parsing: .unconditional,
        help: ArgumentHelp("Run TEXT as cfsh statements, then exit.", valueName: "text"))
    var text: String?

    mutating func run() async throws {
        let shell = Shell(configuration: options.configuration(scriptName: "cfsh", arguments: []))
        let status: Int32
        if let text {
            status = await shell.run(source: text, file: "-c")
        } else if TTY.current(environment: ProcessInfo.processInfo.environment).inputIsTerminal {
            if let replStatus = await InteractiveREPL.runIfTerminal(shell: shell) {
                status = replStatus
            } else {
                // A terminal without line editing (TERM=dumb): still a person, so a failure
                // is reported and the next line runs.
                var lines = StandardInputLineSource()
                status = await shell.runInteractive(lines: &lines)
            }
        } else {
            // A pipe or a file: a script, as `cfsh run -`, so that cron sees the first failure.
            status = await shell.runFile("-")
        }
        await shell.shutdown()
        if status != 0 { throw ExitCode(status) }
    }
}

/// `cfsh run FILE [ARG...]`
struct Run: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a cfsh script.",
        discussion:
            "The script sees its arguments as $1, $2, … ($@ is all of them). A syntax error anywhere stops it before anything runs."
    )

    @OptionGroup var options: ShellCommandOptions

    @Argument(help: ArgumentHelp("The script to run; '-' reads it from standard input.", valueName: "file"))
    var file: String

    @Argument(parsing: .captureForPassthrough, help: ArgumentHelp("Arguments for the script.", valueName: "arg"))
    var arguments: [String] = []

    mutating func run() async throws {
        let shell = Shell(configuration: options.configuration(scriptName: file, arguments: arguments))
        let status = await shell.runFile(file)
        await shell.shutdown()
        if status != 0 { throw ExitCode(status) }
    }
}

/// Options shared by `cfsh`, `cfsh COMMAND` and `cfsh run`.
struct ShellCommandOptions: ParsableArguments {
    @Flag(help: "Log each request (method, URL, status, duration, transaction id; never tokens or keys).")
    var debug = false

    func configuration(scriptName: String, arguments: [String]) -> ShellConfiguration {
        ShellConfiguration.fromProcess(scriptName: scriptName, arguments: arguments, debug: debug, appName: "cfsh")
    }
}
