import CFSHTestSupport
import Foundation
import Testing

/// Issue 14, metadata, content type and expiry: `meta`, `put --meta/--header/--content-type/
/// --delete-after/--delete-at` and `stat`, through the built binary against the local server,
/// checked with python-swiftclient and curl.
@Suite(.serialized, .timeLimit(.minutes(10))) struct MetadataE2ETests {
    /// The object's headers as curl sees them, names lowercased.
    static func head(_ path: String) async throws -> [String: String] {
        let session = try await AccountSession.shared.current(renew: false)
        let url =
            session.storageURL + "/"
            + path.split(separator: "/").map { LocalServer.pathEncoded(String($0)) }.joined(separator: "/")
        let result = try await LocalServer.shell(
            "/usr/bin/curl", ["-s", "-I", "-H", "X-Auth-Token: " + session.token, url])
        var headers: [String: String] = [:]
        for line in result.stdout.split(separator: "\r\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(
                in: .whitespaces)
        }
        return headers
    }

    @Test("meta sets and removes keys on the account, a container and an object in one command; swift stat sees them")
    func setAndRemove() async throws {
        try await withContainer("meta") { container, scratch in
            try scratch.write("o.txt", "o\n")
            #expect(try await cfsh("put o.txt \(container)/", in: scratch).status == 0)
            // The account is shared with other tests: one key of our own, removed after.
            let key = "cfsh-e2e-" + UUID().uuidString.prefix(8).lowercased()
            let account = try await cfsh("meta / \(key)=one")
            #expect(account.status == 0, "\(account)")
            var stat = try await LocalServer.swiftclient(["stat"])
            #expect(stat.stdout.lowercased().contains("meta \(key): one"), "\(stat)")
            let removed = try await cfsh("meta / --remove \(key)")
            #expect(removed.status == 0, "\(removed)")
            stat = try await LocalServer.swiftclient(["stat"])
            #expect(!stat.stdout.lowercased().contains("meta \(key)"), "\(stat)")

            var result = try await cfsh("meta \(container) color=red size=big")
            #expect(result.status == 0, "\(result)")
            result = try await cfsh("meta \(container) shape=round --remove size")
            #expect(result.status == 0, "\(result)")
            stat = try await LocalServer.swiftclient(["stat", container])
            #expect(stat.stdout.contains("Meta Color: red"), "\(stat)")
            #expect(stat.stdout.contains("Meta Shape: round"), "\(stat)")
            #expect(!stat.stdout.contains("Meta Size"), "\(stat)")
            #expect(try await cfsh("meta \(container)").stdout == "color=red\nshape=round\n")

            result = try await cfsh("meta \(container)/o.txt a=1 b=2 'note=hello world'")
            #expect(result.status == 0, "\(result)")
            result = try await cfsh("meta \(container)/o.txt c=3 --remove a")
            #expect(result.status == 0, "\(result)")
            stat = try await LocalServer.swiftclient(["stat", container, "o.txt"])
            #expect(stat.stdout.contains("Meta B: 2"), "the keys not named are kept: \(stat)")
            #expect(stat.stdout.contains("Meta Note: hello world"), "\(stat)")
            #expect(stat.stdout.contains("Meta C: 3"), "\(stat)")
            #expect(!stat.stdout.contains("Meta A:"), "\(stat)")
            #expect(stat.stdout.contains("Meta Mtime:"), "the file's mtime is kept: \(stat)")
            let shown = try await cfsh("meta \(container)/o.txt")
            shown.expect(status: 0, stdout: "b=2\nc=3\nnote=hello world\n", stderr: "")
            let json = try await cfsh("meta --json \(container)/o.txt")
            #expect(json.status == 0, "\(json)")
            let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
            #expect(
                (object?["metadata"] as? [String: String]) == ["b": "2", "c": "3", "note": "hello world"], "\(json)")
            #expect((object?["content_type"] as? String)?.hasPrefix("text/plain") == true, "\(json)")
        }
    }

    @Test("the expiry, Content-Disposition and content type survive a metadata change; the type changes on request")
    func expiryAndTypeKept() async throws {
        try await withContainer("metaexp") { container, scratch in
            try scratch.write("r.bin", "report\n")
            let put = try await cfsh(
                "put --delete-after 2d --content-type text/x-report --meta owner=ops --header 'Content-Disposition: attachment' r.bin \(container)/",
                in: scratch)
            #expect(put.status == 0, "\(put)")
            var headers = try await Self.head("\(container)/r.bin")
            let deleteAt = try #require(headers["x-delete-at"], "\(headers)")
            let seconds = try #require(Double(deleteAt))
            #expect(abs(seconds - Date().timeIntervalSince1970 - 2 * 86_400) < 120)
            #expect(headers["content-type"] == "text/x-report")
            #expect(headers["x-object-meta-owner"] == "ops")
            #expect(headers["content-disposition"] == "attachment")

            var result = try await cfsh("meta \(container)/r.bin tier=cold")
            #expect(result.status == 0, "\(result)")
            headers = try await Self.head("\(container)/r.bin")
            #expect(headers["x-delete-at"] == deleteAt, "the expiry is kept: \(headers)")
            #expect(headers["content-disposition"] == "attachment", "\(headers)")
            #expect(headers["content-type"] == "text/x-report", "\(headers)")
            #expect(headers["x-object-meta-owner"] == "ops" && headers["x-object-meta-tier"] == "cold", "\(headers)")

            result = try await cfsh("meta \(container)/r.bin --content-type 'text/csv; charset=utf-8'")
            #expect(result.status == 0, "\(result)")
            headers = try await Self.head("\(container)/r.bin")
            #expect(headers["content-type"] == "text/csv; charset=utf-8", "\(headers)")
            #expect(headers["x-object-meta-tier"] == "cold" && headers["x-delete-at"] == deleteAt, "\(headers)")

            let stat = try await cfsh("stat \(container)/r.bin")
            #expect(stat.status == 0, "\(stat)")
            let line = try #require(stat.lines.first { $0.hasPrefix("Delete at:") }, "\(stat)")
            #expect(line.contains("(in 1d 23h") || line.contains("(in 2d"), "\(line)")
            let json = try await cfsh("stat --json \(container)/r.bin")
            #expect(json.stdout.contains("\"delete_at\""), "\(json)")

            result = try await cfsh("meta \(container)/r.bin --no-expiry")
            #expect(result.status == 0, "\(result)")
            headers = try await Self.head("\(container)/r.bin")
            #expect(headers["x-delete-at"] == nil, "\(headers)")
            #expect(headers["x-object-meta-tier"] == "cold", "\(headers)")

            let year = Calendar(identifier: .gregorian).component(.year, from: Date()) + 1
            result = try await cfsh("meta \(container)/r.bin --delete-at \(year)-06-30T12:00:00Z")
            #expect(result.status == 0, "\(result)")
            headers = try await Self.head("\(container)/r.bin")
            let formatter = ISO8601DateFormatter()
            let wanted = formatter.date(from: "\(year)-06-30T12:00:00Z")!.timeIntervalSince1970
            #expect(headers["x-delete-at"] == String(Int(wanted)), "\(headers)")

            let past = try await cfsh("meta \(container)/r.bin --delete-at 2001-01-01")
            #expect(past.status == 2, "\(past)")
            #expect(past.stderr.contains("in the past"), "\(past)")
            let absurd = try await cfsh("meta \(container)/r.bin --delete-after 500w --delete-at 2099-01-01")
            #expect(absurd.status == 2, "\(absurd)")
            let tooFar = try await cfsh("put --delete-after 9000w r.bin \(container)/far", in: scratch)
            #expect(tooFar.status == 2 && tooFar.stderr.contains("100 years"), "\(tooFar)")
            headers = try await Self.head("\(container)/r.bin")
            #expect(headers["x-delete-at"] == String(Int(wanted)), "a refused change sends nothing: \(headers)")
        }
    }

    @Test(
        "put --meta and --header go on a small object and on a segmented upload's manifest; controlled headers are refused"
    )
    func putMetaOnSmallAndLarge() async throws {
        try await withContainer("metaput") { container, scratch in
            try scratch.write("small.txt", "small\n")
            try scratch.write("big.bin", String(repeating: "x", count: 3 * 1024 * 1024 + 5))
            let options =
                "--meta project=alpha --meta Stage=test --header 'Content-Language: fr' --header 'X-Object-Meta-Via: header'"
            var result = try await cfsh("put \(options) small.txt big.bin \(container)/ --segment-size 1M", in: scratch)
            #expect(result.status == 0, "\(result)")
            for name in ["small.txt", "big.bin"] {
                let headers = try await Self.head("\(container)/\(name)")
                #expect(headers["x-object-meta-project"] == "alpha", "\(name): \(headers)")
                #expect(headers["x-object-meta-stage"] == "test", "\(name): \(headers)")
                #expect(headers["x-object-meta-via"] == "header", "\(name): \(headers)")
                #expect(headers["content-language"] == "fr", "\(name): \(headers)")
            }
            let big = try await Self.head("\(container)/big.bin")
            #expect(big["x-static-large-object"] == "True", "\(big)")
            #expect(big["content-length"] == String(3 * 1024 * 1024 + 5), "\(big)")

            for refused in [
                "'ETag: abc'", "'Content-Length: 3'", "'X-Object-Manifest: c/p'", "\"Bad: a\\r\\nX-Evil: 1\"",
            ] {
                result = try await cfsh("put --header \(refused) small.txt \(container)/refused.txt", in: scratch)
                #expect(result.status == 2, "\(refused): \(result)")
                #expect(result.stderr.contains("refused") || result.stderr.contains("line break"), "\(result)")
            }
            result = try await cfsh("put --meta mtime=1 small.txt \(container)/refused.txt", in: scratch)
            #expect(result.status == 2, "\(result)")
            #expect(!(try await LocalServer.objectNames(container)).contains("refused.txt"))
        }
    }

    @Test(
        "invalid metadata (CR/LF, '_', over the /info limits) is refused naming the key and the limit; nothing is sent")
    func invalidRefused() async throws {
        try await withContainer("metabad") { container, scratch in
            try scratch.write("o.txt", "o\n")
            #expect(try await cfsh("put --meta keep=yes o.txt \(container)/", in: scratch).status == 0)
            let long = String(repeating: "v", count: 257)
            let longName = String(repeating: "k", count: 129)
            let cases: [(String, String)] = [
                ("meta \(container)/o.txt \"evil=a\\r\\nX-Object-Meta-Injected: 1\"", "line break"),
                ("meta \(container)/o.txt big=\(long)", "max_meta_value_length"),
                ("meta \(container)/o.txt \(longName)=v", "max_meta_name_length"),
                ("meta \(container)/o.txt a_b=1", "'_'"),
                ("meta \(container) big=\(long)", "max_meta_value_length"),
                ("put --meta big=\(long) o.txt \(container)/p.txt", "max_meta_value_length"),
            ]
            for (command, message) in cases {
                let result = try await cfsh(command, in: scratch)
                #expect(result.status != 0, "\(command): \(result)")
                #expect(result.stderr.contains(message), "\(command): \(result)")
            }
            // 80 keys of 52 bytes each (with keep and mtime) pass the count (90) but not max_meta_overall_size (4096).
            let many = (0..<80).map { String(format: "k%02d=", $0) + String(repeating: "v", count: 49) }.joined(
                separator: " ")
            let overall = try await cfsh("meta \(container)/o.txt \(many)")
            #expect(overall.status != 0 && overall.stderr.contains("max_meta_overall_size"), "\(overall)")
            let headers = try await Self.head("\(container)/o.txt")
            #expect(headers["x-object-meta-keep"] == "yes", "\(headers)")
            #expect(
                headers.keys.filter { $0.hasPrefix("x-object-meta-") }.sorted() == [
                    "x-object-meta-keep", "x-object-meta-mtime",
                ], "\(headers)")
            #expect(!(try await LocalServer.objectNames(container)).contains("p.txt"))
            let containerStat = try await LocalServer.swiftclient(["stat", container])
            #expect(!containerStat.stdout.contains("Meta Big"), "\(containerStat)")
        }
    }

    @Test("meta on a symlink is refused (Swift would apply it to the link); the target is unchanged")
    func symlinkRefused() async throws {
        try await withContainer("metalink") { container, scratch in
            try scratch.write("t.txt", "t\n")
            #expect(try await cfsh("put --meta a=1 t.txt \(container)/", in: scratch).status == 0)
            let link = try await LocalServer.storage(
                "PUT", LocalServer.pathEncoded(container) + "/link",
                headers: ["X-Symlink-Target: \(container)/t.txt"], body: Data())
            #expect(link.status == 201)
            let result = try await cfsh("meta \(container)/link b=2")
            #expect(result.status != 0, "\(result)")
            #expect(result.stderr.contains("symlink"), "\(result)")
            let headers = try await Self.head("\(container)/t.txt")
            #expect(headers["x-object-meta-a"] == "1" && headers["x-object-meta-b"] == nil, "\(headers)")
        }
    }

    @Test("an object put with --delete-after 3s leaves the container listing (swift list), polling up to 40 s")
    func expiredObjectDisappears() async throws {
        try await withContainer("metagone") { container, scratch in
            try scratch.write("short.txt", "short-lived\n")
            try scratch.write("stays.txt", "stays\n")
            let put = try await cfsh(
                "put --delete-after 3s short.txt \(container)/; put stays.txt \(container)/", in: scratch)
            #expect(put.status == 0, "\(put)")
            var listing = try await LocalServer.swiftclient(["list", container])
            #expect(listing.lines.contains("short.txt"), "\(listing)")
            let deadline = ContinuousClock.now + .seconds(40)
            while listing.lines.contains("short.txt"), ContinuousClock.now < deadline {
                try await Task.sleep(for: .seconds(2))
                listing = try await LocalServer.swiftclient(["list", container])
            }
            #expect(listing.lines == ["stays.txt"], "\(listing)")
        }
    }
}
