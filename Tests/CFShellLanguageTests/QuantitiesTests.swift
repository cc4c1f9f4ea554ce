import Testing

@testable import CFShellLanguage

/// The AGE and SIZE values of the filters, and the quoting `find` prints paths with.
@Suite struct QuantitiesTests {
    @Test(
        "ages: a number and a unit, parts added up",
        arguments: [
            ("30s", 30), ("30m", 1800), ("12h", 43_200), ("7d", 604_800), ("2w", 1_209_600), ("1d12h", 129_600),
            ("0s", 0), ("90m", 5400),
        ] as [(String, Int64)])
    func ages(text: String, seconds: Int64) {
        #expect(Quantities.ageSeconds(text) == seconds)
    }

    @Test(
        "ages that are refused rather than guessed or trapped on",
        arguments: [
            "", "7", "d", "7D", "7y", "7M", "-1d", "+1d", "1.5h", " 7d", "7d ", "nan", "inf", "0x10s",
            "99999999999999999999d", "9223372036854775807w", "10001w" + String(repeating: "9", count: 10), "1d1",
            "١d",
        ])
    func badAges(text: String) {
        #expect(Quantities.ageSeconds(text) == nil)
    }

    @Test(
        "sizes: bytes, or binary units with an optional fraction and B or iB",
        arguments: [
            ("0", 0), ("500", 500), ("500k", 512_000), ("500K", 512_000), ("10M", 10 << 20), ("1G", 1 << 30),
            ("2T", 2 << 40), ("1.5G", 3 << 29), ("1GiB", 1 << 30), ("1GB", 1 << 30), ("100B", 100), ("0.5k", 512),
        ] as [(String, Int64)])
    func sizes(text: String, bytes: Int64) {
        #expect(Quantities.bytes(text) == bytes)
    }

    @Test(
        "sizes that are refused",
        arguments: [
            "", "k", "-1", "+1", "1.5", "1e3", "nan", "inf", "0x10", "10X", "1 M", "1iB", "9999999999999T",
            "99999999999999999999", ".5M", "1.M", "1.0000000001G",
        ])
    func badSizes(text: String) {
        #expect(Quantities.bytes(text) == nil)
    }

    @Test(
        "a path find quotes lexes back to one word of exactly that text",
        arguments: [
            "/c/plain.sql", "/c/a b", "/c/it's", "/c/$HOME", "/c/line\nbreak", "/c/tab\tx", "/c/-r", "-r", "~x",
            "/c/star*", "/c/q?[a]", "/c/back\\slash", "/c/dq\"x", "/c/semi;colon", "/c/{b}(p)", "/c/#h", "/c/a|b>c&d<e",
            "/c/é", "/c/e\u{301}", "/c/\u{1b}[31m", "/c/\u{202e}x", "/c/\u{85}",
        ])
    func quotingRoundTrip(text: String) throws {
        let quoted = try #require(WordQuoting.quoted(text))
        let tokens = try Lexer.tokenize("cat " + quoted)
        #expect(tokens.count == 3, "\(quoted.debugDescription) is one word")
        guard tokens.count > 1, case .word(let pieces) = tokens[1].kind else {
            Issue.record("no word for \(quoted.debugDescription)")
            return
        }
        var read = ""
        for piece in pieces {
            switch piece {
            case .literal(let text):
                #expect(!text.contains { "*?[".contains($0) }, "a bare glob character in \(quoted.debugDescription)")
                read += text
            case .quoted(let text): read += text
            default: Issue.record("\(quoted.debugDescription) has a variable or a substitution")
            }
        }
        #expect(read.unicodeScalars.elementsEqual(text.unicodeScalars), "\(quoted.debugDescription)")
        #expect(!quoted.hasPrefix("-"))
    }

    @Test("an escape followed by a combining mark from the name is typeable: the lexer reads escapes by scalar")
    func fusedEscape() {
        // '\\' then U+0338: read by grapheme cluster, the second '\\' and the mark fused.
        let fused = "/c/it's" + "\\" + "\u{338}"
        let quoted = WordQuoting.quoted(fused)
        #expect(quoted != nil)
        if let quoted { #expect(WordQuoting.readsBack(quoted, as: fused)) }
        let single = "/c/a" + "\\" + "\u{338}"
        let expected = "'" + single + "'"
        #expect(WordQuoting.quoted(single) == expected)
    }
}
