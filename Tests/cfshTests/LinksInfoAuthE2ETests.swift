import CFSHTestSupport
import Foundation
import Testing

/// `ln`, `info` and `auth` through the built binary against the local Swift, checked with
/// curl: the link's headers, the target's bytes, and the server's own /info.
@Suite(.timeLimit(.minutes(5))) struct LinksInfoAuthE2ETests {
    /// The reply headers of `curl -I` on an object of the main account, lowercased names.
    static func headers(
        _ container: String, _ name: String, query: String = "symlink=get"
    ) async throws -> [String: String] {
        let session = try await AccountSession.shared.current()
        let url =
            session.storageURL + "/" + LocalServer.pathEncoded(container) + "/" + LocalServer.pathEncoded(name) + "?"
            + query
        let result = try await LocalServer.shell(
            "/usr/bin/curl", ["-sI", "--path-as-is", "-H", "X-Auth-Token: " + session.token, url])
        var headers: [String: String] = [:]
        for line in result.stdout.split(separator: "\r\n") {
            guard let colon = line.firstIndex(of: ":") else {
                headers[":status"] = line.split(separator: " ").dropFirst().first.map(String.init)
                continue
            }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(
                in: .whitespaces)
        }
        return headers
    }

    /// An object's bytes as curl downloads them (following links, as any client does).
    static func body(_ container: String, _ name: String) async throws -> String {
        let session = try await AccountSession.shared.current()
        let url = session.storageURL + "/" + LocalServer.pathEncoded(container) + "/" + LocalServer.pathEncoded(name)
        return try await LocalServer.shell(
            "/usr/bin/curl", ["-s", "--path-as-is", "-H", "X-Auth-Token: " + session.token, url]
        ).stdout
    }

    @Test("ln makes a cross-container link to an awkward name; curl sees X-Symlink-Target; get, stat and ls -l show it")
    func crossContainerLink() async throws {
        try await withContainer("ln") { container, scratch in
            try await withContainer("lnt") { other, _ in
                try scratch.write("t.txt", "the target\n")
                let made = try await cfsh(
                    """
                    mkdir \(container) \(other)
                    put t.txt '/\(other)/dir/a b%20 ü.txt'
                    cd /\(container)
                    ln '/\(other)/dir/a b%20 ü.txt' links/
                    """, in: scratch)
                #expect(made.status == 0, "\(made)")
                let link = "links/a b%20 ü.txt"
                let headers = try await Self.headers(container, link)
                #expect(headers["x-symlink-target"] == "\(other)/dir/a%20b%2520%20%C3%BC.txt", "\(headers)")
                #expect(headers["content-length"] == "0")
                #expect(try await Self.body(container, link) == "the target\n")

                let read = try await cfsh(
                    "get '/\(container)/\(link)' got.txt; cat '/\(container)/\(link)'", in: scratch)
                #expect(read.status == 0, "\(read)")
                #expect(read.stdout == "the target\n")
                #expect(try String(contentsOfFile: scratch.file("got.txt"), encoding: .utf8) == "the target\n")

                let long = try await cfsh("ls -l /\(container)/links/")
                #expect(long.status == 0, "\(long)")
                #expect(long.stdout.contains("/\(container)/\(link) -> /\(other)/dir/a b%20 ü.txt"), "\(long)")
                let json = try await cfsh("ls --json /\(container)/links/")
                let items = try #require(
                    try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]], "\(json)")
                #expect(items.first?["symlink_target"] as? String == "/\(other)/dir/a b%20 ü.txt", "\(json)")
                #expect(items.first?["symlink_account"] as? String == "AUTH_test", "\(json)")

                let stat = try await cfsh("stat --json '/\(container)/\(link)'")
                #expect(stat.status == 0, "\(stat)")
                let fields = try #require(
                    try JSONSerialization.jsonObject(with: Data(stat.stdout.utf8)) as? [String: Any], "\(stat)")
                #expect(fields["symlink_target"] as? String == "/\(other)/dir/a b%20 ü.txt", "\(stat)")
                #expect(fields["size"] as? Int == 0, "the link itself: \(stat)")
                let target = try #require(fields["target"] as? [String: Any], "\(stat)")
                #expect(target["exists"] as? Bool == true)
                #expect(target["size"] as? Int == 11)
                let text = try await cfsh("stat '/\(container)/\(link)'")
                #expect(text.stdout.contains("Symlink target:"), "\(text)")
            }
        }
    }

    @Test("ln refuses a pattern, a link to itself, a missing target (unless --force) and an existing LINK")
    func refusals() async throws {
        try await withContainer("ln") { container, scratch in
            try scratch.write("t.txt", "t\n")
            #expect(
                try await cfsh(
                    "mkdir \(container); put t.txt \(container)/t.txt; put t.txt \(container)/x", in: scratch
                ).status == 0)
            let pattern = try await cfsh("ln \(container)/*.txt \(container)/l")
            #expect(pattern.status != 0 && pattern.stderr.contains("cannot be a pattern"), "\(pattern)")
            let selfLink = try await cfsh("ln \(container)/t.txt /\(container)/t.txt")
            #expect(selfLink.status != 0 && selfLink.stderr.contains("link to itself"), "\(selfLink)")
            let missing = try await cfsh("ln \(container)/nothing \(container)/l")
            #expect(missing.status != 0 && missing.stderr.contains("does not exist"), "\(missing)")
            let existing = try await cfsh("ln \(container)/t.txt \(container)/x")
            #expect(existing.status != 0 && existing.stderr.contains("already exists"), "\(existing)")
            #expect(try await Self.headers(container, "x")["x-symlink-target"] == nil, "x is still the plain object")
            let folder = try await cfsh("ln \(container)/ \(container)/l")
            #expect(folder.status != 0 && folder.stderr.contains("must be an object"), "\(folder)")
            #expect(try await LocalServer.objectNames(container) == ["t.txt", "x"])

            let dangling = try await cfsh("ln --force \(container)/nothing \(container)/l")
            #expect(dangling.status == 0, "\(dangling)")
            #expect(try await Self.headers(container, "l")["x-symlink-target"] == "\(container)/nothing")
            let stat = try await cfsh("stat --json \(container)/l")
            #expect(stat.stdout.contains("\"exists\": false"), "\(stat)")
        }
    }

    @Test("ln --static pins the target's ETag; ln --account names another account")
    func staticAndAccount() async throws {
        try await withContainer("ln") { container, scratch in
            try scratch.write("t.txt", "pinned\n")
            let made = try await cfsh(
                """
                mkdir \(container); put t.txt \(container)/t.txt
                ln --static \(container)/t.txt \(container)/s
                ln --account AUTH_partner /shared/feed.json \(container)/p
                ln --account AUTH_test \(container)/t.txt \(container)/own
                """, in: scratch)
            #expect(made.status == 0, "\(made)")
            let pinned = try await Self.headers(container, "s")
            #expect(pinned["x-symlink-target-etag"]?.count == 32, "\(pinned)")
            #expect(pinned["x-symlink-target-etag"] == (try await Self.headers(container, "t.txt"))["etag"])
            let foreign = try await Self.headers(container, "p")
            #expect(foreign["x-symlink-target-account"] == "AUTH_partner", "\(foreign)")
            #expect(foreign["x-symlink-target"] == "shared/feed.json")
            #expect(try await Self.headers(container, "own")["x-symlink-target-account"] == nil)
            let long = try await cfsh("ls -l \(container)/")
            #expect(long.stdout.contains("p -> AUTH_partner:/shared/feed.json"), "\(long)")
            #expect(long.stdout.contains("own -> /\(container)/t.txt"), "\(long)")
            // Changed content: the static link no longer reads.
            try scratch.write("t.txt", "changed\n")
            #expect(try await cfsh("put t.txt \(container)/t.txt", in: scratch).status == 0)
            #expect(try await Self.headers(container, "s", query: "")[":status"] == "409")
        }
    }

    @Test("rm of a link, rm -r of a folder holding links, delete only the links: never targets nor segments")
    func removeLinks() async throws {
        try await withContainer("ln") { container, scratch in
            try await withContainer("lno") { outside, _ in
                try scratch.write("t.txt", "keep me\n")
                try scratch.write("big.bin", String(repeating: "0123456789abcdef", count: 160_000))
                let made = try await cfsh(
                    """
                    mkdir \(container) \(outside)
                    put t.txt \(outside)/t.txt
                    put --segment-size 1M big.bin \(outside)/big.bin
                    ln /\(outside)/t.txt \(container)/one
                    ln /\(outside)/t.txt \(container)/dir/two
                    ln /\(outside)/big.bin \(container)/dir/big
                    ln /\(outside)/big.bin \(container)/bigalone
                    """, in: scratch)
                #expect(made.status == 0, "\(made)")
                let outsideBefore = try await LocalServer.objectNames(outside)
                let segmentsBefore = try await LocalServer.objectNames(outside + "_segments")
                #expect(outsideBefore == ["big.bin", "t.txt"])
                #expect(segmentsBefore.count == 3, "\(segmentsBefore)")

                let getBig = try await cfsh("get \(container)/dir/big got.bin", in: scratch)
                #expect(getBig.status == 0, "\(getBig)")
                #expect(
                    FileManager.default.contentsEqual(atPath: scratch.file("got.bin"), andPath: scratch.file("big.bin"))
                )

                let removed = try await cfsh("rm \(container)/one; rm \(container)/bigalone; rm -r \(container)/dir/")
                #expect(removed.status == 0, "\(removed)")
                #expect(try await LocalServer.objectNames(container) == [])
                #expect(try await LocalServer.objectNames(outside) == outsideBefore)
                #expect(try await LocalServer.objectNames(outside + "_segments") == segmentsBefore)
                #expect(try await Self.body(outside, "t.txt") == "keep me\n")
            }
        }
    }

    @Test("info summarises /info and --json is the server's own document")
    func info() async throws {
        try await LocalServer.require()
        let served = try await LocalServer.shell(
            "/usr/bin/curl", ["-s", LocalServer.authURL.replacingOccurrences(of: "/auth/v1.0", with: "/info")])
        let expected = try #require(
            try JSONSerialization.jsonObject(with: Data(served.stdout.utf8)) as? NSDictionary, "\(served)")
        let version = try #require((expected["swift"] as? [String: Any])?["version"] as? String)
        let text = try await cfsh("info")
        #expect(text.status == 0, "\(text)")
        for line in [
            "Swift version:", version, "Largest object:", "5368709122 bytes", "TempURL:",
            "digests sha1 (deprecated) sha256 sha512", "object versioning (X-Versions-Enabled)", "Symlinks:",
            "static links", "Bulk upload:", "Static large objects:", "1000 segments a manifest", "Metadata:",
            "at most 90 items, 4096 bytes in all",
        ] {
            #expect(text.stdout.contains(line), "\(line): \(text)")
        }
        let json = try await cfsh("info --json")
        #expect(json.status == 0, "\(json)")
        let printed = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? NSDictionary)
        #expect(printed == expected)
        let extra = try await cfsh("info /x")
        #expect(extra.status == 2, "\(extra)")
    }

    @Test("eval \"$(cfsh auth)\" lets curl use the session; the token is in no log even with trace logging")
    func auth() async throws {
        try await withContainer("auth") { container, scratch in
            #expect(try await cfsh("mkdir \(container)").status == 0)
            try scratch.write(
                "use.sh",
                """
                set -e
                eval "$("$CFSH" -c auth 2>auth.err)"
                curl -s -o /dev/null -w '%{http_code}\\n' -H "X-Auth-Token: $OS_AUTH_TOKEN" "$OS_STORAGE_URL/\(container)"
                printf '%s\\n' "$OS_AUTH_TOKEN" > token.txt
                """)
            let inherited = ProcessInfo.processInfo.environment.filter {
                !$0.key.hasPrefix("OS_") && !$0.key.hasPrefix("ST_")
            }
            let environment = inherited.merging(LocalServer.environment) { _, new in new }
                .merging(["CFSH": CFSHBinary.path, "CFSH_LOG_LEVEL": "trace", "NO_COLOR": "1"]) { _, new in new }
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["use.sh"]
            process.environment = environment
            process.currentDirectoryURL = URL(fileURLWithPath: scratch.path)
            let output = Pipe()
            process.standardOutput = output
            try process.run()
            let printed = await readToEnd(output.fileHandleForReading)
            await waitForExit(process)
            #expect(process.terminationStatus == 0)
            #expect(String(decoding: printed, as: UTF8.self) == "204\n")
            let token = try String(contentsOfFile: scratch.file("token.txt"), encoding: .utf8)
                .trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(token.hasPrefix("AUTH_"), "\(token)")
            let log = try String(contentsOfFile: scratch.file("auth.err"), encoding: .utf8)
            #expect(!log.isEmpty, "trace logging wrote the requests")
            #expect(!log.contains(token), "\(log)")

            // With debug logging and a listing too: stdout alone holds the token, once per line asked.
            let both = try await cfsh("auth --json; ls \(container)", environment: ["CFSH_LOG_LEVEL": "trace"])
            #expect(both.status == 0, "\(both)")
            let json = try #require(
                try JSONSerialization.jsonObject(with: Data(both.stdout.utf8)) as? [String: Any], "\(both)")
            let jsonToken = try #require(json["token"] as? String)
            #expect(json["storage_url"] as? String == (try await AccountSession.shared.current()).storageURL)
            #expect(!both.stderr.contains(jsonToken), "\(both.stderr)")
        }
    }
}
