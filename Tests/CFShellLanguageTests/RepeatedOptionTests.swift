import CFShellLanguage
import Testing

@Suite struct RepeatedOptionTests {
    struct Word: CommandWord {
        var text: String
        var isAlwaysOperand = false
        var location = SourceLocation(file: "-c", line: 1, column: 1)
    }

    static let spec = CommandSpec(
        "cp", "[--meta K=V]… SOURCE DEST", summary: "",
        options: [CommandSpec.Option("--meta", value: "K=V", help: "")], operands: 2...2)

    @Test("every value of a repeated option is kept in order; value() is the last")
    func repeated() throws {
        let words = ["--meta", "a=1", "src", "--meta=b=2", "--meta", "c=3", "dest"].map { Word(text: $0) }
        let parsed = try Self.spec.parse(words)
        #expect(parsed.values("--meta") == ["a=1", "b=2", "c=3"])
        #expect(parsed.value("--meta") == "c=3")
        #expect(parsed.operands.map(\.text) == ["src", "dest"])
        #expect(try Self.spec.parse(["x", "y"].map { Word(text: $0) }).values("--meta").isEmpty)
    }
}
