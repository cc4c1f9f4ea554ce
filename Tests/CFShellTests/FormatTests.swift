import CloudFiles
import Testing

@testable import CFShell
@testable import CFShellLanguage

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
        let value = JSONValue.object([
            ("b", .int(1)), ("a", .string("q\"\n\u{1}")), ("n", .null), ("l", .array([.bool(true)])),
        ])
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

    private static func object(_ name: String, bytes: Int64) -> ListItem {
        .object(
            ObjectRecord(name: name, bytes: bytes, hash: "h", contentType: "t"), path: name,
            exact: RemotePath(container: "c", name: name))
    }

    @Test("ls prints names as they come, before the listing ends")
    func listingStreamsNames() {
        let output = OutputChannel.capture()
        let printer = ListingPrinter(style: .names, output: output)
        printer.add(Self.object("a", bytes: 1))
        printer.add(.folder(path: "d/", exact: RemotePath(container: "c", name: "d/")))
        #expect(output.text == "a\nd/\n")
        printer.endGroup()
        printer.finish()
        #expect(output.text == "a\nd/\n")
    }

    @Test("ls --json writes the same array item by item as it would whole, and [] for nothing")
    func listingStreamsJSON() {
        let items = [
            Self.object("a", bytes: 1), .folder(path: "d/", exact: RemotePath(container: "c", name: "d/")),
            Self.object("b", bytes: 22),
        ]
        let output = OutputChannel.capture()
        let printer = ListingPrinter(style: .json, output: output)
        for item in items { printer.add(item) }
        #expect(output.text.hasPrefix("[\n  {"), "the first item is out before the end")
        printer.finish()
        #expect(output.text == JSONValue.array(items.map(\.json)).pretty() + "\n")
        let empty = OutputChannel.capture()
        ListingPrinter(style: .json, output: empty).finish()
        #expect(empty.text == "[]\n")
    }

    @Test("ls -l sizes its columns over the first rows of an operand, then prints the rest as they come")
    func listingLongWindow() {
        let output = OutputChannel.capture()
        let printer = ListingPrinter(style: .long(human: false), output: output)
        for index in 0..<ListingPrinter.alignmentWindow - 1 { printer.add(Self.object("o\(index)", bytes: 5)) }
        printer.add(Self.object("wide", bytes: 12345))
        // The window is full: it is printed, aligned to its widest cell.
        var lines = output.text.split(separator: "\n")
        #expect(lines.count == ListingPrinter.alignmentWindow)
        #expect(lines.first == "    5  -  t  o0")
        #expect(lines.last == "12345  -  t  wide")
        // Later rows keep those widths, even a wider one.
        printer.add(Self.object("later", bytes: 7))
        printer.add(Self.object("huge", bytes: 1_234_567))
        printer.endGroup()
        lines = output.text.split(separator: "\n")
        #expect(lines.suffix(2) == ["    7  -  t  later", "1234567  -  t  huge"])
        // The next operand is sized afresh.
        printer.add(Self.object("x", bytes: 3))
        printer.endGroup()
        printer.finish()
        #expect(output.text.hasSuffix("\n3  -  t  x\n"))
    }
}
