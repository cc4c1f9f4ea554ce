import Foundation
import Testing

@testable import CFShellLanguage

/// A long word of one kind: `unit` repeated to about `bytes`.
struct LongWord: Sendable, CustomTestStringConvertible {
    let name: String
    let unit: String
    var prefix = ""
    var suffix = ""

    var testDescription: String { name }

    func source(bytes: Int) -> String {
        prefix + String(repeating: unit, count: bytes / unit.utf8.count) + suffix
    }

    static let all: [LongWord] = [
        LongWord(name: "bare word", unit: "a"),
        LongWord(name: "single-quoted", unit: "a", prefix: "'", suffix: "'"),
        LongWord(name: "double-quoted", unit: "a", prefix: "\"", suffix: "\""),
        LongWord(name: "escapes", unit: "\\a"),
        LongWord(name: "empty strings glued", unit: "\"\""),
        LongWord(name: "quoted and bare alternating", unit: "'a'b"),
        LongWord(name: "variables glued", unit: "$a"),
        LongWord(name: "non-ASCII", unit: "é"),
        LongWord(name: "words in one $(…)", unit: "a ", prefix: "echo $(echo ", suffix: ")"),
    ]
}

/// Lexing, parsing and completion scanning take time linear in the text.
///
/// Not a benchmark: the quadratic lexer took 95 s for 1 MiB, so over 6 minutes for
/// 2 MiB; the linear one takes a few seconds in a debug build. A bound of 60 s holds
/// on a loaded machine and still tells the two apart.
@Suite struct LexerLinearityTests {
    static let bound = Duration.seconds(60)

    @Test("a 2 MiB word is lexed and parsed in linear time", .timeLimit(.minutes(3)), arguments: LongWord.all)
    func lexAndParse(word: LongWord) throws {
        let source = "echo " + word.source(bytes: 2 << 20)
        let clock = ContinuousClock()
        let elapsed = try clock.measure {
            let script = try Parser.parse(source, knownCommands: nil)
            #expect(script.statements.count == 1)
        }
        #expect(elapsed < Self.bound, "\(elapsed)")
    }

    @Test("a 2 MiB line is scanned for completion in linear time", .timeLimit(.minutes(3)), arguments: LongWord.all)
    func completionScan(word: LongWord) {
        let source = "echo " + word.source(bytes: 2 << 20)
        let clock = ContinuousClock()
        let elapsed = clock.measure {
            #expect(!WordScanner(source).words.isEmpty)
        }
        #expect(elapsed < Self.bound, "\(elapsed)")
    }

    @Test("lexing is unchanged on a long word: one piece per run of the same kind")
    func pieces() throws {
        let tokens = try Lexer.tokenize("a'b'c\"d\"" + String(repeating: "x", count: 100_000) + "\"\"$v\"\"")
        #expect(tokens.count == 2)
        #expect(
            tokens[0].kind
                == .word([
                    .literal("a"), .quoted("b"), .literal("c"), .quoted("d"),
                    .literal(String(repeating: "x", count: 100_000)), .quoted(""),
                    .variable(
                        VariableReference(
                            .named("v"), location: SourceLocation(file: "<input>", line: 1, column: 100_011)),
                        quoted: false),
                    .quoted(""),
                ]))
    }
}
