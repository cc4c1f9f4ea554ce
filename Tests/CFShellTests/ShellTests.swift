import Foundation
import Testing

@testable import CFShell
@testable import CFShellLanguage

/// The evaluator in process, with output captured: language behaviour that needs no server.
@Suite struct ShellTests {
    struct Run {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static func run(_ source: String, arguments: [String] = [], environment: [String: String] = [:]) async -> Run {
        let output = OutputChannel.capture()
        let errors = OutputChannel.capture()
        let shell = Shell(
            configuration: ShellConfiguration(
                scriptName: "t.cfsh", arguments: arguments, environment: environment, debug: false,
                currentDirectory: FileManager.default.temporaryDirectory.path),
            output: output, errors: errors)
        let status = await shell.run(source: source, file: "t.cfsh")
        await shell.shutdown()
        return Run(status: status, stdout: output.text, stderr: errors.text)
    }

    @Test("variables hold lists; a bare $list splices, a quoted one joins")
    func lists() async {
        let result = await Self.run("let xs = a 'b c'\nforeach x in $xs { echo [$x] }\necho \"$xs\" $#")
        #expect(result.stdout == "[a]\n[b c]\na b c 0\n")
        #expect(result.status == 0)
    }

    @Test("script arguments and $@ come from the configuration")
    func scriptArguments() async {
        let result = await Self.run("echo $0 $1; foreach a in $@ { echo $a }", arguments: ["x", "y z"])
        #expect(result.stdout == "t.cfsh x\nx\ny z\n")
    }

    @Test("a failing command stops the run with file:line; '-' goes on")
    func failures() async {
        let stopped = await Self.run("echo a\nlcd /nonexistent-\(UUID())\necho b")
        #expect(stopped.status == 1)
        #expect(stopped.stdout == "a\n")
        #expect(stopped.stderr.hasPrefix("t.cfsh:2: lcd: no folder '/nonexistent-"))
        let ignored = await Self.run("-lcd /nonexistent-x\necho b")
        #expect(ignored.status == 0)
        #expect(ignored.stdout == "b\n")
    }

    @Test("break, continue and exit unwind loops")
    func controlFlow() async {
        let result = await Self.run(
            "foreach i in 1 2 3 4 { if echo { }; echo $i; if set parallel { break } }\nexit 7\necho never")
        #expect(result.stdout == "1\n")
        #expect(result.status == 7)
    }

    @Test("a syntax error is rendered with the line and caret and runs nothing")
    func syntaxError() async {
        let result = await Self.run("echo a\nforeach x in {")
        #expect(result.status == 2)
        #expect(result.stdout == "")
        #expect(
            result.stderr == "t.cfsh:2:14: expected the items to loop over after 'in'\nforeach x in {\n             ^\n"
        )
    }

    @Test("$(…) yields the lines a command prints, and failures inside it stop the run")
    func substitution() async {
        let result = await Self.run("let h = $(help exit)\necho ${h}")
        #expect(result.stdout.hasPrefix("usage: exit [STATUS]"))
        let failing = await Self.run("let h = $(help nope)\necho never")
        #expect(failing.status == 2)
        #expect(failing.stderr == "t.cfsh:1: help: no command named 'nope'; 'help' lists them\n")
    }
}
