import ArgumentParser
import CFShell

/// The `cfsh` executable: argument parsing and nothing else. The language,
/// the commands and the client live in libraries that tests import directly.
@main
struct CFSH: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cfsh",
        abstract: "A shell for OpenStack Swift and Rackspace Cloud Files.",
        discussion: """
            With no arguments, cfsh reads statements from standard input and runs each \
            as soon as it is complete. 'cfsh run FILE' runs a script and 'cfsh -c TEXT' \
            runs one line. Type 'help' inside cfsh for its commands; docs/language.md \
            describes the language.

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
        } else if let replStatus = await InteractiveREPL.runIfTerminal(shell: shell) {
            status = replStatus
        } else {
            var lines = StandardInputLineSource()
            status = await shell.runInteractive(lines: &lines)
        }
        await shell.shutdown()
        if status != 0 { throw ExitCode(status) }
    }
}

/// `cfsh run FILE [ARG...]`
struct Run: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
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

/// Options shared by `cfsh` and `cfsh run`.
struct ShellCommandOptions: ParsableArguments {
    @Flag(help: "Log each request (method, URL, status, duration, transaction id; never tokens or keys).")
    var debug = false

    func configuration(scriptName: String, arguments: [String]) -> ShellConfiguration {
        ShellConfiguration.fromProcess(scriptName: scriptName, arguments: arguments, debug: debug, appName: "cfsh")
    }
}
