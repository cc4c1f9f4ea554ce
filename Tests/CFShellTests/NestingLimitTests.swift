import Foundation
import Testing

@testable import CFShell
@testable import CFShellLanguage

/// One way of nesting: the source nested `depth` deep, and where the opener at `depth` starts.
struct NestingShape: Sendable, CustomTestStringConvertible {
    let name: String
    let source: @Sendable (Int) -> String
    /// The 1-based column (everything is on line 1) of the opener at `depth`.
    let column: @Sendable (Int) -> Int

    var testDescription: String { name }

    static let all: [NestingShape] = [
        NestingShape(
            name: "if blocks",
            source: { String(repeating: "if echo { ", count: $0) + "echo x" + String(repeating: " }", count: $0) },
            column: { 10 * ($0 - 1) + 9 }),
        NestingShape(
            name: "foreach blocks",
            source: {
                String(repeating: "foreach x in a { ", count: $0) + "echo x" + String(repeating: " }", count: $0)
            },
            column: { 17 * ($0 - 1) + 16 }),
        NestingShape(
            name: "$(…) in $(…)",
            source: { "echo " + String(repeating: "$(echo ", count: $0) + "x" + String(repeating: ")", count: $0) },
            column: { 5 + 7 * ($0 - 1) + 1 }),
        NestingShape(
            name: "\"$(…)\" in \"$(…)\"",
            source: { String(repeating: "echo \"$(", count: $0) + "echo x" + String(repeating: ")\"", count: $0) },
            column: { 8 * ($0 - 1) + 7 }),
        // Each `else if` nests one level deeper in the tree; the block of the chain's
        // last `if` is one level deeper still, so the opener at `depth` is that `{`.
        NestingShape(
            name: "else if chains",
            source: { "if echo { }" + String(repeating: " else if echo { }", count: $0 - 1) },
            column: { 11 + 17 * ($0 - 2) + 15 }),
        NestingShape(
            name: "$(…) inside blocks",
            source: {
                let blocks = $0 / 2
                let substitutions = $0 - blocks
                return String(repeating: "if echo { ", count: blocks) + "echo "
                    + String(repeating: "$(echo ", count: substitutions) + "x"
                    + String(repeating: ")", count: substitutions) + String(repeating: " }", count: blocks)
            },
            column: { 10 * ($0 / 2) + 5 + 7 * ($0 - $0 / 2 - 1) + 1 }),
    ]
}

/// Carries a result from a thread that `done.wait()` orders before its use.
final class ResultBox<T>: @unchecked Sendable {
    var value: T?
}

/// Deep nesting is a syntax error, never a stack overflow, whatever the stack it runs on.
@Suite struct NestingLimitTests {
    static let limit = 100

    static func parseAndCheck(_ source: String) -> ParseError? {
        do {
            try Shell.language.check(try Shell.language.parse(source, file: "t"))
            return nil
        } catch {
            return error
        }
    }

    /// Runs `body` on a thread with a 512 KiB stack, the size of a Swift concurrency thread's.
    static func onSmallStack<T: Sendable>(_ body: @escaping @Sendable () -> T) -> T {
        let box = ResultBox<T>()
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            box.value = body()
            done.signal()
        }
        thread.stackSize = 512 * 1024
        thread.start()
        done.wait()
        return box.value!
    }

    @Test(
        "nesting up to the limit parses and checks; one level more is an error at that opener",
        arguments: NestingShape.all)
    func atTheLimit(shape: NestingShape) {
        #expect(Parser.nestingLimit == Self.limit)
        #expect(Self.parseAndCheck(shape.source(Self.limit)) == nil)
        let error = Self.parseAndCheck(shape.source(Self.limit + 1))
        #expect(error?.message == "nesting deeper than \(Self.limit) levels of '{', 'else if' and '$(…)'")
        #expect(error?.location == SourceLocation(file: "t", line: 1, column: shape.column(Self.limit + 1)))
        #expect(error?.isIncompleteInput == false)
    }

    @Test("far deeper nesting is an error, not a crash, on a 512 KiB thread", arguments: NestingShape.all)
    func farBeyondOnASmallStack(shape: NestingShape) {
        let source = shape.source(20_000)
        let message = Self.onSmallStack { Self.parseAndCheck(source)?.message }
        #expect(message?.hasPrefix("nesting deeper than") == true)
    }

    @Test(
        "the limit fits a 512 KiB thread, also with a whole $(…) nest lexed inside the deepest block",
        arguments: NestingShape.all)
    func limitOnASmallStack(shape: NestingShape) {
        let atLimit = shape.source(Self.limit)
        #expect(Self.onSmallStack { Self.parseAndCheck(atLimit) } == nil)
        let worst =
            String(repeating: "if echo { ", count: Self.limit) + "echo "
            + String(repeating: "$(echo ", count: Self.limit) + String(repeating: ")", count: Self.limit)
        #expect(Self.onSmallStack { Self.parseAndCheck(worst)?.message.hasPrefix("nesting") } == true)
    }

    @Test("inside a Task, nesting at and far beyond the limit neither crashes nor runs")
    func insideATask() async {
        for shape in NestingShape.all {
            let atLimit = shape.source(Self.limit)
            let beyond = shape.source(5_000)
            let results = await Task.detached { (Self.parseAndCheck(atLimit), Self.parseAndCheck(beyond)) }.value
            #expect(results.0 == nil, "\(shape.name)")
            #expect(results.1?.message.hasPrefix("nesting deeper than") == true, "\(shape.name)")
        }
    }

    @Test("a script nested to the limit runs; a deeper one, even in a block that never runs, is a syntax error")
    func scripts() async {
        let deep =
            String(repeating: "if echo { ", count: Self.limit) + "echo deep"
            + String(repeating: " }", count: Self.limit)
        let ran = await ShellTests.run(deep)
        #expect(ran.status == 0)
        #expect(ran.stdout == "deep\n")
        let tooDeep =
            "echo first\nif ! echo {\n" + String(repeating: "foreach x in a {\n", count: 1_000)
            + String(repeating: "}\n", count: 1_000) + "}\n"
        let refused = await ShellTests.run(tooDeep)
        #expect(refused.status == 2)
        #expect(refused.stdout == "")
        #expect(refused.stderr.hasPrefix("t.cfsh:102:16: nesting deeper than 100 levels"))
    }

    @Test("the REPL asks for more lines up to the limit, then reports the error")
    func repl() async {
        var entry = ""
        for depth in 1...Self.limit {
            entry += "if echo {\n"
            #expect(REPL.needsMoreInput(entry), "at depth \(depth)")
        }
        entry += "if echo {\n"
        #expect(!REPL.needsMoreInput(entry))
        let shell = Shell(
            configuration: ShellConfiguration(
                scriptName: "cfsh", arguments: [], environment: [:], debug: false,
                currentDirectory: FileManager.default.temporaryDirectory.path),
            output: OutputChannel.capture(), errors: OutputChannel.capture())
        let outcome = await shell.runEntry(String(repeating: "if echo { ", count: 10_000))
        await shell.shutdown()
        #expect(outcome == .finished(status: 2))
    }

    @Test("a file that sources itself stops at the 'source' limit with an error")
    func sourceItself() async throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("self-\(UUID()).cfsh")
        try "echo in\nsource \(file.path)\n".write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let result = await ShellTests.run("source \(file.path)")
        #expect(result.status == 1)
        #expect(result.stdout == String(repeating: "in\n", count: 32))
        #expect(result.stderr.contains("'source' is nested too deeply (32 files)"))
    }
}
