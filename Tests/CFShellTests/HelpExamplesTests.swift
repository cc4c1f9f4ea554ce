import Testing

@testable import CFShell
@testable import CFShellLanguage

@Suite struct HelpExamplesTests {
    @Test("every command's help has one to three examples, each a statement cfsh reads")
    func everyCommandHasExamples() throws {
        for builtin in Builtins.all {
            let spec = Help.documented(builtin.spec)
            #expect((1...3).contains(spec.examples.count), "\(spec.name)")
            for example in spec.examples {
                #expect(example.contains(spec.name), "\(example)")
                do {
                    _ = try Shell.language.read(example, file: "example")
                } catch {
                    Issue.record("the example '\(example)' of \(spec.name) does not read: \(error)")
                }
            }
        }
    }
}
