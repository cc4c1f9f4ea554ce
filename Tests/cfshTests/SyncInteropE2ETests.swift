import CFSHTestSupport
import Foundation
import Testing

/// Issue 15's interop promise: a tree synced up by cfsh and down by `rclone sync` (and the
/// reverse) comes back byte-identical with the same mtimes (to the second), and a second
/// sync by either tool transfers nothing. Both tools store a file's mtime in
/// `X-Object-Meta-Mtime`, so each must read what the other wrote.
@Suite(.serialized, .timeLimit(.minutes(5))) struct SyncInteropE2ETests {
    /// The rclone remote, configured from environment variables only (no config file, no
    /// key on rclone's command line).
    static let remote = "cfshinterop"

    /// Names chosen for the places where tools disagree: sort order around `/` (`dir-x`,
    /// `dir.y` and `dir/` sort differently per component than per path), a space, non-ASCII
    /// (NFC), a dotfile, a nested folder, an empty file, and sizes that are not a block.
    static let tree: [(name: String, bytes: Int)] = [
        ("a.txt", 6), ("dir/b.bin", 10_000), ("dir/sub/c d.txt", 33), ("dir-x/e.txt", 1),
        ("dir.y/f.txt", 7), ("\u{E9}t\u{E9}.txt", 12), (".hidden", 5), ("empty", 0),
        ("z/deep/er/still/g.bin", 70_001),
    ]

    /// Writes the tree under `root` with distinct old mtimes that have a sub-second part
    /// (so a tool that drops or rounds the fraction shows up as a different second nowhere,
    /// but one that loses the seconds does).
    static func writeTree(at root: String) throws {
        for (index, file) in tree.enumerated() {
            let path = root + "/" + file.name
            try FileManager.default.createDirectory(
                atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            var bytes = [UInt8](repeating: 0, count: file.bytes)
            var state = UInt32(truncatingIfNeeded: index &* 2_654_435_761 &+ 1)
            for offset in bytes.indices {
                state = state &* 1_664_525 &+ 1_013_904_223
                bytes[offset] = UInt8(truncatingIfNeeded: state >> 24)
            }
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            let mtime = Date(timeIntervalSince1970: 1_500_000_000 + Double(index) * 86_461 + 0.375)
            try FileManager.default.setAttributes([.modificationDate: mtime], ofItemAtPath: path)
        }
    }

    /// Every file below `root`: relative name -> (bytes, whole seconds of its mtime).
    static func snapshot(_ root: String) throws -> [String: (data: Data, second: Int64)] {
        var result: [String: (data: Data, second: Int64)] = [:]
        for name in TemporaryFolder.files(below: root) {
            let path = root + "/" + name
            let attributes = try FileManager.default.attributesOfItem(atPath: path)
            let date = try #require(attributes[.modificationDate] as? Date)
            result[name] = (
                try Data(contentsOf: URL(fileURLWithPath: path)), Int64(date.timeIntervalSince1970.rounded(.down))
            )
        }
        return result
    }

    /// Expects the two trees to hold the same names, the same bytes and the same mtimes to
    /// the second.
    static func expectSameTree(
        _ source: String, _ copy: String, sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let want = try snapshot(source)
        let got = try snapshot(copy)
        #expect(got.keys.sorted() == want.keys.sorted(), sourceLocation: sourceLocation)
        #expect(want.count == tree.count, sourceLocation: sourceLocation)
        for (name, file) in want {
            guard let other = got[name] else { continue }
            #expect(other.data == file.data, "\(name): bytes differ", sourceLocation: sourceLocation)
            #expect(
                other.second == file.second, "\(name): mtime \(other.second), expected \(file.second)",
                sourceLocation: sourceLocation)
        }
    }

    /// Runs rclone with the remote configured from environment variables.
    static func rclone(_ arguments: [String]) async throws -> CommandResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/rclone")
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment.filter {
            !$0.key.hasPrefix("OS_") && !$0.key.hasPrefix("ST_") && !$0.key.hasPrefix("RCLONE_")
        }
        let prefix = "RCLONE_CONFIG_\(remote.uppercased())_"
        environment[prefix + "TYPE"] = "swift"
        environment[prefix + "AUTH"] = LocalServer.authURL
        environment[prefix + "USER"] = LocalServer.user
        environment[prefix + "KEY"] = LocalServer.key
        environment[prefix + "AUTH_VERSION"] = "1"
        process.environment = environment
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = FileHandle.nullDevice
        try process.run()
        async let out = readToEnd(output.fileHandleForReading)
        async let err = readToEnd(errors.fileHandleForReading)
        let (outData, errData) = await (out, err)
        await waitForExit(process)
        return CommandResult(
            status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData, as: UTF8.self))
    }

    /// What a `rclone sync --dry-run -v` would do: its "Skipped copy", "Skipped delete" and
    /// "Skipped update modification time" lines (one per file it would touch).
    static func rclonePlan(_ source: String, _ destination: String) async throws -> [String] {
        let result = try await rclone(["sync", "--dry-run", "-v", source, destination])
        #expect(result.status == 0, "\(result)")
        #expect(result.stderr.contains("There was nothing to transfer"), "\(result)")
        return result.stderr.split(separator: "\n").map(String.init).filter { $0.contains(": Skipped ") }
    }

    /// The counts of cfsh's `sync --json` summary that mean work done: copied, updated and
    /// deleted (the keys of the shared transfer summary; missing keys fail the test).
    static func cfshWork(
        _ result: CommandResult, sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> [String: Int] {
        #expect(result.status == 0, "\(result)", sourceLocation: sourceLocation)
        let json = try #require(
            try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any], "\(result)",
            sourceLocation: sourceLocation)
        let summary = (json["summary"] as? [String: Any]) ?? json
        var work: [String: Int] = [:]
        for key in ["copied", "updated", "deleted"] {
            work[key] = try #require(
                summary[key] as? Int, "no \(key) in \(result.stdout)", sourceLocation: sourceLocation)
        }
        return work
    }

    static let nothing = ["copied": 0, "updated": 0, "deleted": 0]

    @Test("up by cfsh, down by rclone sync: same bytes and mtimes; a second sync by either tool transfers nothing")
    func cfshUpRcloneDown() async throws {
        try await withContainer("interop-up") { container, scratch in
            let source = scratch.file("src")
            let copy = scratch.file("copy")
            try Self.writeTree(at: source)
            let up = try await cfsh("sync file:\(source) /\(container)/")
            #expect(up.status == 0, "\(up)")
            // What the server holds, seen by the listing, not by cfsh.
            #expect(try await LocalServer.objectNames(container).sorted() == Self.tree.map(\.name).sorted())

            let down = try await Self.rclone(["sync", "\(Self.remote):\(container)", copy])
            #expect(down.status == 0, "\(down)")
            try Self.expectSameTree(source, copy)

            // rclone again, both ways: it sees cfsh's objects as identical to the files.
            #expect(try await Self.rclonePlan("\(Self.remote):\(container)", copy) == [])
            #expect(try await Self.rclonePlan(source, "\(Self.remote):\(container)") == [])
            // cfsh again, both ways: up over its own upload, down over rclone's download.
            #expect(try Self.cfshWork(try await cfsh("sync --json file:\(source) /\(container)/")) == Self.nothing)
            #expect(try Self.cfshWork(try await cfsh("sync --json /\(container)/ file:\(copy)")) == Self.nothing)
            try Self.expectSameTree(source, copy)
        }
    }

    @Test("up by rclone sync, down by cfsh: same bytes and mtimes; a second sync by either tool transfers nothing")
    func rcloneUpCfshDown() async throws {
        try await withContainer("interop-down") { container, scratch in
            let source = scratch.file("src")
            let copy = scratch.file("copy")
            try Self.writeTree(at: source)
            let up = try await Self.rclone(["sync", source, "\(Self.remote):\(container)"])
            #expect(up.status == 0, "\(up)")
            #expect(try await LocalServer.objectNames(container).sorted() == Self.tree.map(\.name).sorted())

            let down = try await cfsh("sync /\(container)/ file:\(copy)")
            #expect(down.status == 0, "\(down)")
            try Self.expectSameTree(source, copy)

            // cfsh again, both ways: down over its own download, up over rclone's upload.
            #expect(try Self.cfshWork(try await cfsh("sync --json /\(container)/ file:\(copy)")) == Self.nothing)
            #expect(try Self.cfshWork(try await cfsh("sync --json file:\(source) /\(container)/")) == Self.nothing)
            // rclone again, both ways: it sees cfsh's download as identical to the objects.
            #expect(try await Self.rclonePlan("\(Self.remote):\(container)", copy) == [])
            #expect(try await Self.rclonePlan(source, "\(Self.remote):\(container)") == [])
            try Self.expectSameTree(source, copy)
        }
    }
}
