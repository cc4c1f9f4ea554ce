import Foundation
import Testing

@testable import CFShellLanguage

/// Inputs the fuzzer (scripts/fuzz) found, kept so that they stay fixed.
@Suite struct FuzzRegressionTests {
    @Test(
        "the completion scanner ends on a '(' or ')' outside a '$('", .timeLimit(.minutes(1)),
        arguments: [").", "(", "echo a)", "ls (x", "echo $(a)) b", "))(("])
    func scannerEnds(text: String) {
        #expect(WordScanner(text).words.count <= text.count)
    }

    @Test(
        "every input kept in the fuzz corpus lexes, parses and scans without a crash or hang",
        .timeLimit(.minutes(1)))
    func corpus() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../Fuzz/corpus").standardized
        var count = 0
        for target in ["lexer", "parser"] {
            let folder = root.appendingPathComponent(target)
            for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) {
                let source = String(decoding: try Data(contentsOf: folder.appendingPathComponent(name)), as: UTF8.self)
                _ = try? TestLanguage.language.read(source, file: "fuzz")
                _ = WordScanner(source).wordAtEnd
                count += 1
            }
        }
        #expect(count > 10)
    }
}
