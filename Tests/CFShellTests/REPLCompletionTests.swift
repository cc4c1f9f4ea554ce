import CFSHTestSupport
import Dispatch
import Foundation
import Testing

@testable import CFShell
@testable import CFShellLanguage

/// A session with fixed names. Listings answer like Swift with a `/`
/// delimiter: one level, deeper names rolled up into pseudo-folders.
final class FakeCompletionSource: CompletionSource, @unchecked Sendable {
    // `folder` and `local` are set before use; `listings` is guarded by `lock`.
    var folder: String? = "/"
    var local = "/nonexistent"
    let containers = ["backups", "it's", "photos 2024"]
    let objects = [
        "backups": ["2025/jan.sql", "2026/feb.sql", "db old.sql", "db.sql"],
        "photos 2024": ["beach.jpg"],
    ]
    private let lock = NSLock()
    private var listingCount = 0

    var listings: Int {
        lock.lock()
        defer { lock.unlock() }
        return listingCount
    }

    func completionCommands() -> [String] { ["cd", "get", "help", "lcd", "lls", "ls", "put", "rmdir", "stat"] }

    func completionOptions(for command: String) -> [String] {
        ["ls": ["-l", "--long", "-r", "--recursive", "--json"], "rmdir": ["--force"]][command] ?? []
    }

    func completionVariables() async -> [String] { ["today", "target", "HOME"] }
    func completionRemoteFolder() async -> String? { folder }
    func completionLocalFolder() async -> String { local }

    private func countListing() {
        lock.lock()
        listingCount += 1
        lock.unlock()
    }

    func completionRemoteNames(container: String?, prefix: String, limit: Int) async throws -> [String] {
        countListing()
        guard let container else { return containers.filter { $0.hasPrefix(prefix) } }
        var names: [String] = []
        for name in objects[container] ?? [] where name.hasPrefix(prefix) {
            let rest = name.dropFirst(prefix.count)
            let level = rest.firstIndex(of: "/").map { prefix + rest[...$0] } ?? name
            if !names.contains(level) { names.append(level) }
        }
        return names
    }
}

/// Runs `complete` the way the REPL does: on a thread outside Swift's
/// cooperative pool, since it blocks while the source answers.
func complete(_ completer: Completer, _ line: String) async -> Completions {
    let box = UncheckedBox(completer)
    return await withCheckedContinuation { continuation in
        DispatchQueue(label: "completion-test").async {
            continuation.resume(returning: box.value.complete(line: line, cursor: line.unicodeScalars.count))
        }
    }
}

/// Moves a completer to the test's completion thread, which alone uses it.
struct UncheckedBox<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}

@Suite("REPL Tab completion")
struct REPLCompletionTests {
    static func replacements(_ line: String, folder: String? = "/", local: String? = nil) async -> [String] {
        let source = FakeCompletionSource()
        source.folder = folder
        if let local { source.local = local }
        return await complete(Completer(source: source), line).suggestions.map(\.replacement)
    }

    @Test(
        "Command names, options and variables",
        arguments: [
            ("rmd", ["rmdir"]),
            ("l", ["lcd", "lls", "ls"]),
            ("-rmd", ["-rmdir"]),
            ("ls; rmd", ["rmdir"]),
            ("if rmd", ["rmdir"]),
            ("help rm", ["rmdir"]),
            ("ls --re", ["--recursive"]),
            ("rmdir --f", ["--force"]),
            ("echo $t", ["$target", "$today"]),
            ("ls # rmd", []),
        ])
    func names(line: String, expected: [String]) async {
        #expect(await Self.replacements(line) == expected)
    }

    @Test(
        "Remote names complete one level at a time, quoted when needed",
        arguments: [
            ("ls ba", ["backups/"]),
            ("ls ph", ["'photos 2024/'"]),
            ("ls it", ["\"it's/\""]),
            ("ls backups/2", ["backups/2025/", "backups/2026/"]),
            ("ls backups/2025/", ["backups/2025/jan.sql"]),
            ("ls backups/db", ["'backups/db old.sql'", "'backups/db.sql'"]),
            ("ls 'backups/db o", ["'backups/db old.sql'"]),
            ("ls backups/db\\ o", ["'backups/db old.sql'"]),
            ("ls 'photos 2024/", ["'photos 2024/beach.jpg'"]),
            ("ls /ba", ["/backups/"]),
            ("cd backups/", ["backups/2025/", "backups/2026/"]),
            ("rmdir b", ["backups"]),
            ("sync ba", ["backups/"]),
            ("sync --delete file:data backups/2", ["backups/2025/", "backups/2026/"]),
            ("stat nothing", []),
        ])
    func remote(line: String, expected: [String]) async {
        #expect(await Self.replacements(line) == expected)
    }

