import CFSHTestSupport
import Foundation
import Testing

/// `tempurl` through the built binary: URLs used with `curl` and no token, state checked with
/// curl (with the token) and python-swiftclient. Keys are set on each test's own container,
/// except in the one account-key test, which puts the account's key back as it found it.
@Suite(.serialized, .timeLimit(.minutes(5))) struct TempURLE2ETests {
    /// `curl` without any token: the status and the body.
    static func anonymous(
        _ method: String, _ url: String, body: String? = nil
    ) async throws -> (
        status: Int, body: String
    ) {
        var arguments = ["-s", "-g", "-X", method, "-w", "\n%{http_code}", "-o", "-"]
        if method == "HEAD" { arguments = ["-s", "-g", "-I", "-w", "\n%{http_code}", "-o", "/dev/null"] }
        if let body { arguments += ["--data-binary", body, "-H", "Content-Type: text/plain"] }
        let result = try await LocalServer.shell("/usr/bin/curl", arguments + [url])
        var text = result.stdout
        guard let newline = text.lastIndex(of: "\n") else { return (0, text) }
        let status = Int(text[text.index(after: newline)...]) ?? 0
        text = String(text[..<newline])
        return (status, text)
    }

    /// Sets a random key on `container` with cfsh; checks it was stored and not printed.
    static func setContainerKey(_ container: String) async throws {
        let set = try await cfsh("tempurl --set-key --container \(container)")
        #expect(set.status == 0, "\(set)")
        #expect(set.stdout == "" && set.stderr == "", "\(set)")
        let head = try await LocalServer.swiftclient(["stat", container])
        #expect(head.stdout.contains("Meta Temp-Url-Key:"), "\(head)")
    }

    @Test("a GET URL works without a token before it expires and answers 401 after; HEAD is its own URL")
    func getExpiresAndHead() async throws {
        try await withContainer("tempurl") { container, scratch in
            try scratch.write("report.txt", "quarterly numbers\n")
            let put = try await cfsh("mkdir \(container); put report.txt \(container)/docs/", in: scratch)
            #expect(put.status == 0, "\(put)")
            try await Self.setContainerKey(container)
            // Long enough for a loaded machine to use it first; the test then waits it out.
            let made = try await cfsh("tempurl --expires 10s --json \(container)/docs/report.txt")
            #expect(made.status == 0, "\(made)")
            #expect(made.stderr == "")
            let json = try #require(
                try JSONSerialization.jsonObject(with: Data(made.stdout.utf8)) as? [String: Any], "\(made)")
            let url = try #require(json["url"] as? String)
            let expires = try #require(json["expires_unix"] as? Int)
            #expect(abs(expires - Int(Date().timeIntervalSince1970) - 10) <= 5)
            #expect(url.hasPrefix("http://127.0.0.1:8080/v1/AUTH_test/\(container)/docs/report.txt?temp_url_sig="))
            let get = try await Self.anonymous("GET", url)
            #expect(get.status == 200 && get.body == "quarterly numbers\n", "\(get)")
            // Signed for GET: a HEAD or PUT with it is refused.
            #expect(try await Self.anonymous("PUT", url, body: "x").status == 401)
            let head = try await cfsh("tempurl --method head \(container)/docs/report.txt")
            #expect(head.status == 0, "\(head)")
            #expect(try await Self.anonymous("HEAD", head.stdout.trimmingCharacters(in: .newlines)).status == 200)
            // Without the signature, nothing.
            let bare = String(url.prefix { $0 != "?" })
            #expect(try await Self.anonymous("GET", bare).status == 401)
            let wait = Double(expires) + 2 - Date().timeIntervalSince1970
            if wait > 0 { try await Task.sleep(for: .seconds(wait)) }
            let late = try await Self.anonymous("GET", url)
            #expect(late.status == 401, "\(late)")
        }
    }

    @Test("a PUT URL uploads without a token; swiftclient reads the bytes back")
    func putUploads() async throws {
        try await withContainer("tempurl") { container, _ in
            #expect(try await cfsh("mkdir \(container)").status == 0)
            try await Self.setContainerKey(container)
            let made = try await cfsh("tempurl --method PUT --expires 10m --json '\(container)/in box/new file.txt'")
            #expect(made.status == 0, "\(made)")
            let json = try #require(
                try JSONSerialization.jsonObject(with: Data(made.stdout.utf8)) as? [String: Any], "\(made)")
            #expect(json["method"] as? String == "PUT")
            #expect(json["digest"] as? String == "sha256")
            #expect((json["expires"] as? String)?.hasSuffix("Z") == true)
            let url = try #require(json["url"] as? String)
            #expect(url.contains("/in%20box/new%20file.txt?"))
            let upload = try await Self.anonymous("PUT", url, body: "sent without a token")
            #expect(upload.status == 201, "\(upload)")
            let body = try await LocalServer.swiftclient(["download", container, "in box/new file.txt", "-o", "-"])
            #expect(body.stdout == "sent without a token", "\(body)")
        }
    }

    @Test("a prefix URL reads every object under the folder and nothing outside it; sha512 works")
    func prefixAndSHA512() async throws {
        try await withContainer("tempurl") { container, scratch in
            try scratch.write("a.txt", "A")
            try scratch.write("b.txt", "BB")
            let put = try await cfsh(
                "mkdir \(container); put a.txt b.txt \(container)/shared/; put a.txt \(container)/private/",
                in: scratch)
            #expect(put.status == 0, "\(put)")
            try await Self.setContainerKey(container)
            let made = try await cfsh("tempurl --prefix --digest sha512 \(container)/shared")
            #expect(made.status == 0, "\(made)")
            let url = made.stdout.trimmingCharacters(in: .newlines)
            #expect(url.contains("temp_url_sig=sha512%3A") && url.contains("temp_url_prefix=shared%2F"), "\(url)")
            let query = String(url.drop { $0 != "?" })
            let base = "http://127.0.0.1:8080/v1/AUTH_test/\(container)/"
            let first = try await Self.anonymous("GET", base + "shared/a.txt" + query)
            let second = try await Self.anonymous("GET", base + "shared/b.txt" + query)
            #expect(first.status == 200 && first.body == "A", "\(first)")
            #expect(second.status == 200 && second.body == "BB", "\(second)")
            #expect(try await Self.anonymous("GET", base + "private/a.txt" + query).status == 401)
            // A PUT prefix URL uploads any name under the folder, and nothing outside it.
            let putMade = try await cfsh("tempurl --method PUT --prefix \(container)/drop/")
            #expect(putMade.status == 0, "\(putMade)")
            let putQuery = String(putMade.stdout.trimmingCharacters(in: .newlines).drop { $0 != "?" })
            #expect(try await Self.anonymous("PUT", base + "drop/new.txt" + putQuery, body: "N").status == 201)
            #expect(try await Self.anonymous("PUT", base + "shared/a.txt" + putQuery, body: "X").status == 401)
            let dropped = try await LocalServer.swiftclient(["download", container, "drop/new.txt", "-o", "-"])
            #expect(dropped.stdout == "N", "\(dropped)")
            // A plain (not prefix) sha512 URL too.
            let one = try await cfsh("tempurl --digest sha512 \(container)/private/a.txt")
            #expect(one.status == 0, "\(one)")
            let got = try await Self.anonymous("GET", one.stdout.trimmingCharacters(in: .newlines))
            #expect(got.status == 200 && got.body == "A", "\(got)")
        }
    }

    @Test("--ip limits the URL to an address range: 127.0.0.1 is let in by 127.0.0.0/8, not by 10.0.0.0/8")
    func ipRange() async throws {
        try await withContainer("tempurl") { container, scratch in
            try scratch.write("a.txt", "A")
            #expect(try await cfsh("mkdir \(container); put a.txt \(container)/", in: scratch).status == 0)
            try await Self.setContainerKey(container)
            let inside = try await cfsh("tempurl --ip 127.0.0.0/8 \(container)/a.txt")
            let outside = try await cfsh("tempurl --ip 10.0.0.0/8 \(container)/a.txt")
            #expect(inside.status == 0 && outside.status == 0, "\(inside)\(outside)")
            #expect(try await Self.anonymous("GET", inside.stdout.trimmingCharacters(in: .newlines)).status == 200)
            #expect(try await Self.anonymous("GET", outside.stdout.trimmingCharacters(in: .newlines)).status == 401)
        }
    }

    @Test("without a key: a clear error saying how to set one; bad options are refused by name")
    func mistakes() async throws {
        try await withContainer("tempurl") { container, scratch in
            try scratch.write("a.txt", "A")
            #expect(try await cfsh("mkdir \(container); put a.txt \(container)/", in: scratch).status == 0)
            let accountHasKey = try await LocalServer.swiftclient(["stat"]).stdout.contains("Temp-Url-Key")
            if !accountHasKey {
                let none = try await cfsh("tempurl \(container)/a.txt")
                #expect(none.status == 1)
                #expect(
                    none.stderr
                        == "-c:1: tempurl: no temp URL key is set on the account or on container '\(container)'; "
                        + "set one with 'tempurl --set-key' (or 'tempurl --set-key --container \(container)')\n")
            }
            try await Self.setContainerKey(container)
            let cases: [(String, Int32, String)] = [
                ("tempurl --digest md5 \(container)/a.txt", 2, "--digest takes sha256, sha512 or sha1, not 'md5'"),
                ("tempurl --expires 2020-01-01T00:00:00Z \(container)/a.txt", 2, "is in the past"),
                ("tempurl --expires soon \(container)/a.txt", 2, "--expires takes an AGE"),
                ("tempurl --ip 10.0.0.0/33 \(container)/a.txt", 1, "is not an IP address or range"),
                ("tempurl --method PATCH \(container)/a.txt", 2, "--method takes GET, HEAD, PUT, POST or DELETE"),
                ("tempurl \(container)/", 2, "is a folder; a temp URL is for one object"),
                ("tempurl /", 2, "not the account"),
                ("tempurl --key abc \(container)/a.txt", 2, "--key goes with --set-key"),
                ("tempurl", 2, "tempurl needs a PATH"),
            ]
            for (command, status, message) in cases {
                let result = try await cfsh(command)
                #expect(result.status == status, "\(command): \(result)")
                #expect(result.stderr.contains(message), "\(command): \(result)")
            }
        }
    }

    @Test("a key given with --key is set and never echoed; --show-key prints it; stat hides it; --remove-key revokes")
    func givenKeyShowAndStat() async throws {
        try await withContainer("tempurl") { container, scratch in
            try scratch.write("a.txt", "A")
            #expect(try await cfsh("mkdir \(container); put a.txt \(container)/", in: scratch).status == 0)
            let secret = "given-\(UUID().uuidString)"
            let set = try await cfsh("tempurl --set-key --container \(container) --key \(secret)")
            #expect(set.status == 0 && set.stdout == "" && set.stderr == "", "\(set)")
            let head = try await LocalServer.swiftclient(["stat", container])
            #expect(head.stdout.contains("Meta Temp-Url-Key: \(secret)"), "\(head)")
            let shown = try await cfsh("tempurl --show-key --container \(container)")
            #expect(shown.stdout == secret + "\n", "\(shown)")
            let stat = try await cfsh("stat \(container); stat --json \(container)")
            #expect(stat.status == 0, "\(stat)")
            #expect(!stat.stdout.contains(secret) && !stat.stderr.contains(secret))
            #expect(stat.stdout.contains("temp-url-key=<hidden>"), "\(stat)")
            #expect(stat.stdout.contains("\"temp-url-key\": \"<hidden>\""), "\(stat)")
            // A URL made, then the key removed: the URL stops working.
            let made = try await cfsh("tempurl --json \(container)/a.txt")
            #expect(!made.stdout.contains(secret) && !made.stderr.contains(secret))
            let json = try #require(try JSONSerialization.jsonObject(with: Data(made.stdout.utf8)) as? [String: Any])
            #expect(json["key"] as? String == "container '\(container)' Temp-URL-Key")
            let url = try #require(json["url"] as? String)
            #expect(try await Self.anonymous("GET", url).status == 200)
            let removed = try await cfsh("tempurl --remove-key --container \(container)")
            #expect(removed.status == 0, "\(removed)")
            #expect(try await Self.anonymous("GET", url).status == 401)
            // A failing set (a key with a line break) never shows the key in its error.
            let bad = try await cfsh("tempurl --set-key --container \(container) --key \"line1-\(secret)\\nline2\"")
            #expect(bad.status != 0)
            #expect(!bad.stderr.contains(secret), "\(bad)")
        }
    }

    @Test("the account key signs URLs for a container without its own; stat of the account hides it")
    func accountKey() async throws {
        try await withContainer("tempurl") { container, scratch in
            try scratch.write("a.txt", "A")
            #expect(try await cfsh("mkdir \(container); put a.txt \(container)/", in: scratch).status == 0)
            // Another run may have left an account key: put back whatever was there.
            let before = try await cfsh("tempurl --show-key")
            let previous = before.status == 0 ? before.stdout.trimmingCharacters(in: .newlines) : nil
            do {
                let set = try await cfsh("tempurl --set-key --show-key")
                #expect(set.status == 0, "\(set)")
                let key = set.stdout.trimmingCharacters(in: .newlines)
                #expect(key.count == 64, "\(set)")
                let made = try await cfsh("tempurl --json \(container)/a.txt")
                let json = try #require(
                    try JSONSerialization.jsonObject(with: Data(made.stdout.utf8)) as? [String: Any], "\(made)")
                #expect(json["key"] as? String == "account Temp-URL-Key")
                let got = try await Self.anonymous("GET", try #require(json["url"] as? String))
                #expect(got.status == 200 && got.body == "A", "\(got)")
                let stat = try await cfsh("stat; stat --json")
                #expect(stat.status == 0 && !stat.stdout.contains(key), "\(stat)")
                #expect(stat.stdout.contains("temp-url-key=<hidden>"), "\(stat)")
            } catch {
                _ = try? await restore(previous)
                throw error
            }
            try await restore(previous)
        }
    }

    private func restore(_ previous: String?) async throws {
        if let previous {
            let put = try await cfsh("tempurl --set-key --key '\(previous)'")
            #expect(put.status == 0, "\(put)")
        } else {
            let removed = try await cfsh("tempurl --remove-key")
            #expect(removed.status == 0, "\(removed)")
        }
    }
}
