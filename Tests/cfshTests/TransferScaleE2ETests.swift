import CFSHTestSupport
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Counts the requests that reach the real server through scripts/fault-proxy.py (port
/// 8090), by method, for paths containing a string: how the tests see what cfsh sent.
enum RequestCounter {
    static let control = LocalServer.faultProxyControlURL

    /// Starts (or restarts) counting requests whose path contains `match`.
    static func start(_ match: String) async throws {
        _ = try await LocalServer.shell("/usr/bin/curl", ["-sf", "-X", "DELETE", control + "?match=" + escape(match)])
        try await add(["match": match, "times": 0])
    }

    /// Holds the next `times` requests whose path contains `match` for `seconds` before the
    /// proxy reads their bodies. `start(match)` ends it.
    static func delay(_ match: String, method: String, seconds: Double, times: Int) async throws {
        try await add(["match": match, "method": method, "delay": seconds, "times": times])
    }

    /// Cuts the body of the next reply to a `method` request whose path contains `match`
    /// after `bytes` bytes. `start(match)` ends it.
    static func truncate(_ match: String, method: String, after bytes: Int) async throws {
        try await add(["match": match, "method": method, "truncate_after": bytes, "times": 1])
    }

    /// Inverts the byte at `offset` of the body of the next reply to a `method` request
    /// whose path contains `match`. `start(match)` ends it.
    static func corrupt(_ match: String, method: String, at offset: Int) async throws {
        try await add(["match": match, "method": method, "corrupt_at": offset, "times": 1])
    }

    private static func add(_ fields: [String: Any]) async throws {
        let rule = try JSONSerialization.data(withJSONObject: fields)
        let result = try await LocalServer.shell(
            "/usr/bin/curl",
            [
                "-sf", "-X", "POST", "-H", "Content-Type: application/json", "--data-binary",
                String(decoding: rule, as: UTF8.self), control,
            ])
        guard result.status == 0 else {
            Issue.record("the fault proxy on 8090 does not answer: 'scripts/swift-server restart' starts it")
            throw CancellationError()
        }
    }

    /// The number of objects in `container`, by one listing through the proxy with the
    /// token of `environment()`: quicker than a python-swiftclient run, for polling.
    static func objectCount(_ container: String, environment: [String: String]) async throws -> Int {
        let url = try #require(environment["OS_STORAGE_URL"]) + "/" + container
        let result = try await LocalServer.shell(
            "/usr/bin/curl", ["-sf", "-H", "X-Auth-Token: " + (environment["OS_AUTH_TOKEN"] ?? ""), url])
        return result.status == 0 ? result.lines.filter { !$0.isEmpty }.count : 0  // 404 until the first segment
    }

    /// Requests counted for `match`, by method.
    static func counts(_ match: String) async throws -> [String: Int] {
        let result = try await LocalServer.shell("/usr/bin/curl", ["-sf", control])
        let json = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        let methods = json?["methods"] as? [String: [String: Int]]
        return methods?[match] ?? [:]
    }

    private static func escape(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? text
    }

    /// The variables that connect cfsh through the counting proxy, with a token for the
    /// main test account (a pre-authenticated connection: the proxy sees every request).
    static func environment() async throws -> [String: String] {
        let (storage, token) = try await LocalServer.swiftclientAuth()
        return [
            "OS_STORAGE_URL": storage.replacingOccurrences(of: "127.0.0.1:8080", with: "127.0.0.1:8090"),
            "OS_AUTH_TOKEN": token,
        ]
    }

    /// Starts `put --segment-size 16M` of a 160 MiB file through the counting proxy, which
    /// holds each segment for 2 s (so the upload takes at least 10 s however fast the machine
    /// is), and kills cfsh once 3 or more segments are stored; then counts from zero.
    /// - Returns: how many segments were stored, the proxy's environment and the command.
    static func interruptedUpload(
        _ container: String, _ scratch: TemporaryFolder
    ) async throws -> (Int, [String: String], String) {
        try writePatternFile(scratch.path + "/big.bin", megabytes: 160)
        let environment = try await RequestCounter.environment()
        _ = try await cfsh("mkdir \(container)")
        let command = "put --parallel 2 --segment-size 16M big.bin \(container)/"
        let match = "/\(container)_segments/big.bin/"
        try await RequestCounter.delay(match, method: "PUT", seconds: 2, times: 10)
        let process = try CFSHBinary.start(["-c", command], environment: environment, directory: scratch.path)
        let segments = container + "_segments"
        var stored = 0
        let deadline = ContinuousClock.now + .seconds(120)
        while process.isRunning && ContinuousClock.now < deadline {
            stored = try await RequestCounter.objectCount(segments, environment: environment)
            if stored >= 3 { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(process.isRunning, "the upload finished before it could be killed")
        kill(process.processIdentifier, SIGKILL)
        await waitForExit(process)
        // A segment whose body the proxy had read before the kill may still be landing.
        var previous = -1
        while stored != previous && ContinuousClock.now < deadline {
            previous = stored
            try await Task.sleep(for: .seconds(1))
            stored = try await RequestCounter.objectCount(segments, environment: environment)
        }
        #expect((3..<10).contains(stored), "\(stored) of 10 segments were stored before the kill")
        #expect(try await LocalServer.objectNames(container) == [], "no manifest may point at missing segments")
        try await RequestCounter.start(match)  // also ends the delay
        return (stored, environment, command)
    }
}

/// A file of `megabytes` MiB whose every MiB differs, so that segments differ too.
func writePatternFile(_ path: String, megabytes: Int) throws {
    _ = FileManager.default.createFile(atPath: path, contents: nil)
    let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
    var block = [UInt8](repeating: 0, count: 1 << 20)
    for index in 0..<block.count { block[index] = UInt8(truncatingIfNeeded: index &* 131 &+ index >> 9) }
    for mebibyte in 0..<megabytes {
        withUnsafeBytes(of: UInt64(mebibyte).littleEndian) { block.replaceSubrange(0..<8, with: $0) }
        try handle.write(contentsOf: block)
    }
    try handle.close()
}

/// Issue 6 at the scale it names: large objects, resume, skip, bulk delete and long listings.
@Suite(.serialized, .timeLimit(.minutes(15))) struct TransferScaleE2ETests {
    @Test(
        "a 200 MiB file with 16 MiB segments is an SLO of 13 segments, identical on the way back and to swiftclient; rm removes every segment"
    )
    func largeObject() async throws {
        try await withContainer("slo200") { container, scratch in
            try writePatternFile(scratch.path + "/big.bin", megabytes: 200)
            let put = try await cfsh("put --segment-size 16M big.bin \(container)/", in: scratch)
            #expect(put.status == 0, "\(put)")
            #expect(try await LocalServer.objectNames(container + "_segments").count == 13)
            let stat = try await LocalServer.swiftclient(["stat", container, "big.bin"])
            #expect(stat.stdout.contains("Manifest:") || stat.stdout.contains("X-Static-Large-Object: True"), "\(stat)")
            #expect(stat.stdout.contains("Content Length: 209715200"), "\(stat)")

            let get = try await cfsh("get \(container)/big.bin back/", in: scratch)
            #expect(get.status == 0, "\(get)")
            #expect(
                FileManager.default.contentsEqual(
                    atPath: scratch.path + "/big.bin", andPath: scratch.path + "/back/big.bin"))
            let theirs = try await LocalServer.swiftclient(
                ["download", container, "big.bin", "-o", scratch.path + "/theirs.bin"])
            #expect(theirs.status == 0, "\(theirs)")
            #expect(
                FileManager.default.contentsEqual(
                    atPath: scratch.path + "/big.bin", andPath: scratch.path + "/theirs.bin"))

            // Four segments at once, in parallel ranged GETs. The first
            // body breaks after 1 MiB, and its segment is resumed from there.
            let environment = try await RequestCounter.environment()
            let match = "/\(container)/big.bin"
            try await RequestCounter.start(match)
            try await RequestCounter.truncate(match, method: "GET", after: 1 << 20)
            let parallel = try await CFSHBinary.command(
                "get --parallel-segments 4 \(container)/big.bin again.bin", environment: environment,
                directory: scratch.path)
            #expect(parallel.status == 0, "\(parallel)")
            #expect(
                FileManager.default.contentsEqual(
                    atPath: scratch.path + "/big.bin", andPath: scratch.path + "/again.bin"))
            let counts = try await RequestCounter.counts(match)
            #expect(
                counts["GET"] == 15,
                "the object, its manifest, one GET to resume segment 1 and 12 for the others: \(counts)")

            // A byte damaged on the way, in segment 3: the segment's MD5 catches it, and no
            // file appears. With --ignore-checksum only the length is checked, so it passes.
            try await RequestCounter.corrupt(match, method: "GET", at: (40 << 20) + 7)
            let damaged = try await CFSHBinary.command(
                "get \(container)/big.bin damaged.bin", environment: environment, directory: scratch.path)
            #expect(damaged.status != 0, "\(damaged)")
            #expect(damaged.stderr.contains("segment 3 of 13"), "\(damaged)")
            #expect(!FileManager.default.fileExists(atPath: scratch.path + "/damaged.bin"))
            try await RequestCounter.corrupt(match, method: "GET", at: (40 << 20) + 7)
            let unchecked = try await CFSHBinary.command(
                "get --ignore-checksum \(container)/big.bin damaged.bin", environment: environment,
                directory: scratch.path)
            #expect(unchecked.status == 0, "\(unchecked)")
            #expect(
                try FileManager.default.attributesOfItem(atPath: scratch.path + "/damaged.bin")[.size] as? Int == 200
                    << 20)
            #expect(
                !FileManager.default.contentsEqual(
                    atPath: scratch.path + "/big.bin", andPath: scratch.path + "/damaged.bin"))
            try await RequestCounter.start(match)

            let rm = try await cfsh("rm \(container)/big.bin", in: scratch)
            #expect(rm.status == 0, "\(rm)")
            #expect(try await LocalServer.objectNames(container) == [])
            #expect(try await LocalServer.objectNames(container + "_segments") == [])
        }
    }

    @Test(
        "a dynamic large object (swiftclient --use-dlo) downloads checked segment by segment; a plain file put over it, rm, and rm -r delete its segments"
    )
    func dynamicLargeObject() async throws {
        try await withContainer("dlo") { container, scratch in
            try writePatternFile(scratch.path + "/big.bin", megabytes: 3)
            try Data("small\n".utf8).write(to: URL(fileURLWithPath: scratch.path + "/small.txt"))
            let segments = container + "_segments"
            func uploadDLO(_ name: String) async throws {
                let made = try await LocalServer.swiftclient(
                    ["upload", "--use-dlo", "--segment-size", "1048576", "--object-name", name, container, "big.bin"],
                    directory: scratch.path)
                #expect(made.status == 0, "\(made)")
                let stat = try await LocalServer.swiftclient(["stat", container, name])
                #expect(stat.stdout.contains("Manifest: \(segments)/"), "\(stat)")
            }

            try await uploadDLO("big.bin")
            #expect(try await LocalServer.objectNames(segments).count == 3)
            let get = try await cfsh("get \(container)/big.bin back.bin", in: scratch)
            #expect(get.status == 0, "\(get)")
            #expect(
                FileManager.default.contentsEqual(
                    atPath: scratch.path + "/big.bin", andPath: scratch.path + "/back.bin"))
            // A byte damaged on the way, in the second segment: its MD5 (from the listing of
            // the segments) catches it, and no file appears.
            let environment = try await RequestCounter.environment()
            let match = "/\(container)/big.bin"
            try await RequestCounter.start(match)
            try await RequestCounter.corrupt(match, method: "GET", at: (1 << 20) + 99)
            let damaged = try await CFSHBinary.command(
                "get \(container)/big.bin damaged.bin", environment: environment, directory: scratch.path)
            try await RequestCounter.start(match)
            #expect(damaged.status != 0, "\(damaged)")
            #expect(damaged.stderr.contains("segment 2 of 3"), "\(damaged)")
            #expect(!FileManager.default.fileExists(atPath: scratch.path + "/damaged.bin"))

            // A plain file over it: the manifest is replaced, then its segments go.
            let put = try await cfsh("put small.txt \(container)/big.bin", in: scratch)
            #expect(put.status == 0, "\(put)")
            #expect(try await LocalServer.objectNames(segments) == [])
            let cat = try await cfsh("cat \(container)/big.bin")
            #expect(cat.stdout == "small\n", "\(cat)")

            // rm of one, and rm -r of a folder whose listing shows the manifest as an empty object.
            try await uploadDLO("one.bin")
            try await uploadDLO("dir/two.bin")
            #expect(try await LocalServer.objectNames(segments).count == 6)
            let rm = try await cfsh("rm \(container)/one.bin", in: scratch)
            #expect(rm.status == 0, "\(rm)")
            #expect(try await LocalServer.objectNames(segments).count == 3)
            let rmr = try await cfsh("rm -r \(container)/dir/", in: scratch)
            #expect(rmr.status == 0, "\(rmr)")
            #expect(try await LocalServer.objectNames(segments) == [])
            #expect(try await LocalServer.objectNames(container) == ["big.bin"])
        }
    }

    @Test(
        "an upload killed midway leaves no manifest; run again, it sends only the missing segments, as the proxy counts"
    )
    func resumeAfterKill() async throws {
        try await withContainer("resume") { container, scratch in
            let (stored, environment, command) = try await RequestCounter.interruptedUpload(container, scratch)
            let match = "/\(container)_segments/big.bin/"
            let again = try await CFSHBinary.command(command, environment: environment, directory: scratch.path)
            #expect(again.status == 0, "\(again)")
            let counts = try await RequestCounter.counts(match)
            #expect(counts["PUT", default: 0] == 10 - stored, "\(counts); \(stored) segments were there already")
            #expect(try await LocalServer.objectNames(container + "_segments").count == 10)

            let back = try await cfsh("get \(container)/big.bin back/", in: scratch)
            #expect(back.status == 0, "\(back)")
            #expect(
                FileManager.default.contentsEqual(
                    atPath: scratch.path + "/big.bin", andPath: scratch.path + "/back/big.bin"))
        }
    }

    @Test("--skip-identical sends nothing the second time, and only what changed the third; get skips identical files")
    func skipIdentical() async throws {
        try await withContainer("skip") { container, scratch in
            for index in 1...5 { try scratch.write("data/small-\(index).txt", "file \(index)\n") }
            try writePatternFile(scratch.path + "/data/large.bin", megabytes: 3)
            let environment = try await RequestCounter.environment()
            let put = "put -r --skip-identical --segment-size 1M data \(container)/"
            let first = try await CFSHBinary.command(put, environment: environment, directory: scratch.path)
            #expect(first.status == 0, "\(first)")
            #expect(try await LocalServer.objectNames(container).count == 6)

            let objects = "/\(container)/data/"
            let segments = "/\(container)_segments/"
            try await RequestCounter.start(objects)
            try await RequestCounter.start(segments)
            let second = try await CFSHBinary.command(put + " -v", environment: environment, directory: scratch.path)
            #expect(second.status == 0, "\(second)")
            #expect(try await RequestCounter.counts(objects)["PUT", default: 0] == 0)
            #expect(try await RequestCounter.counts(segments)["PUT", default: 0] == 0)
            #expect(second.stdout.components(separatedBy: "identical, skipped").count - 1 == 6, "\(second)")

            try scratch.write("data/small-3.txt", "file 3, changed\n")
            try await RequestCounter.start(objects)
            let third = try await CFSHBinary.command(put, environment: environment, directory: scratch.path)
            #expect(third.status == 0, "\(third)")
            #expect(try await RequestCounter.counts(objects)["PUT", default: 0] == 1)
            #expect(
                try await LocalServer.swiftclient(["download", container, "data/small-3.txt", "-o", "-"]).stdout
                    == "file 3, changed\n")

            // Without the option everything goes again, though the container lists them all.
            try await RequestCounter.start(objects)
            let plain = try await CFSHBinary.command(
                "put -r --segment-size 1M data \(container)/", environment: environment, directory: scratch.path)
            #expect(plain.status == 0, "\(plain)")
            #expect(try await RequestCounter.counts(objects)["PUT", default: 0] == 6)

            let get = try await cfsh("get -r \(container)/data out/", in: scratch)
            #expect(get.status == 0, "\(get)")
            let inodes = try scratch.files().filter { $0.hasPrefix("out/") }.map { path in
                (
                    path,
                    try FileManager.default.attributesOfItem(atPath: scratch.path + "/" + path)[.systemFileNumber]
                        as? Int
                )
            }
            #expect(inodes.count == 6)
            let again = try await cfsh("get -r --skip-identical \(container)/data out/", in: scratch)
            #expect(again.status == 0, "\(again)")
            for (path, inode) in inodes {
                let now =
                    try FileManager.default.attributesOfItem(atPath: scratch.path + "/" + path)[.systemFileNumber]
                    as? Int
                #expect(now == inode, "\(path) was downloaded again")
            }
        }
    }

    // 10,001 objects: one more than the server's listing page, so `ls -r` must follow the marker.
    @Test(
        "10,001 objects: ls lists them all over two pages; rm -r bulk-deletes 10,000 and rmdir --force the rest, with counts"
    )
    func manyObjects() async throws {
        try await withContainer("many") { container, scratch in
            for folder in ["a", "b"] {
                try FileManager.default.createDirectory(
                    atPath: scratch.path + "/src/" + folder, withIntermediateDirectories: true)
            }
            for index in 0..<10_001 {
                let path = scratch.path + "/src/\(index < 10_000 ? "a" : "b")/" + String(format: "%05d", index)
                #expect(FileManager.default.createFile(atPath: path, contents: Data("\(index)\n".utf8)))
            }
            let put = try await CFSHBinary.run(
                ["-c", "lcd src; put -r --parallel 16 a b \(container)/"], environment: LocalServer.environment,
                directory: scratch.path, timeout: .seconds(900))
            #expect(put.status == 0, "\(put.stderr)")
            let listing = try await cfsh("ls -r \(container)")
            #expect(listing.status == 0, "\(listing.stderr)")
            #expect(listing.lines.count == 10_001)  // two pages of the server's 10,000
            #expect(listing.lines.first == "\(container)/a/00000")
            #expect(listing.lines.last == "\(container)/b/10000")

            let environment = try await RequestCounter.environment()
            let match = "/v1/AUTH_test"
            try await RequestCounter.start(match)
            let rm = try await CFSHBinary.run(
                ["-c", "rm -r -v \(container)/a/"], environment: environment, timeout: .seconds(600))
            #expect(rm.status == 0, "\(rm.stderr)")
            #expect(rm.lines.last?.hasPrefix("rm: deleted 10000 objects in ") == true, "\(rm.lines.last ?? "")")
            let counts = try await RequestCounter.counts(match)
            #expect(counts["DELETE", default: 0] == 0, "objects were deleted one by one: \(counts)")
            #expect((1...20).contains(counts["POST", default: 0]), "\(counts)")
            #expect(try await LocalServer.objectNames(container).count == 1)

            let rmdir = try await CFSHBinary.run(
                ["-c", "rmdir --force -v \(container)"], environment: LocalServer.environment, timeout: .seconds(300))
            #expect(rmdir.status == 0, "\(rmdir.stderr)")
            #expect(
                rmdir.lines.last?.hasPrefix("rmdir: deleted 1 container and 1 object in ") == true,
                "\(rmdir.lines.last ?? "")")
            #expect(try await !LocalServer.containerExists(container))
        }
    }
}
