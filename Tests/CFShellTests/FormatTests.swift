import Testing

@testable import CFShell

@Suite struct FormatTests {
    @Test(
        "sizes print as bytes, or in powers of 1024 with -h",
        arguments: [
            (Int64(0), false, "0"), (1023, true, "1023"), (1024, true, "1.0K"), (1536, true, "1.5K"),
            (10 * 1024, true, "10K"), (5 * 1024 * 1024, true, "5.0M"), (3 << 30, true, "3.0G"),
            (123_456_789, false, "123456789"),
        ] as [(Int64, Bool, String)])
    func sizes(bytes: Int64, human: Bool, expected: String) {
        #expect(Format.size(bytes, human: human) == expected)
    }

    @Test("tables align columns two spaces apart, numbers to the right, with no trailing blanks")
    func table() {
        let lines = Format.table([["1", "x", "long-name"], ["1234", "yy", "n"]], rightAligned: [0])
        #expect(lines == ["   1  x   long-name", "1234  yy  n"])
    }

    @Test("JSON keeps key order and escapes control characters")
    func json() {
        let value = JSONValue.object([("b", .int(1)), ("a", .string("q\"\n\u{1}")), ("n", .null), ("l", .array([.bool(true)]))])
        #expect(value.serialized() == #"{"b":1,"a":"q\"\n\u0001","n":null,"l":[true]}"#)
        #expect(JSONValue.array([]).pretty() == "[]")
        #expect(JSONValue.object([("k", .int(2))]).pretty() == "{\n  \"k\": 2\n}")
    }
}

@Suite struct SettingsTests {
    @Test(
        "sizes for segment-size read K, M, G and T as powers of 1024",
        arguments: [
            ("1048576", Int64(1 << 20)), ("512K", 512 << 10), ("100M", 100 << 20), ("1G", 1 << 30), ("1.5g", 3 << 29),
            ("2TB", 2 << 40), ("0", nil), ("-1M", nil), ("lots", nil), ("", nil),
        ] as [(String, Int64?)])
    func parseSize(text: String, expected: Int64?) {
        #expect(Settings.parseSize(text) == expected)
    }
}
