import CFSHTestSupport
import CloudFiles
import Foundation
import Testing

/// A name alone, for merge tests.
private struct Name: SyncNamed, Equatable {
    var relativeName: String
    init(_ name: String) { relativeName = name }
}

/// A plain array as an AsyncSequence, yielding in the given order (sorted or not).
private struct Listed: AsyncSequence, Sendable {
    typealias Element = Name
    var names: [String]
    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(names: names) }
    struct AsyncIterator: AsyncIteratorProtocol {
        var names: [String]
        var index = 0
        mutating func next() async throws -> Name? {
            guard index < names.count else { return nil }
            defer { index += 1 }
            return Name(names[index])
        }
    }
}

/// `count` synthetic names made on the fly, never held: `f00000000`, … with every `step`-th
/// one (shifted by `offset`) left out, so that the two sides differ.
private struct Synthetic: AsyncSequence, Sendable {
    typealias Element = Name
    var count: Int
    var skipEvery: Int
    var offset: Int
    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(spec: self) }
    struct AsyncIterator: AsyncIteratorProtocol {
        let spec: Synthetic
        var index = 0
        mutating func next() async throws -> Name? {
            while index < spec.count {
                defer { index += 1 }
                if (index + spec.offset) % spec.skipEvery == 0 { continue }
                return Name("dir/" + String(format: "f%09d", index) + "/file.bin")
            }
            return nil
        }
    }
}

private func merged(_ source: [String], _ destination: [String]) async throws -> [String] {
    var out: [String] = []
    for try await entry in SortedMerge(source: Listed(names: source), destination: Listed(names: destination)) {
        switch entry {
        case .onlySource(let s): out.append("S " + s.relativeName)
        case .onlyDestination(let d): out.append("D " + d.relativeName)
        case .both(let s, let d):
            #expect(Array(s.relativeName.utf8) == Array(d.relativeName.utf8))
            out.append("B " + s.relativeName)
        }
    }
    return out
}

private func byteSorted(_ names: [String]) -> [String] {
    names.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
}

@Suite("Sync: sorted merge, local walk, shards")
struct SyncMergeTests {
    static let nfc = "\u{E9}"  // é, one scalar: C3 A9
    static let nfd = "e\u{301}"  // e + combining acute: 65 CC 81

    @Test("names that sort differently per component than per full path merge by bytes")
    func componentOrder() async throws {
        // Byte order of full paths: '-' (2D) < '.' (2E) < '/' (2F) < '0' (30).
        let names = ["a-b", "a.b", "a/b", "a0"]
        #expect(byteSorted(names) == names)
        let result = try await merged(["a-b", "a/b", "a0"], ["a.b", "a/b"])
        #expect(result == ["S a-b", "D a.b", "B a/b", "S a0"])
    }

    @Test("é in NFC and in NFD are two names, in byte order, never matched to each other")
    func normalisationForms() async throws {
        #expect(Self.nfc == Self.nfd)  // Swift's String equality: canonical equivalence
        let sorted = byteSorted([Self.nfc, Self.nfd])
        #expect(Array(sorted[0].utf8) == Array(Self.nfd.utf8))
        let result = try await merged([Self.nfd], [Self.nfc])
        #expect(result.count == 2)
        #expect(Array(result[0].utf8) == Array(("S " + Self.nfd).utf8))
        #expect(Array(result[1].utf8) == Array(("D " + Self.nfc).utf8))
        let both = try await merged([Self.nfd, Self.nfc], [Self.nfc])
        #expect(both.count == 2 && both[0].hasPrefix("S ") && both[1].hasPrefix("B "))
        #expect(Array(both[1].utf8) == Array(("B " + Self.nfc).utf8))
    }

    @Test("an empty side: everything is only on the other")
    func emptySides() async throws {
        #expect(try await merged([], []) == [])
        #expect(try await merged(["a", "b"], []) == ["S a", "S b"])
        #expect(try await merged([], ["a", "b"]) == ["D a", "D b"])
    }

