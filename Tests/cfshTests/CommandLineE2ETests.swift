import CFSHTestSupport
import Foundation
import Testing

/// `cfsh COMMAND ARG…`, usage errors of the executable, `cfsh help`, and standard input that
/// is not a terminal, through the built binary.
@Suite(.serialized, .timeLimit(.minutes(5))) struct CommandLineE2ETests {
    /// Runs `cfsh ARGUMENTS` connected to the local server as test:tester.
    static func cfshWords(
        _ arguments: [String], stdin: String = "", in scratch: TemporaryFolder? = nil
    ) async throws -> CommandResult {
        try await CFSHBinary.run(
            arguments, stdin: stdin, environment: LocalServer.environment, directory: scratch?.path)
    }

    @Test("cfsh ls CONTAINER lists it, as 'ls CONTAINER' at the prompt does; cfsh's own options may come first")
    func oneShotList() async throws {
        try await withContainer("cli") { container, scratch in
            try scratch.write("a.txt", "aaaa")
            try scratch.write("b.txt", "bb")
            let setup = try await cfsh("mkdir \(container); put a.txt b.txt \(container)/", in: scratch)
            #expect(setup.status == 0, "\(setup)")
            let listed = try await Self.cfshWords(["ls", container])
            listed.expect(status: 0, stdout: "\(container)/a.txt\n\(container)/b.txt\n", stderr: "")
            let sameAsScript = try await cfsh("ls \(container)")
            #expect(listed.stdout == sameAsScript.stdout)
            let debug = try await Self.cfshWords(["--debug", "ls", "-l", container])
            #expect(debug.status == 0, "\(debug)")
            #expect(debug.lines.count == 2)
            #expect(debug.stderr.contains("GET"), "--debug before the command is cfsh's own option")
            let missing = try await Self.cfshWords(["stat", "\(container)/no-such-object"])
            #expect(missing.status == 1, "\(missing)")
            #expect(missing.stderr.hasPrefix("cfsh:1: stat: "), "\(missing)")
        }
    }

    @Test("cfsh put and get take each word as one name, exactly: spaces, '$' and '*' stay literal")
    func oneShotTransfersKeepNames() async throws {
        try await withContainer("cli") { container, scratch in
            let name = "my $HOME file.txt"
            try scratch.write(name, "dollar and space\n")
            let mkdir = try await Self.cfshWords(["mkdir", container])
            #expect(mkdir.status == 0, "\(mkdir)")
            let put = try await Self.cfshWords(["put", name, "\(container)/"], in: scratch)
            #expect(put.status == 0, "\(put)")
            #expect(try await LocalServer.objectNames(container) == [name])
            let get = try await Self.cfshWords(["get", "\(container)/\(name)", "back $x.txt"], in: scratch)
            #expect(get.status == 0, "\(get)")
            #expect(scratch.read("back $x.txt") == "dollar and space\n")

            // A '*' from the command line is a character of the name, never a pattern: rm of
            // 'x*' deletes that one object and leaves 'xy'.
            try scratch.write("x*", "star\n")
            try scratch.write("xy", "why\n")
            let both = try await cfsh("put 'x*' xy \(container)/", in: scratch)
            #expect(both.status == 0, "\(both)")
            let rm = try await Self.cfshWords(["rm", "\(container)/x*"])
            #expect(rm.status == 0, "\(rm)")
            #expect(try await LocalServer.objectNames(container) == [name, "xy"])
        }
    }

    @Test("an unknown command is a usage error, exit 2, with a suggestion")
    func unknownCommand() async throws {
        let typo = try await CFSHBinary.run(["lss", "x"])
        typo.expect(status: 2, stdout: "", stderr: "cfsh: unknown command 'lss'; did you mean 'ls'?\n")
        let unknown = try await CFSHBinary.run(["nosuchcommand"])
        #expect(unknown.status == 2)
        #expect(unknown.stdout == "")
        #expect(unknown.stderr.hasPrefix("cfsh: unknown command 'nosuchcommand'; "), "\(unknown)")
        #expect(unknown.stderr.hasSuffix("?\n") || unknown.stderr.contains("'cfsh help' lists the commands"))
        let script = try await CFSHBinary.run(["backup.cfsh", "dumps"])
        script.expect(
            status: 2, stdout: "",
            stderr: "cfsh: unknown command 'backup.cfsh'; to run a script, write: cfsh run backup.cfsh\n")
        let keyword = try await CFSHBinary.run(["foreach", "x", "in", "a"])
        #expect(keyword.status == 2)
        #expect(keyword.stderr.hasPrefix("cfsh: 'foreach' is a statement, not a command"), "\(keyword)")
    }

    @Test("every usage error exits 2: the executable's options, run's, and a command's")
    func usageErrorsExitTwo() async throws {
        let runBogus = try await CFSHBinary.run(["run", "--bogus"])
        #expect(runBogus.status == 2, "\(runBogus)")
        let runBogusFile = try await CFSHBinary.run(["run", "--bogus", "x.cfsh"])
        #expect(runBogusFile.status == 2, "\(runBogusFile)")
        #expect(runBogusFile.stderr.hasPrefix("Error: Unknown option '--bogus'"), "\(runBogusFile)")
        let bogus = try await CFSHBinary.run(["--bogus"])
        #expect(bogus.status == 2, "\(bogus)")
        #expect(bogus.stderr.contains("--bogus"), "\(bogus)")
        let noFile = try await CFSHBinary.run(["run"])
        #expect(noFile.status == 2, "\(noFile)")
        let extra = try await CFSHBinary.run(["-c", "echo hi", "stray"])
        #expect(extra.status == 2, "\(extra)")
        let option = try await CFSHBinary.run(["ls", "-z", "/"])
        option.expect(
            status: 2, stdout: "",
            stderr: "cfsh:1:4: ls: unknown option '-z'; usage: ls [-l] [-h] [-r] [--json] [PATH…]\nls -z /\n   ^\n")
        // A status a command chose is kept, even 64.
        let chosen = try await CFSHBinary.run(["exit", "64"])
        chosen.expect(status: 64, stdout: "", stderr: "")
        let chosenByText = try await CFSHBinary.command("exit 64")
        chosenByText.expect(status: 64, stdout: "", stderr: "")
    }

    @Test("cfsh help lists the commands, cfsh help COMMAND describes one, cfsh --help mentions them")
    func help() async throws {
        let list = try await CFSHBinary.run(["help"])
        let listInside = try await CFSHBinary.command("help")
        list.expect(status: 0, stdout: listInside.stdout, stderr: "")
        for name in ["ls", "put", "get", "rm", "help"] {
            #expect(list.stdout.contains("\n\(name) ") || list.stdout.hasPrefix("\(name) "), "cfsh help lists \(name)")
        }
        #expect(!list.stdout.contains("USAGE:"))
        let one = try await CFSHBinary.run(["help", "ls"])
        let oneInside = try await CFSHBinary.command("help ls")
        one.expect(status: 0, stdout: oneInside.stdout, stderr: "")
        #expect(one.stdout.hasPrefix("usage: ls "))
        let flag = try await CFSHBinary.run(["ls", "--help"])
        flag.expect(status: 0, stdout: one.stdout, stderr: "")
        let executable = try await CFSHBinary.run(["--help"])
        #expect(executable.status == 0)
        #expect(executable.stdout.contains("USAGE: cfsh"))
        #expect(executable.stdout.contains("'cfsh help' lists the commands"), "\(executable)")
        let run = try await CFSHBinary.run(["help", "run"])
        #expect(run.status == 0)
        #expect(run.stdout.contains("USAGE: cfsh run"), "\(run)")
    }

    @Test("input that is not a terminal runs as 'cfsh run -': the first failure stops it with exit 1")
    func pipedInputStopsAtFirstFailure() async throws {
        try await withContainer("cli") { container, _ in
            let later = container + "-later"
            let result = try await Self.cfshWords(
                [],
                stdin: """
                    mkdir \(container)
                    echo made
                    stat \(container)/no-such-object
                    mkdir \(later)
                    echo never

                    """)
            #expect(result.status == 1, "\(result)")
            #expect(result.stdout == "made\n")
            #expect(result.stderr.hasPrefix("<stdin>:3: stat: "), "\(result)")
            #expect(try await LocalServer.containerExists(container))
            #expect(try await LocalServer.containerExists(later) == false, "the command after the failure ran")
            await LocalServer.removeContainer(later)
        }
    }
}

/// A person at a terminal is not a script, even without line editing.
@Suite(.timeLimit(.minutes(2))) struct DumbTerminalTests {
    @Test("on a terminal with TERM=dumb, a failure is reported and the next line still runs")
    func dumbTerminalGoesOn() async throws {
        let session = try PTYSession(environment: ["TERM": "dumb"])
        try session.enter("lcd /nonexistent-folder")
        try await session.waitFor("no folder '/nonexistent-folder'")
        try session.enter("let w = here; echo still-$w")
        try await session.waitFor("\nstill-here")
        #expect(try session.exitStatus() == nil)
        try session.enter("exit")
        _ = try await session.waitForExit()
    }
}
