import Foundation
import Testing

@testable import CFShell

/// `Shell.run(command:arguments:)`, what `cfsh COMMAND ARG…` runs: each word exactly as given.
@Suite struct CommandLineWordsTests {
    static func run(_ name: String, _ arguments: [String]) async -> ShellTests.Run {
        let output = OutputChannel.capture()
        let errors = OutputChannel.capture()
        let shell = Shell(
            configuration: ShellConfiguration(
                scriptName: "cfsh", arguments: [], environment: ["HOME": "/home/x"], debug: false,
                currentDirectory: FileManager.default.temporaryDirectory.path),
            output: output, errors: errors)
        let status = await shell.run(command: name, arguments: arguments)
        await shell.shutdown()
        return ShellTests.Run(status: status, stdout: output.text, stderr: errors.text)
    }

    @Test("each word is one argument: no variables, globs, quotes or splitting")
    func wordsAreLiteral() async {
        let result = await Self.run("echo", ["$HOME", "a  b", "*", "'q'", "$(ls)", ""])
        #expect(result.status == 0)
        #expect(result.stdout == "$HOME a  b * 'q' $(ls) \n")
        #expect(result.stderr == "")
    }

    @Test("a failure names the command line as cfsh:1, with the name as given")
    func failure() async {
        let result = await Self.run("lcd", ["/nonexistent dir $x"])
        #expect(result.status == 1)
        #expect(result.stderr == "cfsh:1: lcd: no folder '/nonexistent dir $x'\n")
    }

    @Test("a usage error is found before the command runs, with a caret under the word")
    func usageError() async {
        let result = await Self.run("ls", ["a b", "-z"])
        #expect(result.status == 2)
        #expect(
            result.stderr
                == "cfsh:1:10: ls: unknown option '-z'; usage: ls [-l] [-h] [-r] [--json] [PATH…]\nls 'a b' -z\n         ^\n"
        )
    }

    @Test("an unknown command gets the parser's suggestion, or how to run a script")
    func unknownCommands() {
        #expect(Shell.isCommand("ls"))
        #expect(!Shell.isCommand("lss"))
        #expect(Shell.unknownCommandMessage("lss", isFile: false) == "unknown command 'lss'; did you mean 'ls'?")
        #expect(
            Shell.unknownCommandMessage("backup.cfsh", isFile: false)
                == "unknown command 'backup.cfsh'; to run a script, write: cfsh run backup.cfsh")
        #expect(
            Shell.unknownCommandMessage("my job", isFile: true)
                == "unknown command 'my job'; to run a script, write: cfsh run 'my job'")
        #expect(Shell.unknownCommandMessage("foreach", isFile: false).hasPrefix("'foreach' is a statement"))
        #expect(
            Shell.unknownCommandMessage("a\u{1B}[2Jb", isFile: false)
                == "unknown command 'a\\e[2Jb'; 'cfsh help' lists the commands")
    }
}
