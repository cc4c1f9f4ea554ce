@testable import CFShellLanguage

/// A language with cfsh's command names, for tests of the front end alone. (The shell's own
/// commands, with their options, live in CFShell's registry and are tested there.)
enum TestLanguage {
    static let commandNames: Set<String> = [
        "connect", "ls", "cd", "pwd", "lcd", "lpwd", "lls", "mkdir", "put", "get", "cat", "rm", "rmdir",
        "stat", "cp", "mv", "echo", "help", "exit", "source", "set", "date",
    ]

    static let language = Language(
        commands: commandNames.sorted().map { CommandSpec($0, "[WORD…]", summary: "", takesRawWords: true) })
}

extension Parser {
    /// Parses with cfsh's command names, as the shell does.
    static func parse(_ source: String, file: String = "<input>") throws(ParseError) -> Script {
        try parse(source, file: file, knownCommands: TestLanguage.commandNames)
    }
}
