import Testing

@testable import CFShellLanguage

@Suite struct HelpWrappingTests {
    @Test("a paragraph is broken at spaces to the width; a short line is left alone")
    func paragraph() {
        let text = "one two three four five six seven eight nine ten"
        #expect(HelpWrapping.wrap(text, width: 20) == "one two three four\nfive six seven eight\nnine ten")
        #expect(HelpWrapping.wrap("short line", width: 20) == "short line")
    }

    @Test("an option's help goes on under its own column")
    func hangingIndent() {
        let line = "  --leave-segments  keep the segments of large objects that are deleted"
        #expect(
            HelpWrapping.wrap(line, width: 40)
                == "  --leave-segments  keep the segments of\n                    large objects that\n                    are deleted"
        )
    }

    @Test("a word longer than the width stays whole; examples are listed after the options")
    func longWordAndExamples() {
        #expect(
            HelpWrapping.wrap("a " + String(repeating: "x", count: 30), width: 20) == "a\n"
                + String(repeating: "x", count: 30))
        let spec = CommandSpec("demo", "", summary: "Demo.", examples: ["demo  # it"])
        #expect(spec.helpText.hasSuffix("\nexamples:\n  demo  # it\n"))
    }
}
