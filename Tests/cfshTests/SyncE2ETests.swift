import CFSHTestSupport
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Writes `files` (relative name → contents) below `folder`, making the folders.
private func plant(_ files: [String: String], in folder: String) throws {
    try plant(files.map { ($0.key, $0.value) }, in: folder)
}

/// The same for a list, which can hold names that Swift's `String ==` calls equal (`é` in NFC
/// and in NFD) but that are different bytes, and so different files and objects.
private func plant(_ files: [(String, String)], in folder: String) throws {
    for (name, contents) in files {
        let path = folder + "/" + name
        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        #expect(FileManager.default.createFile(atPath: path, contents: Data(contents.utf8)))
    }
}

/// Sets a file's modification time (microseconds, as utimes keeps them).
private func setModified(_ path: String, _ seconds: Double) throws {
    try FileManager.default.setAttributes(
        [.modificationDate: Date(timeIntervalSince1970: seconds)], ofItemAtPath: path)
}

private func modified(_ path: String) throws -> Double {
    let attributes = try FileManager.default.attributesOfItem(atPath: path)
    return (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
}

/// The `--json` summary of a sync run.
private func summary(_ result: CommandResult, sourceLocation: SourceLocation = #_sourceLocation) -> [String: Any] {
    let json = try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
    #expect(json != nil, "no JSON: \(result)", sourceLocation: sourceLocation)
    return json ?? [:]
}

private func count(_ json: [String: Any], _ key: String) -> Int { json[key] as? Int ?? -1 }

/// Object names in `container` below `prefix`, relative to it, by python-swiftclient.
private func remoteNames(_ container: String, prefix: String = "") async throws -> [String] {
    try await LocalServer.objectNames(container, prefix: prefix.isEmpty ? nil : prefix).map {
        String($0.dropFirst(prefix.count))
    }.sorted()
}

/// `sync` end to end, through the built binary against the local Swift, checked with
/// python-swiftclient, curl and the file system.
@Suite(.serialized, .timeLimit(.minutes(10))) struct SyncE2ETests {
    /// A list, not a dictionary: `é` in NFC and in NFD are one key to a Swift dictionary.
    static let tree: [(String, String)] = [
        ("a-b", "dash"), ("a.b", "dot"), ("a/x", "in a"), ("a/y/z", "deeper"), ("a0", "zero"), ("\u{E9}", "nfc"),
        ("e\u{301}", "nfd"), ("top.txt", "top"),
    ]

    @Test("file: to remote, remote to file:, remote to remote; a second run in either direction transfers nothing")
    func threeDirections() async throws {
        try await withContainer("sync") { container, scratch in
            let source = scratch.file("src")
            try plant(Self.tree, in: source)
            for (index, name) in Self.tree.map(\.0).enumerated() {
                try setModified(source + "/" + name, 1_600_000_000.25 + Double(index))
            }
            let up = try await cfsh("sync --json file:src \(container)/dir/", in: scratch)
            #expect(up.status == 0, "\(up)")
            #expect(count(summary(up), "copied") == Self.tree.count)
            let names = try await remoteNames(container, prefix: "dir/")
            #expect(
                names.map { Array($0.utf8) }.sorted { $0.lexicographicallyPrecedes($1) }
                    == Self.tree.map { Array($0.0.utf8) }.sorted { $0.lexicographicallyPrecedes($1) })
            let again = try await cfsh("sync --json file:src \(container)/dir/", in: scratch)
            #expect(again.status == 0, "\(again)")
            #expect(count(summary(again), "copied") == 0 && count(summary(again), "updated") == 0)
            #expect(count(summary(again), "skipped") == Self.tree.count)

            // Down into an empty folder: the same bytes and the same mtimes.
            let down = try await cfsh("sync --json \(container)/dir/ file:down", in: scratch)
            #expect(down.status == 0, "\(down)")
            #expect(count(summary(down), "copied") == Self.tree.count)
            for (name, contents) in Self.tree {
                #expect(FileManager.default.contents(atPath: scratch.file("down/" + name)) == Data(contents.utf8))
                let delta = try abs(modified(scratch.file("down/" + name)) - modified(source + "/" + name))
                #expect(delta < 0.001, "\(name): mtime off by \(delta)")
            }
            let downAgain = try await cfsh("sync --json \(container)/dir/ file:down", in: scratch)
            #expect(count(summary(downAgain), "copied") + count(summary(downAgain), "updated") == 0, "\(downAgain)")
            // The downloaded tree, synced back up, is already there.
            let backUp = try await cfsh("sync --json file:down \(container)/dir/", in: scratch)
            #expect(count(summary(backUp), "copied") + count(summary(backUp), "updated") == 0, "\(backUp)")

            // Remote to remote, on the server, into a new container.
            let other = container + "-copy"
            do {
                let copy = try await cfsh("sync --json /\(container)/dir/ /\(other)/", in: scratch)
                #expect(copy.status == 0, "\(copy)")
                #expect(try await remoteNames(other).count == Self.tree.count)
                let got = try await LocalServer.swiftclient(["download", other, "a/y/z", "-o", "-"])
                #expect(got.stdout == "deeper")
                let copyAgain = try await cfsh("sync --json /\(container)/dir/ /\(other)/", in: scratch)
                #expect(count(summary(copyAgain), "copied") + count(summary(copyAgain), "updated") == 0)
                #expect(count(summary(copyAgain), "skipped") == Self.tree.count)
            } catch {
                await LocalServer.removeContainer(other)
                throw error
            }
            await LocalServer.removeContainer(other)

            // file: to file: is refused; so are overlapping remote folders.
            let local = try await cfsh("sync file:src file:down", in: scratch)
            #expect(local.status == 2 && local.stderr.contains("file: to file:"), "\(local)")
            let overlap = try await cfsh("sync \(container)/dir/ \(container)/dir/sub/", in: scratch)
            #expect(overlap.status == 2 && overlap.stderr.contains("overlap"), "\(overlap)")
        }
    }

    @Test(
        "default: a same-size file with a new mtime is sent, not with --size-only; --checksum catches same size and mtime"
    )
    func comparisonModes() async throws {
        try await withContainer("sync") { container, scratch in
            let file = scratch.file("src/f.txt")
            try plant(["f.txt": "aaaa"], in: scratch.file("src"))
            try setModified(file, 1_600_000_000)
            #expect(try await cfsh("sync file:src \(container)/", in: scratch).status == 0)
            // Same size, new content, new mtime.
            try plant(["f.txt": "bbbb"], in: scratch.file("src"))
            try setModified(file, 1_600_000_100)
            let sizeOnly = try await cfsh("sync --json --size-only file:src \(container)/", in: scratch)
            #expect(count(summary(sizeOnly), "updated") == 0 && count(summary(sizeOnly), "skipped") == 1)
            #expect(try await LocalServer.swiftclient(["download", container, "f.txt", "-o", "-"]).stdout == "aaaa")
            let byTime = try await cfsh("sync --json file:src \(container)/", in: scratch)
            #expect(count(summary(byTime), "updated") == 1, "\(byTime)")
            #expect(try await LocalServer.swiftclient(["download", container, "f.txt", "-o", "-"]).stdout == "bbbb")
            let stat = try await LocalServer.swiftclient(["stat", container, "f.txt"])
            #expect(stat.stdout.contains("Mtime: 1600000100"), "\(stat)")
            // Same size, same mtime, other content: a small file is compared by the MD5 that
            // the listing gives (no HEAD), so even the default sees it.
            try plant(["f.txt": "cccc"], in: scratch.file("src"))
            try setModified(file, 1_600_000_100)
            let sameTime = try await cfsh("sync --json file:src \(container)/", in: scratch)
            #expect(count(summary(sameTime), "updated") == 1, "\(sameTime)")
            #expect(try await LocalServer.swiftclient(["download", container, "f.txt", "-o", "-"]).stdout == "cccc")
            // Over 1 MiB the default reads the time (a HEAD), not the bytes: only --checksum
            // sees a change that kept the size and the mtime.
            let big = scratch.file("src/big.bin")
            try Data(repeating: 0x61, count: 2 << 20).write(to: URL(fileURLWithPath: big))
            try setModified(big, 1_600_000_200)
            #expect(try await cfsh("sync file:src \(container)/", in: scratch).status == 0)
            try Data(repeating: 0x62, count: 2 << 20).write(to: URL(fileURLWithPath: big))
            try setModified(big, 1_600_000_200)
            let bigSameTime = try await cfsh("sync --json file:src \(container)/", in: scratch)
            #expect(count(summary(bigSameTime), "updated") == 0, "\(bigSameTime)")
            let checksum = try await cfsh("sync --json --checksum file:src \(container)/", in: scratch)
            #expect(count(summary(checksum), "updated") == 1, "\(checksum)")
            let stored = try await LocalServer.swiftclient(["download", container, "big.bin", "-o", "-"]).stdout
            #expect(stored.utf8.count == 2 << 20 && stored.utf8.allSatisfy { $0 == 0x62 })
            let contradiction = try await cfsh("sync --checksum --size-only file:src \(container)/", in: scratch)
            #expect(contradiction.status == 2)
        }
    }

    @Test("--delete removes extras after the transfers; an empty source and --max-delete refuse, deleting nothing")
    func deleteRules() async throws {
        try await withContainer("sync") { container, scratch in
            var many: [String: String] = [:]
            for index in 0..<20 { many["f\(index)"] = "x\(index)" }
            try plant(many, in: scratch.file("full"))
            #expect(try await cfsh("sync file:full \(container)/", in: scratch).status == 0)
            // One extra of twenty: deleted.
            try FileManager.default.removeItem(atPath: scratch.file("full/f7"))
            let one = try await cfsh("sync --json --delete file:full \(container)/", in: scratch)
            #expect(one.status == 0, "\(one)")
            #expect(count(summary(one), "deleted") == 1)
            #expect(try await remoteNames(container).count == 19)
            #expect(!(try await remoteNames(container)).contains("f7"))

            // An empty source deletes nothing, unless --allow-empty-source.
            try FileManager.default.createDirectory(atPath: scratch.file("empty"), withIntermediateDirectories: true)
            let empty = try await cfsh("sync --delete file:empty \(container)/", in: scratch)
            #expect(empty.status == 1 && empty.stderr.contains("is empty"), "\(empty)")
            #expect(try await remoteNames(container).count == 19)

            // Over the default limit (10, or half of DST): 17 of 19 would go.
            try plant(["f0": "x0", "f1": "x1"], in: scratch.file("two"))
            let swapped = try await cfsh("sync --delete file:two \(container)/", in: scratch)
            #expect(swapped.status == 1, "\(swapped)")
            #expect(swapped.stderr.contains("would have deleted 17 of 19"), "\(swapped)")
            #expect(try await remoteNames(container).count == 19)
            let limited = try await cfsh("sync --delete --max-delete 16 file:two \(container)/", in: scratch)
            #expect(limited.status == 1 && limited.stderr.contains("--max-delete 16"), "\(limited)")
            let percent = try await cfsh("sync --delete --max-delete 80% file:two \(container)/", in: scratch)
            #expect(percent.status == 1, "\(percent)")  // 80% of 19 is 15
            #expect(try await remoteNames(container).count == 19)
            let allowed = try await cfsh("sync --json --delete --max-delete 17 file:two \(container)/", in: scratch)
            #expect(allowed.status == 0, "\(allowed)")
            #expect(count(summary(allowed), "deleted") == 17)
            #expect(try await remoteNames(container) == ["f0", "f1"])
            let bad = try await cfsh("sync --delete --max-delete lots file:two \(container)/", in: scratch)
            #expect(bad.status == 2 && bad.stderr.contains("--max-delete"), "\(bad)")
            // With --allow-empty-source (and a limit that allows it), an empty source empties DST.
            let emptied = try await cfsh(
                "sync --delete --allow-empty-source --max-delete 100% file:empty \(container)/", in: scratch)
            #expect(emptied.status == 0, "\(emptied)")
            #expect(try await remoteNames(container) == [])
        }
    }

    @Test("--delete deletes nothing when one transfer failed (made to fail at the fault proxy); exit 1")
    func failedTransferBlocksDeletes() async throws {
        try await withContainer("sync") { container, scratch in
            try plant(["keep1": "1", "keep2": "2", "old1": "o", "old2": "o"], in: scratch.file("src"))
            #expect(try await cfsh("sync file:src \(container)/", in: scratch).status == 0)
            try FileManager.default.removeItem(atPath: scratch.file("src/old1"))
            try FileManager.default.removeItem(atPath: scratch.file("src/old2"))
            try plant(["new1": "n1", "new2": "n2"], in: scratch.file("src"))
            let environment = try await RequestCounter.environment()
            let match = "/\(container)/new2"
            try await RequestCounter.start(match)
            try await RequestCounter.fail(match, method: "PUT", status: 400)
            let result = try await CFSHBinary.command(
                "sync --json --delete --max-delete 100% file:src \(container)/", environment: environment,
                directory: scratch.path)
            try await RequestCounter.start(match)
            #expect(result.status == 1, "\(result)")
            let json = summary(result)
            #expect(count(json, "failed") == 1 && count(json, "deleted") == 0 && count(json, "copied") == 1)
            #expect((json["deletions_refused"] as? String)?.contains("1 failed") == true, "\(result)")
            let names = try await remoteNames(container)
            #expect(names == ["keep1", "keep2", "new1", "old1", "old2"], "\(names)")
            // Run again without the fault: the missing file goes, then the extras.
            let rerun = try await cfsh("sync --json --delete --max-delete 100% file:src \(container)/", in: scratch)
            #expect(rerun.status == 0, "\(rerun)")
            #expect(count(summary(rerun), "copied") == 1 && count(summary(rerun), "deleted") == 2)
            #expect(try await remoteNames(container) == ["keep1", "keep2", "new1", "new2"])
        }
    }

    @Test("--dry-run prints one line per copy, update and delete, and changes nothing; --json gives the plan")
    func dryRun() async throws {
        try await withContainer("sync") { container, scratch in
            try plant(["same": "s", "changed": "c1", "gone": "g"], in: scratch.file("src"))
            #expect(try await cfsh("sync file:src \(container)/", in: scratch).status == 0)
            try FileManager.default.removeItem(atPath: scratch.file("src/gone"))
            try plant(["changed": "c22", "new": "n"], in: scratch.file("src"))
            let dry = try await cfsh("sync --dry-run --delete file:src \(container)/", in: scratch)
            #expect(dry.status == 0, "\(dry)")
            #expect(dry.lines.sorted() == ["copy new", "delete gone", "update changed"], "\(dry)")
            #expect(try await remoteNames(container) == ["changed", "gone", "same"])
            #expect(try await LocalServer.swiftclient(["download", container, "changed", "-o", "-"]).stdout == "c1")
            let json = summary(try await cfsh("sync --dry-run --json --delete file:src \(container)/", in: scratch))
            let plan = (json["plan"] as? [[String: Any]] ?? []).map { "\($0["action"] ?? "") \($0["name"] ?? "")" }
            #expect(plan.sorted() == ["copy new", "delete gone", "update changed"])
            #expect(json["dry_run"] as? Bool == true)
            // Down into a folder that does not exist: not even the folder is made.
            let down = try await cfsh("sync --dry-run \(container)/ file:nowhere", in: scratch)
            #expect(down.status == 0 && down.lines.count == 3, "\(down)")
            #expect(!FileManager.default.fileExists(atPath: scratch.file("nowhere")))
        }
    }

    @Test("--exclude and --include filter relative names; an excluded DST file is never deleted")
    func filters() async throws {
        try await withContainer("sync") { container, scratch in
            try plant(["a.txt": "a", "b.tmp": "b", "logs/c.txt": "c", "logs/d.tmp": "d"], in: scratch.file("src"))
            let result = try await cfsh("sync --exclude '*.tmp' file:src \(container)/", in: scratch)
            #expect(result.status == 0, "\(result)")
            #expect(try await remoteNames(container) == ["a.txt", "logs/c.txt"])
            // An excluded remote object is kept by --delete.
            _ = try await LocalServer.swiftclient(
                ["upload", container, "src/b.tmp", "--object-name", "only-remote.tmp"], directory: scratch.path)
            let delete = try await cfsh(
                "sync --delete --exclude '*.tmp' --exclude 'logs/**' file:src \(container)/", in: scratch)
            #expect(delete.status == 0, "\(delete)")
            #expect(try await remoteNames(container) == ["a.txt", "logs/c.txt", "only-remote.tmp"])
            let include = try await cfsh("sync --json --include 'logs/*' file:src /\(container)/inc/", in: scratch)
            #expect(include.status == 0, "\(include)")
            #expect(try await remoteNames(container, prefix: "inc/") == ["logs/c.txt", "logs/d.tmp"])
        }
    }

    @Test("4 shards at once through the fault proxy: their union is the whole sync, each object PUT exactly once")
    func shards() async throws {
        try await withContainer("shard") { container, scratch in
            var files: [String: String] = [:]
            for index in 0..<60 { files["d\(index % 3)/file-\(index).bin"] = String(repeating: "x", count: index) }
            try plant(files, in: scratch.file("src"))
            let environment = try await RequestCounter.environment()
            #expect(try await cfsh("mkdir \(container)").status == 0)
            let plan = summary(try await cfsh("sync --dry-run --json file:src \(container)/", in: scratch))
            let planned = Set((plan["plan"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String })
            #expect(planned.count == 60)
            let match = "/\(container)/"
            try await RequestCounter.start(match)
            let results = try await withThrowingTaskGroup(of: CommandResult.self) { group in
                for shard in 0..<4 {
                    group.addTask {
                        try await CFSHBinary.command(
                            "sync --json --shard \(shard)/4 file:src \(container)/", environment: environment,
                            directory: scratch.path)
                    }
                }
                var all: [CommandResult] = []
                for try await result in group { all.append(result) }
                return all
            }
            let puts = try await RequestCounter.counts(match)["PUT"] ?? 0
            try await RequestCounter.start(match)
            var union: [String] = []
            for result in results {
                #expect(result.status == 0, "\(result)")
                let json = summary(result)
                union += (json["plan"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
                #expect(count(json, "copied") > 0)
            }
            #expect(union.count == 60 && Set(union) == planned)
            #expect(Set(try await remoteNames(container)) == planned)
            #expect(puts == 60, "\(puts) PUTs for 60 objects")
            let bad = try await cfsh("sync --shard 4/4 file:src \(container)/", in: scratch)
            #expect(bad.status == 2 && bad.stderr.contains("--shard"), "\(bad)")
        }
    }

    @Test("an interrupted sync run again sends only what is missing: the large file resumes")
    func interruptedAndResumed() async throws {
        try await withContainer("sync") { container, scratch in
            try FileManager.default.createDirectory(atPath: scratch.file("src"), withIntermediateDirectories: true)
            try writePatternFile(scratch.file("src/big.bin"), megabytes: 160)
            try plant(["small1": "1", "small2": "2"], in: scratch.file("src"))
            let environment = try await RequestCounter.environment()
            #expect(try await cfsh("mkdir \(container)").status == 0)
            let match = "/\(container)_segments/big.bin/"
            try await RequestCounter.start(match)
            try await RequestCounter.delay(match, method: "PUT", seconds: 2, times: 10)
            let process = try CFSHBinary.start(
                ["-c", "sync --parallel 2 --segment-size 16M file:src \(container)/"], environment: environment,
                directory: scratch.path)
            var stored = 0
            let deadline = ContinuousClock.now + .seconds(120)
            while process.isRunning && ContinuousClock.now < deadline {
                stored = try await RequestCounter.objectCount(container + "_segments", environment: environment)
                if stored >= 3 { break }
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(process.isRunning, "the sync finished before it could be killed")
            kill(process.processIdentifier, SIGKILL)
            await waitForExit(process)
            try await Task.sleep(for: .seconds(3))
            stored = try await RequestCounter.objectCount(container + "_segments", environment: environment)
            #expect((3..<10).contains(stored), "\(stored) segments stored before the kill")
            try await RequestCounter.start(match)  // ends the delay, counts from zero
            let rerun = try await CFSHBinary.command(
                "sync --json --segment-size 16M file:src \(container)/", environment: environment,
                directory: scratch.path)
            #expect(rerun.status == 0, "\(rerun)")
            let puts = try await RequestCounter.counts(match)["PUT"] ?? 0
            try await RequestCounter.start(match)
            #expect(puts == 10 - stored, "\(puts) segment PUTs after \(stored) were stored")
            #expect(try await remoteNames(container) == ["big.bin", "small1", "small2"])
            let again = try await cfsh("sync --json file:src \(container)/", in: scratch)
            #expect(count(summary(again), "copied") + count(summary(again), "updated") == 0, "\(again)")
        }
    }

    @Test("help sync documents the options; bad operands are refused with a clear error")
    func helpAndErrors() async throws {
        let help = try await CFSHBinary.command("help sync")
        for word in [
            "--delete", "--max-delete", "--allow-empty-source", "--dry-run", "--json", "--checksum", "--size-only",
            "--exclude", "--include", "--shard", "file:",
        ] {
            #expect(help.stdout.contains(word), "help sync lacks \(word)")
        }
        let root = try await cfsh("sync file:/tmp /")
        #expect(root.status == 2 && root.stderr.contains("account root"), "\(root)")
        let missing = try await cfsh("sync file:/nonexistent-cfsh-folder /cfsh-none-\(UUID().uuidString.prefix(6))/")
        #expect(missing.status == 1 && missing.stderr.contains("no such local folder"), "\(missing)")
    }
}

extension RequestCounter {
    /// Answers the next `times` `method` requests whose path contains `match` with `status`
    /// (400 is not retried). `start(match)` ends it.
    static func fail(_ match: String, method: String, status: Int, times: Int = 1) async throws {
        let rule = try JSONSerialization.data(withJSONObject: [
            "match": match, "method": method, "status": status, "times": times,
        ])
        let result = try await LocalServer.shell(
            "/usr/bin/curl",
            [
                "-sf", "-X", "POST", "-H", "Content-Type: application/json", "--data-binary",
                String(decoding: rule, as: UTF8.self), control,
            ])
        #expect(result.status == 0, "the fault proxy did not take the rule: \(result)")
    }
}
