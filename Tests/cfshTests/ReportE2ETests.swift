import CFSHTestSupport
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Issue 13 items 7, 11, 12 and 17: what cfsh says it did. One summary line per command that
/// moved or deleted something at the terminal (and with -v), nothing in scripts, a JSON object
/// with --json; the download line's total; resumed uploads that say so and count only bytes sent.
@Suite(.serialized, .timeLimit(.minutes(10))) struct ReportE2ETests {
    // MARK: - Item 7: summary lines

    @Test("at the terminal each of put, get, cp, mv, rm and rmdir --force leaves one summary line")
    func summaryLinesAtTheTerminal() async throws {
        try await withContainer("report") { container, scratch in
            try scratch.write("a.txt", "hello\n")
            try scratch.write("b.txt", "world\n")
            #expect(try await cfsh("put a.txt \(container)/", in: scratch).status == 0)
            let session = try await REPLSessionTests.connectedSession(directory: scratch.path)
            let prompt = REPLSessionTests.connected
            // Each command, then the line it must leave just before the next prompt.
            let steps: [(String, String)] = [
                ("put --skip-identical a.txt b.txt \(container)/", "put: 2 files, 12 B in "),
                ("get \(container)/a.txt out/", "get: 1 file, 6 B in "),
                ("cp \(container)/a.txt \(container)/c.txt", "cp: 1 object in "),
                ("mv \(container)/c.txt \(container)/d.txt", "mv: 1 object in "),
                ("rm \(container)/d.txt", "rm: deleted 1 object in "),
                ("rmdir --force \(container)", "rmdir: deleted 1 container and 2 objects in "),
            ]
            for (command, summary) in steps {
                try session.enter(command)
                let screen = try await session.waitForScreen("the summary of '\(command)'") { screen in
                    let lines = screen.split(separator: "\n").map(String.init)
                    return lines.count >= 2 && lines.last == prompt && lines[lines.count - 2].hasPrefix(summary)
                }
                let lines = screen.split(separator: "\n").map(String.init)
                #expect(lines[lines.count - 3] == "\(prompt) \(command)", "one line, no more:\n\(screen)")
                if command.hasPrefix("put") {
                    #expect(lines[lines.count - 2].hasSuffix(" s (sent 1, skipped 1 identical)"), "\(screen)")
                }
            }
            #expect(try await !LocalServer.containerExists(container))
        }
    }

    @Test("scripts stay quiet unless -v, which ends the item lines with the summary on standard output")
    func scriptsStayQuiet() async throws {
        try await withContainer("reportq") { container, scratch in
            try scratch.write("a.txt", "hello\n")
            let quiet = try await cfsh(
                """
                put a.txt \(container)/; get \(container)/a.txt out/; cp \(container)/a.txt \(container)/c.txt
                mv \(container)/c.txt \(container)/d.txt; rm \(container)/d.txt; rm -r \(container)/
                """, in: scratch)
            quiet.expect(status: 0, stdout: "", stderr: "")

            let verbose = try await cfsh(
                "put -v a.txt \(container)/; get -v \(container)/a.txt out2/; cp -v \(container)/a.txt \(container)/c.txt; "
                    + "mv -v \(container)/c.txt \(container)/d.txt; rm -v \(container)/d.txt; rmdir --force -v \(container)",
                in: scratch)
            #expect(verbose.status == 0, "\(verbose)")
            #expect(verbose.stderr == "")
            let summaries = verbose.lines.filter { $0.contains(": ") && $0.contains(" in ") }
            let prefixes = [
                "put: 1 file, 6 B in ", "get: 1 file, 6 B in ", "cp: 1 object in ", "mv: 1 object in ",
                "rm: deleted 1 object in ", "rmdir: deleted 1 container and 1 object in ",
            ]
            #expect(summaries.count == prefixes.count, "\(verbose)")
            for (line, prefix) in zip(summaries, prefixes) { #expect(line.hasPrefix(prefix), "\(verbose)") }
            #expect(verbose.lines.first == "a.txt -> \(container)/a.txt", "\(verbose)")
        }
    }

    // MARK: - Item 17: JSON

    @Test("put, get, cp, mv, rm and rmdir --json print one typed object, failures included")
    func jsonSummaries() async throws {
        try await withContainer("reportj") { container, scratch in
            try scratch.write("a.txt", "hello\n")
            try scratch.write("b.txt", "world!\n")
            #expect(try await cfsh("put a.txt \(container)/", in: scratch).status == 0)

            let put = try await cfsh("put --json --skip-identical a.txt b.txt \(container)/", in: scratch)
            let putObject = try Self.transferObject(put, command: "put")
            #expect(putObject["objects"] as? Int == 2)
            #expect(putObject["transferred"] as? Int == 1)
            #expect(putObject["skipped"] as? Int == 1)
            #expect(putObject["bytes"] as? Int == 13)
            #expect(putObject["bytes_transferred"] as? Int == 7)
            #expect(put.stderr == "")

            let get = try await cfsh("get --json \(container)/*.txt out/", in: scratch)
            let getObject = try Self.transferObject(get, command: "get")
            #expect(getObject["transferred"] as? Int == 2)
            #expect(getObject["bytes_transferred"] as? Int == 13)

            let cp = try await cfsh("cp --json \(container)/a.txt \(container)/c.txt")
            #expect(try Self.transferObject(cp, command: "cp")["transferred"] as? Int == 1)
            let mv = try await cfsh("mv --json \(container)/c* \(container)/d.txt")
            let mvObject = try Self.transferObject(mv, command: "mv")
            #expect(mvObject["bytes"] as? Int == 6, "a glob's listing gives the size")

            // A failure: the object still comes, with the failure typed, and the status says so.
            let rm = try await cfsh("rm --json \(container)/d.txt \(container)/missing.txt")
            #expect(rm.status == 1, "\(rm)")
            let rmObject = try Self.deletionObject(rm, command: "rm")
            #expect(rmObject["deleted"] as? Int == 1)
            #expect(rmObject["failed"] as? Int == 1)
            let failures = try #require(rmObject["failures"] as? [[String: Any]])
            #expect(failures.count == 1)
            #expect(failures.first?["path"] as? String == "\(container)/missing.txt")
            #expect((failures.first?["error"] as? String)?.contains("not found") == true)

            let rmdir = try await cfsh("rmdir --force --json \(container)")
            let rmdirObject = try Self.deletionObject(rmdir, command: "rmdir")
            #expect(rmdirObject["deleted"] as? Int == 2)
            #expect(rmdirObject["containers_deleted"] as? Int == 1)

            let both = try await cfsh("rm -v --json \(container)/x")
            #expect(both.status != 0, "\(both)")
            #expect(both.stderr.contains("-v and --json contradict each other"), "\(both)")
        }
    }

    @Test("stat --json types a large object; connect and stat say token_expires in ISO 8601; an empty glob is []")
    func jsonShapes() async throws {
        try await withContainer("reports") { container, scratch in
            try writePatternFile(scratch.path + "/big.bin", megabytes: 3)
            #expect(try await cfsh("put --segment-size 1M big.bin \(container)/", in: scratch).status == 0)
            let stat = try await cfsh("stat --json \(container)/big.bin")
            let object = try #require(Self.decode(stat) as? [String: Any], "\(stat)")
            let large = try #require(object["large_object"] as? [String: Any], "\(stat)")
            #expect(large["type"] as? String == "static")
            #expect(large["segments"] as? Int == 3)
            #expect(large["segment_containers"] as? [String] == ["\(container)_segments"])
            #expect(large["manifest"] is NSNull)
            let text = try await cfsh("stat \(container)/big.bin")
            #expect(text.stdout.contains("static, 3 segments in '\(container)_segments'\n"), "\(text)")

            let dlo = try await LocalServer.swiftclient(
                ["upload", "--use-dlo", "--segment-size", "1048576", "--object-name", "dlo.bin", container, "big.bin"],
                directory: scratch.path)
            #expect(dlo.status == 0, "\(dlo)")
            let dynamic = try #require(
                Self.decode(try await cfsh("stat --json \(container)/dlo.bin")) as? [String: Any])
            let dynamicLarge = try #require(dynamic["large_object"] as? [String: Any])
            #expect(dynamicLarge["type"] as? String == "dynamic")
            #expect(dynamicLarge["segments"] as? Int == 3)
            #expect((dynamicLarge["manifest"] as? String)?.hasPrefix("\(container)_segments/dlo.bin/") == true)

            let iso = #/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/#
            let connect = try #require(Self.decode(try await cfsh("connect --json")) as? [String: Any])
            let account = try #require(Self.decode(try await cfsh("stat --json /")) as? [String: Any])
            for value in [connect, account] {
                let expires = try #require(value["token_expires"] as? String, "\(value)")
                #expect(expires.wholeMatch(of: iso) != nil, "\(expires)")
                #expect(value["expires"] == nil)
            }

            let empty = try await cfsh("ls --json \(container)/*.none; lls --json *.none", in: scratch)
            empty.expect(status: 0, stdout: "[]\n[]\n", stderr: "")
            #expect(try await cfsh("ls \(container)/*.none").status == 1, "without --json no match is still an error")
            let listing = try #require(Self.decode(try await cfsh("ls --json /\(container)*")) as? [[String: Any]])
            #expect((listing.first?["path"] as? String)?.hasSuffix(container) == true, "\(listing)")
            #expect(listing.first?["name"] as? String != nil, "\(listing)")
            #expect(listing.first?["type"] as? String == "container")
            #expect(listing.first?["objects"] as? Int != nil, "\(listing)")
            #expect(listing.first?["count"] == nil)
        }
    }

    // MARK: - Item 11: the download line

    @Test("the download line of an object named on its own shows the total, a percentage and an ETA")
    func downloadProgressTotal() async throws {
        try await withContainer("reportg") { container, scratch in
            let out = try await LocalServer.uploadSparseBigFile(to: container, from: scratch)
            let session = try await REPLSessionTests.connectedSession(directory: scratch.path)
            try session.enter("get \(container)/big.bin out/")
            let screen = try await session.waitForScreen("a download line with its total", timeout: .seconds(30)) {
                screen in
                screen.split(separator: "\n").contains { line in
                    line.hasPrefix("get 0/1 files  ") && line.contains(" / 400.0 MiB  ") && line.contains("%")
                        && line.contains(" ETA ")
                }
            }
            #expect(!screen.contains("\nget: "), "no summary before the end")
            let done = try await session.waitForScreen("the summary", timeout: .seconds(60)) {
                $0.hasSuffix("\n" + REPLSessionTests.connected)
            }
            let lines = done.split(separator: "\n").map(String.init)
            #expect(lines[lines.count - 2].hasPrefix("get: 1 file, 400.0 MiB in "), "\(done)")
            #expect(lines[lines.count - 3] == "\(REPLSessionTests.connected) get \(container)/big.bin out/")
            #expect(FileManager.default.fileExists(atPath: out + "/big.bin"))

            // The same with --progress in a script: plain lines, with the total.
            try FileManager.default.removeItem(atPath: out + "/big.bin")
            let script = try await cfsh("get --progress \(container)/big.bin out/", in: scratch)
            #expect(script.status == 0, "\(script)")
            #expect(script.stderr.contains(" / 400.0 MiB  "), "\(script)")
            let last = script.stderr.split(separator: "\n").last.map(String.init) ?? ""
            #expect(last.hasPrefix("get: 1 file, 400.0 MiB in "), "\(script)")
        }
    }

    // MARK: - Item 12: resume

    @Test("a re-run of an interrupted upload says 'resuming' and reports only the bytes it sent (-v in a script)")
    func resumeInAScript() async throws {
        try await withContainer("reportr") { container, scratch in
            let (stored, environment, command) = try await RequestCounter.interruptedUpload(container, scratch)
            let again = try await CFSHBinary.command(command + " -v", environment: environment, directory: scratch.path)
            #expect(again.status == 0, "\(again)")
            #expect(again.lines.first == "resuming: \(stored) of 10 segments already stored", "\(again)")
            let summary = try #require(again.lines.last, "\(again)")
            #expect(summary.hasPrefix("put: 1 file, 160.0 MiB in "), "\(again)")
            let sent = (10 - stored) * 16
            #expect(
                summary.hasSuffix(" (sent \(sent).0 MiB: \(stored) of 10 segments were already stored)"), "\(again)")
            #expect(sent < 160)

            // Once more, with --json: every segment is there, none is sent.
            let json = try await CFSHBinary.command(
                command + " --json", environment: environment, directory: scratch.path)
            let object = try Self.transferObject(json, command: "put")
            #expect(object["segments_reused"] as? Int == 10)
            #expect(object["bytes"] as? Int == 160 << 20)
            #expect(object["bytes_transferred"] as? Int == 0)
        }
    }

    @Test("at the terminal, a re-run of an interrupted upload says 'resuming' before it sends anything")
    func resumeAtTheTerminal() async throws {
        try await withContainer("reportt") { container, scratch in
            let (stored, environment, command) = try await RequestCounter.interruptedUpload(container, scratch)
            let session = try PTYSession(directory: scratch.path, environment: environment)
            try await session.waitForLastLine(REPLSessionTests.disconnected)
            try session.enter(command)
            let screen = try await session.waitForScreen("the summary", timeout: .seconds(120)) {
                $0.contains("segments were already stored)")
            }
            let lines = screen.split(separator: "\n").map(String.init)
            let index = try #require(lines.firstIndex { $0.hasSuffix(command) }, "\(screen)")
            #expect(lines[index + 1] == "resuming: \(stored) of 10 segments already stored", "\(screen)")
            #expect(
                lines[index + 2].hasSuffix(
                    " (sent \((10 - stored) * 16).0 MiB: \(stored) of 10 segments were already stored)"), "\(screen)")
        }
    }

    // MARK: - Helpers

    static func decode(_ result: CommandResult) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(result.stdout.utf8), options: [.fragmentsAllowed])
    }

    /// The summary object of put, get, cp or mv, with every key of its documented type.
    static func transferObject(_ result: CommandResult, command: String) throws -> [String: Any] {
        let object = try #require(try decode(result) as? [String: Any], "\(result)")
        #expect(object["command"] as? String == command)
        for key in ["objects", "transferred", "skipped", "failed", "segments_reused"] {
            #expect(object[key] as? Int != nil, "\(key) is not an integer: \(result)")
        }
        for key in ["bytes", "bytes_transferred"] {
            #expect(object[key] as? Int != nil || object[key] is NSNull, "\(key): \(result)")
        }
        #expect(object["seconds"] as? Double != nil, "\(result)")
        #expect(object["failures"] as? [Any] != nil, "\(result)")
        #expect(object.count == 10, "no undocumented keys: \(result)")
        return object
    }

    /// The summary object of rm or rmdir, with every key of its documented type.
    static func deletionObject(_ result: CommandResult, command: String) throws -> [String: Any] {
        let object = try #require(try decode(result) as? [String: Any], "\(result)")
        #expect(object["command"] as? String == command)
        for key in ["deleted", "not_found", "failed", "kept_by_filter", "containers_deleted"] {
            #expect(object[key] as? Int != nil, "\(key) is not an integer: \(result)")
        }
        #expect(object["seconds"] as? Double != nil, "\(result)")
        #expect(object["failures"] as? [Any] != nil, "\(result)")
        #expect(object.count == 8, "no undocumented keys: \(result)")
        return object
    }
}
