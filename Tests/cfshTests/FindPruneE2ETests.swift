import CFSHTestSupport
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Issue 13, items 13, 15 and 12 (orphaned segments): `ls -l` shows the file's time, `find`,
/// the age filters of `ls` and `rm`, examples/prune.cfsh and `orphans`, through the built
/// binary against the local server.
@Suite(.serialized, .timeLimit(.minutes(10))) struct FindPruneE2ETests {
    /// Writes `name` in `scratch` with its modification time `days` days ago.
    static func file(_ name: String, _ body: String, daysAgo days: Double, in scratch: TemporaryFolder) throws {
        try scratch.write(name, body)
        try FileManager.default.setAttributes(
            [.modificationDate: Date().addingTimeInterval(-days * 86_400)], ofItemAtPath: scratch.file(name))
    }

    /// Stores `body` as `name` with extra headers, straight to the server.
    static func store(_ name: String, _ body: String, in container: String, headers: [String] = []) async throws {
        _ = try await LocalServer.storage("PUT", LocalServer.pathEncoded(container))
        let reply = try await LocalServer.storage(
            "PUT", LocalServer.pathEncoded(container) + "/" + LocalServer.pathEncoded(name), headers: headers,
            body: Data(body.utf8))
        #expect(reply.status == 201, "storing \(name.debugDescription): \(reply.status)")
    }

    static func utcDay(daysAgo days: Double) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd"
        return formatter.string(from: Date().addingTimeInterval(-days * 86_400))
    }

    @Test(
        "ls -l shows X-Object-Meta-Mtime where it is sane, the upload time otherwise and with --upload-time; hostile mtimes never trap"
    )
    func lsLongShowsFileTime() async throws {
        try await withContainer("lsmtime") { container, scratch in
            try Self.file("dump.sql", "old dump\n", daysAgo: 400, in: scratch)
            let put = try await cfsh("put dump.sql \(container)/", in: scratch)
            #expect(put.status == 0, "\(put)")
            let hostile = ["nan", "-5", "1e300", "abc", "99999999999999", "inf", "0x10"]
            for (index, value) in hostile.enumerated() {
                try await Self.store("hostile\(index)", "h", in: container, headers: ["X-Object-Meta-Mtime: \(value)"])
            }
            let today = Self.utcDay(daysAgo: 0)
            let then = Self.utcDay(daysAgo: 400)
            let long = try await cfsh("ls -l \(container)")
            #expect(long.status == 0, "\(long)")
            #expect(long.stderr == "")
            let rows = long.lines
            #expect(rows.count == hostile.count + 1, "\(long)")
            #expect(rows.first { $0.hasSuffix("/dump.sql") }?.contains("  \(then) ") == true, "\(rows)")
            for row in rows where row.contains("/hostile") {
                #expect(row.contains("  \(today) "), "a hostile mtime falls back to the upload time: \(row)")
            }
            let upload = try await cfsh("ls -l --upload-time \(container)/dump.sql")
            #expect(upload.status == 0, "\(upload)")
            #expect(upload.lines.count == 1 && upload.lines[0].contains("  \(today) "), "\(upload)")
            // JSON keeps last_modified the upload time.
            let json = try await cfsh("ls --json \(container)/dump.sql")
            #expect(json.stdout.contains("\"last_modified\": \"\(today)T"), "\(json)")
        }
    }

    @Test("find filters by name, age and size; each line it prints, pasted back, names exactly that object")
    func findFiltersAndRoundTrip() async throws {
        try await withContainer("find") { container, scratch in
            try Self.file("old.sql", "old\n", daysAgo: 10, in: scratch)
            try Self.file("new.sql", "new\n", daysAgo: 1, in: scratch)
            try Self.file("big.bin", String(repeating: "b", count: 3000), daysAgo: 0, in: scratch)
            let put = try await cfsh("put old.sql new.sql big.bin \(container)/d/", in: scratch)
            #expect(put.status == 0, "\(put)")
            let hostile = [
                "it's a $file", "line\nbreak", "-r", "a b", "dq\"x", "back\\slash", "star*", "tab\there", "~home",
                "semi;colon", "{brace}", "#hash", "pipe|and>", "é e\u{301}",
            ]
            for (index, name) in hostile.enumerated() {
                try await Self.store("h/" + name, "body\(index)", in: container)
            }
            // Decoys that a name read as text would hit instead.
            try await Self.store("h/a", "decoy", in: container)
            try await Self.store("h/line", "decoy", in: container)
            // Names no typed path can name: left out of the text, counted on stderr.
            try await Self.store("h/x/../y", "dots", in: container)
            try await Self.store("h/marker/", "", in: container)

            let all = try await cfsh("find \(container)/h/")
            #expect(all.status == 0, "\(all)")
            #expect(all.lines.count == hostile.count + 2, "\(all)")
            #expect(all.lines.allSatisfy { $0.contains("/\(container)/h/") }, "\(all)")
            #expect(all.stderr.contains("find: left out 2 names that no typed path can name"), "\(all)")
            // Each line, typed back: `cat` prints exactly that object's body, each once.
            let script = all.lines.map { "cat \($0); echo" }.joined(separator: "\n")
            let back = try await cfsh(script)
            #expect(back.status == 0, "\(back)")
            #expect(
                back.lines.sorted() == (hostile.indices.map { "body\($0)" } + ["decoy", "decoy"]).sorted(), "\(all)")
            #expect(all.lines.contains("/\(container)/h/-r"))
            #expect(all.lines.contains("'/\(container)/h/a b'"))
            #expect(all.lines.contains("\"/\(container)/h/line\\nbreak\""))
            #expect(all.lines.contains("\"/\(container)/h/it's a \\$file\""))

            // $(find …) hands on every object, the untypeable ones too.
            let items = try await cfsh("foreach f in $(find \(container)/h/) { echo item }")
            #expect(items.lines.count == hostile.count + 4, "\(items)")

            let old = try await cfsh("find \(container) --older-than 7d")
            #expect(old.lines == ["/\(container)/d/old.sql"], "\(old)")
            let recent = try await cfsh("find /\(container)/d/ --newer-than 7d --name '*.sql'")
            #expect(recent.lines == ["/\(container)/d/new.sql"], "\(recent)")
            let large = try await cfsh("find \(container)/d --larger 2k")
            #expect(large.lines == ["/\(container)/d/big.bin"], "\(large)")
            let small = try await cfsh("find \(container)/d --smaller 2k --older-than 12h")
            #expect(small.lines == ["/\(container)/d/new.sql", "/\(container)/d/old.sql"], "\(small)")
            // By upload time everything is new.
            let uploaded = try await cfsh("find \(container)/d --older-than 7d --upload-time")
            #expect(uploaded.status == 0 && uploaded.lines == [], "\(uploaded)")
            let json = try await cfsh("find \(container)/d --older-than 7d --json")
            let parsed = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]]
            #expect(parsed?.count == 1)
            #expect(parsed?.first?["path"] as? String == "/\(container)/d/old.sql")
            #expect((parsed?.first?["mtime"] as? String)?.hasPrefix(Self.utcDay(daysAgo: 10)) == true, "\(json)")
            let none = try await cfsh("find \(container)/d --older-than 70d --json")
            #expect(none.status == 0 && none.stdout == "[]\n", "\(none)")
            for bad in ["--older-than 7", "--older-than 7y", "--newer-than -1d", "--larger 10X", "--smaller nan"] {
                let refused = try await cfsh("find \(container) \(bad)")
                #expect(refused.status == 2, "\(bad): \(refused)")
            }
        }
    }

    @Test("ls and rm take the age filters; rm with a filter never deletes what does not match, -r included")
    func lsAndRmAgeFilters() async throws {
        try await withContainer("agefilter") { container, scratch in
            try Self.file("a/old1.sql", "1\n", daysAgo: 9, in: scratch)
            try Self.file("a/old2.sql", "2\n", daysAgo: 30, in: scratch)
            try Self.file("a/new.sql", "3\n", daysAgo: 2, in: scratch)
            try Self.file("a/sub/old3.sql", "4\n", daysAgo: 8, in: scratch)
            try Self.file("a/sub/new2.sql", "5\n", daysAgo: 0, in: scratch)
            let put = try await cfsh("put -r a \(container)/", in: scratch)
            #expect(put.status == 0, "\(put)")
            let listed = try await cfsh(
                "ls --older-than 7d \(container)/a/; echo --; ls -r --newer-than 7d \(container)")
            #expect(
                listed.lines == [
                    "\(container)/a/old1.sql", "\(container)/a/old2.sql", "--", "\(container)/a/new.sql",
                    "\(container)/a/sub/new2.sql",
                ], "\(listed)")
            // A named object that is not old enough stays.
            let kept = try await cfsh("rm --older-than 7d \(container)/a/new.sql")
            #expect(kept.status == 0, "\(kept)")
            #expect(try await LocalServer.objectNames(container).contains("a/new.sql"))
            let pruned = try await cfsh("rm -r -v --older-than 7d \(container)/a/")
            #expect(pruned.status == 0, "\(pruned)")
            #expect(pruned.stdout.contains("rm: deleted 3 objects in "), "\(pruned)")
            #expect(pruned.stdout.contains(" (2 kept by the filter)"), "\(pruned)")
            #expect(try await LocalServer.objectNames(container) == ["a/new.sql", "a/sub/new2.sql"])
            // A glob with a filter.
            let glob = try await cfsh("rm --newer-than 1d \(container)/a/*.sql")
            #expect(glob.status == 0, "\(glob)")
            #expect(try await LocalServer.objectNames(container) == ["a/new.sql", "a/sub/new2.sql"])
            let atRoot = try await cfsh("ls --older-than 7d")
            #expect(atRoot.status == 2, "\(atRoot)")
        }
    }

    @Test("examples/prune.cfsh keeps the last 7 dailies and deletes the older ones")
    func pruneExample() async throws {
        try await withContainer("prune") { container, scratch in
            for day in 0..<10 {
                try Self.file(
                    "daily/db-\(Self.utcDay(daysAgo: Double(day))).sql", "day \(day)\n",
                    daysAgo: Double(day) + 0.1, in: scratch)
            }
            try Self.file("other/keep.sql", "elsewhere\n", daysAgo: 30, in: scratch)
            let put = try await cfsh("put -r daily other \(container)/", in: scratch)
            #expect(put.status == 0, "\(put)")
            let result = try await CFSHBinary.run(
                ["run", ExamplesE2ETests.example("prune.cfsh"), "\(container)/daily/"],
                environment: LocalServer.environment, directory: scratch.path)
            #expect(result.status == 0, "\(result)")
            let remaining = try await LocalServer.objectNames(container)
            let expected =
                (0..<7).map { "daily/db-\(Self.utcDay(daysAgo: Double($0))).sql" }.sorted() + ["other/keep.sql"]
            #expect(remaining == expected, "\(result)")
            #expect(result.lines.filter { $0.hasPrefix("pruned ") }.count == 3, "\(result)")
        }
    }

    @Test(
        "orphans lists and deletes the segments of an upload killed midway, never those a manifest uses, nor anything else"
    )
    func orphanedSegments() async throws {
        try await withContainer("orphans") { container, scratch in
            let segments = container + "_segments"
            let other = LocalServer.uniqueContainer("orphans-dlo")
            // A completed large object, and a stranger's object in the segment container.
            try writePatternFile(scratch.path + "/done.bin", megabytes: 3)
            let done = try await cfsh("put --segment-size 1M done.bin \(container)/", in: scratch)
            #expect(done.status == 0, "\(done)")
            try await Self.store("notes.txt", "not a segment", in: segments)
            try await Self.store("x/slo/1.000000/5/1/00000000", "", in: other)

            // An upload killed midway: the proxy holds each segment PUT, and cfsh dies with
            // some of them stored.
            try writePatternFile(scratch.path + "/big.bin", megabytes: 6)
            let environment = try await RequestCounter.environment()
            let match = "/\(segments)/big.bin/"
            try await RequestCounter.start(match)
            try await RequestCounter.delay(match, method: "PUT", seconds: 1, times: 6)
            let process = try CFSHBinary.start(
                ["-c", "put --parallel 1 --segment-size 1M big.bin \(container)/"], environment: environment,
                directory: scratch.path)
            let deadline = ContinuousClock.now + .seconds(60)
            func stored() async throws -> Int {
                try await LocalServer.objectNames(segments, prefix: "big.bin/").count
            }
            while process.isRunning, ContinuousClock.now < deadline, try await stored() < 2 {
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(process.isRunning, "the upload finished before it could be killed")
            kill(process.processIdentifier, SIGKILL)
            await waitForExit(process)
            try await Task.sleep(for: .seconds(2))  // a segment the proxy was holding may land
            try await RequestCounter.start(match)
            let left = try await stored()
            #expect((2..<6).contains(left), "\(left) segments stored before the kill")
            #expect(try await LocalServer.objectNames(container) == ["done.bin"])
            let doneSegments = try await LocalServer.objectNames(segments, prefix: "done.bin/")
            #expect(doneSegments.count == 3)

            // Younger than the default 24 h: not listed, and said so.
            let young = try await cfsh("orphans \(container)")
            #expect(young.status == 0, "\(young)")
            #expect(young.stdout == "", "\(young)")
            #expect(young.stderr.contains("1 more upload's segments are newer than 1d"), "\(young)")

            // A dynamic manifest anywhere in the account that uses the prefix protects it.
            let prefix = try #require(
                try await LocalServer.objectNames(segments, prefix: "big.bin/").first.map {
                    String($0[..<$0.lastIndex(of: "/")!]) + "/"
                })
            try await Self.store("uses-it", "", in: other, headers: ["X-Object-Manifest: \(segments)/\(prefix)"])
            try await Task.sleep(for: .seconds(2))
            let protected = try await cfsh("orphans --older-than 1s --delete \(container)")
            #expect(protected.status == 0, "\(protected)")
            #expect(!protected.stdout.contains("big.bin"), "\(protected)")
            #expect(!protected.stdout.contains("done.bin"), "\(protected)")
            #expect(try await stored() == left)
            _ = try await LocalServer.storage(
                "DELETE", LocalServer.pathEncoded(other) + "/" + LocalServer.pathEncoded("uses-it"))

            let listed = try await cfsh("orphans --older-than 1s \(container)")
            #expect(listed.status == 0, "\(listed)")
            #expect(listed.lines.count == 1, "\(listed)")
            #expect(
                listed.lines.first?.hasPrefix("\(left)  \(left << 20)  ") == true
                    && listed.lines.first?.hasSuffix("  /\(segments)/\(prefix)") == true, "\(listed)")
            #expect(try await stored() == left, "listing deletes nothing")

            let deleted = try await cfsh("orphans --older-than 1s --delete \(container)")
            #expect(deleted.status == 0, "\(deleted)")
            #expect(deleted.stdout.contains("orphans: deleted \(left) segments of 1 upload"), "\(deleted)")
            #expect(try await stored() == 0)
            // The completed object's segments, the stranger's object and the look-alike elsewhere stay.
            #expect(try await LocalServer.objectNames(segments) == doneSegments + ["notes.txt"])
            #expect(try await LocalServer.objectNames(other) == ["x/slo/1.000000/5/1/00000000"])
            let back = try await cfsh("get \(container)/done.bin back.bin", in: scratch)
            #expect(back.status == 0, "\(back)")
            #expect(
                FileManager.default.contentsEqual(atPath: scratch.file("done.bin"), andPath: scratch.file("back.bin")))
            await LocalServer.removeContainer(other)
        }
    }
}