    @Test(
        "Remote names are relative to the working folder; '..' goes up",
        arguments: [
            ("/backups", "ls 20", ["2025/", "2026/"]),
            ("/backups/2025", "ls ../db.", ["../db.sql"]),
            ("/backups/2025", "get j", ["jan.sql"]),
        ])
    func relative(folder: String, line: String, expected: [String]) async {
        #expect(await Self.replacements(line, folder: folder) == expected)
    }

    @Test("Without a connection nothing remote is offered")
    func notConnected() async {
        #expect(await Self.replacements("ls ba", folder: nil).isEmpty)
    }

    @Test("A unique container is not final, so Tab can go on into it; an object is")
    func finality() async {
        let completer = Completer(source: FakeCompletionSource())
        #expect(await complete(completer, "ls ba").suggestions.map(\.isFinal) == [false])
        #expect(await complete(completer, "ls backups/db.").suggestions.map(\.isFinal) == [true])
        #expect(await complete(completer, "ls backups/2").suggestions.map(\.display) == ["2025/", "2026/"])
    }

    @Test("The replaced length covers the whole word, quotes and escapes included")
    func replacedLength() async {
        let completer = Completer(source: FakeCompletionSource())
        #expect(await complete(completer, "ls 'backups/db o").replacing == 13)
        #expect(await complete(completer, "ls backups/db\\ o").replacing == 13)
        #expect(await complete(completer, "echo $to").replacing == 3)
    }

    @Test("Pressing Tab again soon does not list again")
    func cached() async {
        let source = FakeCompletionSource()
        let completer = Completer(source: source)
        _ = await complete(completer, "ls backups/d")
        _ = await complete(completer, "ls backups/d")
        _ = await complete(completer, "ls backups/db")
        #expect(source.listings == 1)
        _ = await complete(completer, "ls backups/2025/")
        #expect(source.listings == 2)
    }

    @Test("Local paths in put's first slot, lcd takes folders only, get's later slots fall back to local")
    func local() async throws {
        let folder = try TemporaryFolder()
        try FileManager.default.createDirectory(atPath: folder.path + "/sub dir", withIntermediateDirectories: true)
        for name in ["a.txt", "ab.txt", ".hidden", "sub dir/inner.txt"] {
            #expect(FileManager.default.createFile(atPath: folder.path + "/" + name, contents: Data()))
        }
        #expect(await Self.replacements("put a", local: folder.path) == ["a.txt", "ab.txt"])
        #expect(await Self.replacements("put s", local: folder.path) == ["'sub dir/'"])
        #expect(await Self.replacements("put 'sub dir/", local: folder.path) == ["'sub dir/inner.txt'"])
        #expect(await Self.replacements("put .h", local: folder.path) == [".hidden"])
        #expect(await Self.replacements("lcd ", local: folder.path) == ["'sub dir/'"])
        #expect(await Self.replacements("get backups/db.sql a", local: folder.path) == ["a.txt", "ab.txt"])
        #expect(await Self.replacements("put a.txt ba", local: folder.path) == ["backups/"])
        #expect(
            await Self.replacements("put \(folder.path)/a", local: "/") == [
                "\(folder.path)/a.txt", "\(folder.path)/ab.txt",
            ])
    }
}

@Suite("Words of unfinished input")
struct REPLScannerTests {
    @Test(
        "The word at the end, its value and its open quote",
        arguments: [
            ("ls 'my f", "my f", "'" as Unicode.Scalar?),
            ("ls \"a\\\"b", "a\"b", "\""),
            ("ls a\\ b", "a b", nil),
            ("ls ", "", nil),
            ("ls x;", "", nil),
            ("put a 'b c'd", "b cd", nil),
        ] as [(String, String, Unicode.Scalar?)])
    func wordAtEnd(text: String, value: String, openQuote: Unicode.Scalar?) {
        let word = WordScanner(text).wordAtEnd
        #expect(word.value == value)
        #expect(word.openQuote == openQuote)
    }

