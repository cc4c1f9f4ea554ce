import CloudFiles
import Foundation
import Testing

@testable import CFShell
@testable import CFShellLanguage

/// A seeded generator, so that a failing name can be found again.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Names built from the pieces that break paths: separators, dots, control and C1
/// characters, combining marks, glob characters and a leading `-`.
enum HostileNameGenerator {
    static let pieces: [String] = [
        "/", "/", ".", "..", "a", "b", "-", "-r", "*", "?", "[", "]", "\\", " ", "\n", "\r", "\t", "\u{1b}", "\u{07}",
        "\u{7f}", "\u{85}", "\u{9b}", "\u{301}", "\u{20DD}", "\u{338}", "é", "e\u{301}", "\u{202E}", "\u{2028}", "~",
    ]

    static func name(_ random: inout SplitMix64) -> String {
        let count = Int.random(in: 1...8, using: &random)
        var name = ""
        for _ in 0..<count { name += pieces.randomElement(using: &random)! }
        // Random bytes too, read as UTF-8 (invalid ones become U+FFFD, as a listing's JSON would).
        if Bool.random(using: &random) {
            let bytes = (0..<Int.random(in: 1...4, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random)
            }
            name += String(decoding: bytes, as: UTF8.self)
        }
        return name
    }

    static func names(count: Int, seed: UInt64) -> [String] {
        var random = SplitMix64(state: seed)
        return (0..<count).map { _ in name(&random) }
    }
}

@Suite struct NameRoundTripTests {
    static let names = HostileNameGenerator.names(count: 2000, seed: 11)
    static let bases = [RemotePath.root, RemotePath(container: "c"), RemotePath(container: "c", name: "a/")]

    private static func same(_ a: RemotePath, _ b: RemotePath) -> Bool {
        a.container.map { Array($0.utf8) } == b.container.map { Array($0.utf8) }
            && a.name.utf8.elementsEqual(b.name.utf8)
    }

    @Test("a name ls prints into $(…), read back as a path, is the same object, wherever cd is")
    func listingRoundTrip() {
        var failures: [String] = []
        for name in Self.names {
            let path = RemotePath(container: "c", name: name)
            for base in Self.bases {
                let output = OutputChannel.substitution()
                let printer = ListingPrinter(style: .names, output: output)
                printer.add(
                    .object(
                        ObjectRecord(name: name, bytes: 1, hash: "", contentType: ""),
                        path: path.display(relativeTo: base), exact: path))
                printer.add(.folder(path: "next/", exact: RemotePath(container: "c", name: "next/")))
                let items = output.takeItems()
                // As the evaluator hands a `$(…)` item to a command, options read first.
                let arguments = items.map { Argument($0.text, exact: $0.exact) }
                let parsed = try? Builtins.named("rm")!.spec.parse(arguments)
                let back = (try? parsed?.operands.map { try $0.remotePath(from: base) }) ?? []
                let isFolder = try? parsed?.operands[0].isFolder(from: base)
                if back.count != 2 || !Self.same(back[0], path) || isFolder != false {
                    failures.append(name.debugDescription)
                }
            }
        }
        #expect(
            failures.isEmpty,
            "\(failures.count) of \(Self.names.count * 3) did not round-trip, e.g. \(failures.prefix(5))")
    }

    @Test("a typed display of a name that is below the working folder resolves to it byte for byte when it is plain")
    func displayIsBytewise() {
        let base = RemotePath(container: "c", name: "e\u{301}/")
        let other = RemotePath(container: "c", name: "\u{e9}/x")
        // Canonically equal to the base, but a different object: shown absolute.
        #expect(other.display(relativeTo: base) == "/c/\u{e9}/x")
        #expect(Self.same(RemotePath.resolve(other.display(relativeTo: base), from: base), other))
    }

    @Test("escaped names hold no C0, C1 or DEL character, and escaping twice changes nothing")
    func escaping() {
        for name in Self.names {
            let shown = Names.printable(name)
            #expect(
                !shown.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) },
                "\(name.debugDescription)")
            #expect(Names.printable(shown) == shown)
        }
        #expect(
            Names.printable("a\u{1b}]0;t\u{07}\r\n\u{9b}\u{7f}\u{202e}b") == "a\\e]0;t\\a\\r\\n\\u009b\\x7f\\u202eb")
        #expect(Names.printable("plain/é x") == "plain/é x")
    }

    @Test("ls escapes names on a terminal, in every style but --json, and prints them raw on a pipe")
    func terminalListing() {
        let name = "x\u{1b}[2Jy\n\u{9b}z"
        let item = ListItem.object(
            ObjectRecord(name: name, bytes: 1, hash: "", contentType: "t\u{07}"), path: name,
            exact: RemotePath(container: "c", name: name))
        let terminal = OutputChannel.capture(isTerminal: true)
        ListingPrinter(style: .names, output: terminal).add(item)
        #expect(terminal.text == "x\\e[2Jy\\n\\u009bz\n")
        let long = OutputChannel.capture(isTerminal: true)
        let printer = ListingPrinter(style: .long(human: false), output: long)
        printer.add(item)
        printer.endGroup()
        #expect(long.text.hasSuffix("t\\a  x\\e[2Jy\\n\\u009bz\n"), "\(long.text.debugDescription)")
        let pipe = OutputChannel.capture()
        ListingPrinter(style: .names, output: pipe).add(item)
        #expect(pipe.text == name + "\n")
        let json = OutputChannel.capture(isTerminal: true)
        let jsonPrinter = ListingPrinter(style: .json, output: json)
        jsonPrinter.add(item)
        jsonPrinter.finish()
        #expect(json.text.contains("\"x\\u001b[2Jy\\n\\u009bz\""), "\(json.text.debugDescription)")
    }

    @Test("a progress line and an error message show a hostile name escaped")
    func progressAndErrors() {
        let line = ProgressLine.render(label: "a\u{1b}]0;x\u{07}", done: 1, total: 2, elapsed: .seconds(1), width: 80)
        #expect(!line.unicodeScalars.contains { Names.needsEscape($0) })
        let error = CloudFilesError.notFound.with(message: "object \(Names.quoted("a\nb\u{1b}")) not found")
        #expect(error.description.contains("'a\\nb\\e'"))
    }

    @Test("globs match Unicode scalars: * stops at a / followed by a combining mark")
    func globScalars() {
        #expect(!GlobPattern("*/").matches("a/\u{301}b/"))
        #expect(GlobPattern("*/*/").matches("a/\u{301}b/"))
        #expect(!GlobPattern("e\u{301}").matches("\u{e9}"))
    }
}