    @Test("out-of-order input fails, naming the side, before anything about the name is yielded")
    func outOfOrder() async throws {
        // A '/' listing order (per component) instead of byte order.
        await #expect(throws: SortedMergeError(side: .source, previous: "a/b", next: "a-b")) {
            _ = try await merged(["a/b", "a-b"], [])
        }
        await #expect(throws: SortedMergeError(side: .destination, previous: "b", next: "a")) {
            _ = try await merged(["a", "b"], ["b", "a"])
        }
        // A repeat: the merge would otherwise report the name twice.
        let error = await #expect(throws: SortedMergeError.self) {
            _ = try await merged(["x", "y"], ["x", "x"])
        }
        #expect(error?.description.contains("repeats") == true)
        // A destination entry that a broken listing sends back after its partner is
        // never taken as missing from the source (and so never deleted).
        var yielded: [String] = []
        do {
            for try await entry in SortedMerge(
                source: Listed(names: ["a", "b", "c"]), destination: Listed(names: ["a", "c", "b"]))
            {
                yielded.append(entry.relativeName)
            }
            Issue.record("the merge accepted a destination out of order")
        } catch is SortedMergeError {}
        #expect(!yielded.contains("b") || yielded.filter { $0 == "b" }.count == 1)
        #expect(!yielded.contains("c"))
    }

    @Test("the local walk yields files in byte order: a-b, a.b, a/…, a0; é NFC and NFD; empty folders add nothing")
    func localWalkOrder() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let files = [
            "a-b", "a.b", "a/x", "a/y/z", "a0", "b", Self.nfc, Self.nfd, "z/ab", "z/a-", "z/a/c",
        ]
        for name in files {
            let path = folder.file(name)
            try FileManager.default.createDirectory(
                atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            #expect(FileManager.default.createFile(atPath: path, contents: Data(name.utf8)))
        }
        try FileManager.default.createDirectory(atPath: folder.file("empty/inner"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: folder.file("link"), withDestinationPath: folder.file("a"))
        var walked: [LocalTreeEntry] = []
        let issues = IssueBox()
        for try await entry in LocalTree(root: folder.path, issues: { issues.add($0) }) { walked.append(entry) }
        let names = walked.map(\.relativeName)
        let expected = byteSorted(files + ["link"])
        #expect(names.map { Array($0.utf8) } == expected.map { Array($0.utf8) })
        #expect(walked.first { $0.relativeName == "link" }?.kind == .symbolicLink)
        #expect(walked.filter { $0.kind == .file }.count == files.count)
        #expect(walked.first { $0.relativeName == "a/y/z" }?.size == 5)
        #expect(issues.all.isEmpty)
    }

    @Test("a local name that is not UTF-8 is not walked, and is reported")
    func nonUTF8Name() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try folder.write("ok", "x")
        // The bytes 'b' 0xFF: not UTF-8.
        var path = Array(folder.path.utf8) + [0x2F, 0x62, 0xFF, 0]
        let descriptor = path.withUnsafeMutableBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { open($0.baseAddress!, O_CREAT | O_WRONLY, 0o644) }
        }
        #expect(descriptor >= 0)
        close(descriptor)
        let issues = IssueBox()
        var names: [String] = []
        for try await entry in LocalTree(root: folder.path, issues: { issues.add($0) }) {
            names.append(entry.relativeName)
        }
        #expect(names == ["ok"])
        #expect(issues.all.count == 1)
        #expect(issues.all.first?.reason.contains("not UTF-8") == true)
    }

    @Test("a walk merges with a listing of the same names: everything is .both")
    func walkMergesWithSortedNames() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let files = ["a-b", "a.b", "a0", "a/b-c", "a/b/c", Self.nfc, Self.nfd]
        for name in files {
            let path = folder.file(name)
            try FileManager.default.createDirectory(
                atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            #expect(FileManager.default.createFile(atPath: path, contents: Data()))
        }
        // "a/b" is both a file and (a/b/c) a folder: impossible on disk; drop the clash.
        let onDisk = files.filter { $0 != "a/b" }
        let listing = Listed(names: byteSorted(onDisk))
        var kinds: [String] = []
        for try await entry in SortedMerge(source: LocalTree(root: folder.path, issues: { _ in }), destination: listing)
        {
            if case .both = entry { kinds.append("both") } else { kinds.append("other " + entry.relativeName) }
        }
        #expect(kinds == Array(repeating: "both", count: onDisk.count))
    }

    @Test("shards: FNV-1a 64 of the name's bytes, fixed values; every name in exactly one shard")
    func shards() {
        // Reference values of FNV-1a 64 (the published test vectors).
        #expect(SyncShard.fnv1a64(Array("".utf8)) == 0xcbf2_9ce4_8422_2325)
        #expect(SyncShard.fnv1a64(Array("a".utf8)) == 0xaf63_dc4c_8601_ec8c)
        #expect(SyncShard.fnv1a64(Array("foobar".utf8)) == 0x8594_4171_f739_67e8)
        #expect(SyncShard("0/4") != nil && SyncShard("4/4") == nil && SyncShard("-1/4") == nil)
        #expect(SyncShard("1/0") == nil && SyncShard("x") == nil && SyncShard("1/2/3") == nil)
        let shards = (0..<4).map { SyncShard(index: $0, count: 4)! }
        var counts = [0, 0, 0, 0]
        for index in 0..<4000 {
            let name = "file-\(index).bin"
            let owners = shards.filter { $0.contains(name) }
            #expect(owners.count == 1)
            counts[owners[0].index] += 1
        }
        #expect(counts.allSatisfy { $0 > 800 })
    }

    @Test("200,000 entries a side merge in flat memory (RSS at 20,000 and 200,000)", .timeLimit(.minutes(3)))
    func flatMemory() async throws {
        func run(_ count: Int) async throws -> (rss: Int64, counts: [Int]) {
            try PeakRSS.reset()
            var counts = [0, 0, 0]
            for try await entry in SortedMerge(
                source: Synthetic(count: count, skipEvery: 7, offset: 0),
                destination: Synthetic(count: count, skipEvery: 5, offset: 3))
            {
                switch entry {
                case .onlySource: counts[0] += 1
                case .onlyDestination: counts[1] += 1
                case .both: counts[2] += 1
                }
            }
            return (try PeakRSS.current(), counts)
        }
        _ = try await run(2_000)  // warm up
        let small = try await run(20_000)
        let large = try await run(200_000)
        print("sync merge peak RSS: \(small.rss >> 10) KiB at 20,000 entries a side, \(large.rss >> 10) KiB at 200,000")
        #expect(small.counts.reduce(0, +) > 18_000)
        #expect(large.counts[0] + large.counts[2] == 200_000 - 200_000 / 7 - 1)
        // Ten times the entries: the peak may not grow by more than 4 MiB (holding them
        // would cost over 30 MiB).
        #expect(large.rss - small.rss < 4 << 20, "RSS \(small.rss >> 10) KiB → \(large.rss >> 10) KiB")
    }
}

private final class IssueBox: @unchecked Sendable {
    private let lock = NSLock()
    private var issues: [LocalTreeIssue] = []
    func add(_ issue: LocalTreeIssue) {
        lock.lock()
        defer { lock.unlock() }
        issues.append(issue)
    }
    var all: [LocalTreeIssue] {
        lock.lock()
        defer { lock.unlock() }
        return issues
    }
}