    @Test("Statements restart word counting after ; { } and line breaks, and inside $(")
    func statements() {
        #expect(WordScanner("foreach x in a { get ").wordAtEnd.index == 1)
        #expect(WordScanner("ls\nput a ").wordAtEnd.index == 2)
        #expect(WordScanner("echo $(ls ph").precedingWords.map(\.value) == ["ls"])
        let outer = WordScanner("echo $(ls) ").precedingWords
        #expect(outer.count == 2)
        #expect(outer.last?.hasExpansion == true)
    }

    @Test(
        "A lone $name is a variable; a word with one inside is not",
        arguments: [
            ("echo $to", true), ("echo $", true), ("echo a$b", false), ("echo $a/b", false), ("echo '$a'", false),
        ])
    func variables(text: String, isVariable: Bool) {
        #expect(WordScanner(text).wordAtEnd.isVariableOnly == isVariable)
    }
}

@Suite("Quoting completed names")
struct REPLQuotingTests {
    @Test(
        "Bare, single or double quotes as the names require",
        arguments: [
            (["plain", "names"], nil, CompletionQuoting.Style.bare),
            (["a b", "c"], nil, .single),
            (["it's"], nil, .double),
            (["x"], "'" as Unicode.Scalar?, .single),
            (["x"], "\"", .double),
            (["glob*"], nil, .single),
            (["line\nbreak"], nil, .double),
        ] as [([String], Unicode.Scalar?, CompletionQuoting.Style)])
    func style(names: [String], openQuote: Unicode.Scalar?, expected: CompletionQuoting.Style) {
        #expect(CompletionQuoting.style(for: names, openQuote: openQuote) == expected)
    }

    @Test("Double quotes escape what the lexer would otherwise read")
    func doubleQuoted() {
        #expect(CompletionQuoting.quote("it's \"$x\"\\\n", style: .double) == "\"it's \\\"\\$x\\\"\\\\\\n\"")
    }

    @Test(
        "Quoted names lex back to themselves",
        arguments: [
            "a b", "it's", "$HOME", "x*y", "tab\there", "new\nline", "a|b", "x&y", "<in>", "it's a|b", "\u{301}a b",
            "\u{301}it's",
        ])
    func roundTrip(name: String) throws {
        let style = CompletionQuoting.style(for: [name], openQuote: nil)
        let tokens = try Lexer.tokenize("ls " + CompletionQuoting.quote(name, style: style))
        guard case .word(let pieces) = tokens[1].kind else {
            Issue.record("not a word: \(tokens[1])")
            return
        }
        #expect(pieces == [.quoted(name)])
    }
}

@Suite("Remote paths for completion listings")
struct REPLRemotePathTests {
    @Test(
        "Split into a container and a prefix",
        arguments: [
            ("ba", "/", nil, "ba"),
            ("backups/", "/", "backups", ""),
            ("backups/2026/f", "/", "backups", "2026/f"),
            ("f", "/backups/2026", "backups", "2026/f"),
            ("../x", "/backups/2026", "backups", "x"),
            ("../../o", "/backups/2026", nil, "o"),
            ("/p", "/backups", nil, "p"),
            ("./a", "/c", "c", "a"),
        ] as [(String, String, String?, String)])
    func split(typed: String, folder: String, container: String?, prefix: String) {
        #expect(RemotePathSplit(typed: typed, folder: folder) == RemotePathSplit(container: container, prefix: prefix))
    }

    @Test("A complete listing answers a longer prefix at the same level, not a deeper one")
    func cacheReuse() {
        let cache = RemoteNameCache()
        cache.store(["db.sql", "docs/", "x"], container: "c", prefix: "", complete: true)
        #expect(cache.names(container: "c", prefix: "d") == ["db.sql", "docs/"])
        #expect(cache.names(container: "c", prefix: "docs/") == nil)
        #expect(cache.names(container: "other", prefix: "d") == nil)
        cache.store(["a1"], container: "d", prefix: "a", complete: false)
        #expect(cache.names(container: "d", prefix: "a") == ["a1"])
        #expect(cache.names(container: "d", prefix: "a1") == nil)
    }

    @Test("Entries expire")
    func expiry() async throws {
        let cache = RemoteNameCache(lifetime: .milliseconds(50))
        cache.store(["x"], container: nil, prefix: "", complete: true)
        try await Task.sleep(for: .milliseconds(100))
        #expect(cache.names(container: nil, prefix: "") == nil)
    }
}

extension RemotePathSplit {
    init(container: String?, prefix: String) {
        self.init(typed: "", folder: "/")
        self.container = container
        self.prefix = prefix
    }
}
