import CFSHTestSupport
import Foundation
import Testing

/// Issue 14, container ACLs: `share` through the built binary against the local Swift, checked
/// with anonymous `curl`, with the tokens of another account's user (partner:partner) and of a
/// user without rights in the account (test:tester3), and with `curl -I` for the headers.
@Suite(.serialized, .timeLimit(.minutes(5))) struct ShareE2ETests {
    /// A token of `user` from tempauth, fetched with curl.
    static func token(_ user: String, _ key: String) async throws -> String {
        let result = try await LocalServer.shell(
            "/usr/bin/curl", ["-sSi", "-H", "X-Auth-User: " + user, "-H", "X-Auth-Key: " + key, LocalServer.authURL])
        let line = result.stdout.split(separator: "\r\n").first { $0.lowercased().hasPrefix("x-auth-token: ") }
        return String(try #require(line, "no token for \(user): \(result)").dropFirst("x-auth-token: ".count))
    }

    /// The URL of `container` (and `object`) in the main account.
    static func url(_ container: String, _ object: String? = nil) async throws -> String {
        let base = try await AccountSession.shared.current().storageURL + "/" + LocalServer.pathEncoded(container)
        return object.map { base + "/" + LocalServer.pathEncoded($0) } ?? base
    }

    /// The HTTP status of a request with curl, with `token` or, without one, anonymously.
    static func status(
        _ method: String, _ url: String, token: String? = nil, body: String? = nil
    ) async throws -> (status: Int, body: String) {
        var arguments = ["-s", "-X", method, "-w", "\n%{http_code}", "-o", "-"]
        if let token { arguments += ["-H", "X-Auth-Token: " + token] }
        if let body { arguments += ["--data-binary", body] }
        let result = try await LocalServer.shell("/usr/bin/curl", arguments + [url])
        let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        let code = try #require(lines.last.flatMap { Int($0) }, "\(result)")
        return (code, lines.dropLast().joined(separator: "\n"))
    }

    /// A header of the container as `curl -I` with the main account's token shows it.
    static func header(_ name: String, of container: String) async throws -> String? {
        let token = try await AccountSession.shared.current().token
        let result = try await LocalServer.shell(
            "/usr/bin/curl", ["-sI", "-H", "X-Auth-Token: " + token, try await url(container)])
        let prefix = name.lowercased() + ": "
        return result.stdout.split(separator: "\r\n").first { $0.lowercased().hasPrefix(prefix) }
            .map { String($0.dropFirst(prefix.count)) }
    }

    static func store(_ container: String, _ name: String, _ body: String) async throws {
        #expect(try await LocalServer.storage("PUT", LocalServer.pathEncoded(container)).status / 100 == 2)
        let put = try await LocalServer.storage(
            "PUT", LocalServer.pathEncoded(container) + "/" + name, body: Data(body.utf8))
        #expect(put.status == 201)
    }

    @Test(
        "--public lets an anonymous curl read an object and list the container, --private takes it back; stat shows the ACLs"
    )
    func publicAndPrivate() async throws {
        try await withContainer("sharepub") { container, _ in
            try await Self.store(container, "page.html", "<p>hello</p>")
            let object = try await Self.url(container, "page.html")
            let listing = try await Self.url(container)
            #expect([401, 403].contains(try await Self.status("GET", object).status))
            #expect([401, 403].contains(try await Self.status("GET", listing).status))

            // .r:* alone: objects, but no listing.
            let objectsOnly = try await cfsh("share \(container) --read .r:*")
            #expect(objectsOnly.status == 0, "\(objectsOnly)")
            #expect(objectsOnly.stdout.contains("(objects; listing not allowed)"), "\(objectsOnly)")
            #expect(try await Self.status("GET", object).status == 200)
            #expect([401, 403].contains(try await Self.status("GET", listing).status))

            let open = try await cfsh("share \(container) --public")
            #expect(open.status == 0, "\(open)")
            #expect(open.stderr == "")
            #expect(open.stdout.contains("Public URL:"), "\(open)")
            #expect(open.stdout.contains(listing), "the public URL is printed: \(open)")
            #expect(try await Self.header("X-Container-Read", of: container) == ".r:*,.rlistings")
            let read = try await Self.status("GET", object)
            #expect(read.status == 200 && read.body == "<p>hello</p>", "\(read)")
            let listed = try await Self.status("GET", listing)
            #expect(listed.status == 200 && listed.body.split(separator: "\n") == ["page.html"], "\(listed)")

            let stat = try await cfsh("stat \(container); stat --json \(container)")
            #expect(stat.status == 0, "\(stat)")
            #expect(stat.lines.contains { $0.hasPrefix("Read ACL:") && $0.hasSuffix(".r:*,.rlistings") }, "\(stat)")
            #expect(stat.stdout.contains("\"read_acl\": \".r:*,.rlistings\""), "\(stat)")

            let json = try await cfsh("share --json \(container)")
            let parsed = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
            #expect(parsed?["read"] as? [String] == [".r:*", ".rlistings"], "\(json)")
            #expect(parsed?["write"] as? [String] == [], "\(json)")
            #expect(parsed?["public"] as? Bool == true && parsed?["listings"] as? Bool == true)
            #expect(parsed?["url"] as? String == listing)

            let close = try await cfsh("share \(container) --private")
            #expect(close.status == 0, "\(close)")
            #expect(!close.stdout.contains("Public URL:"))
            #expect(try await Self.header("X-Container-Read", of: container) == nil)
            #expect([401, 403].contains(try await Self.status("GET", object).status))
            #expect([401, 403].contains(try await Self.status("GET", listing).status))
        }
    }

    @Test(
        "--read lets partner:partner (another account) read, keeping the grants already there; --write lets it PUT; --revoke removes only it"
    )
    func partnerReadWriteRevoke() async throws {
        try await withContainer("sharepartner") { container, _ in
            try await Self.store(container, "report.txt", "numbers")
            let object = try await Self.url(container, "report.txt")
            let upload = try await Self.url(container, "from-partner.txt")
            let partner = try await Self.token(LocalServer.partnerUser, LocalServer.partnerKey)
            let tester3 = try await Self.token(LocalServer.unprivilegedUser, LocalServer.unprivilegedKey)
            #expect(try await Self.status("GET", object, token: partner).status == 403)
            #expect(try await Self.status("GET", object, token: tester3).status == 403)
            #expect(try await Self.status("PUT", upload, token: partner, body: "x").status == 403)

            let grant = try await cfsh("share \(container) --read partner:partner")
            #expect(grant.status == 0, "\(grant)")
            #expect(grant.lines.contains { $0.hasPrefix("Read ACL:") && $0.hasSuffix(" partner:partner") }, "\(grant)")
            let partnerRead = try await Self.status("GET", object, token: partner)
            #expect(partnerRead.status == 200 && partnerRead.body == "numbers", "\(partnerRead)")
            #expect(try await Self.status("GET", object, token: tester3).status == 403)

            // A second grant keeps the first: read, merge, write.
            let second = try await cfsh("share \(container) --read test:tester3")
            #expect(second.status == 0, "\(second)")
            #expect(try await Self.header("X-Container-Read", of: container) == "partner:partner,test:tester3")
            #expect(try await Self.status("GET", object, token: partner).status == 200)
            #expect(try await Self.status("GET", object, token: tester3).status == 200)

            let write = try await cfsh("share \(container) --write partner:partner")
            #expect(write.status == 0, "\(write)")
            #expect(try await Self.header("X-Container-Write", of: container) == "partner:partner")
            #expect(try await Self.header("X-Container-Read", of: container) == "partner:partner,test:tester3")
            #expect(try await Self.status("PUT", upload, token: partner, body: "from the partner").status == 201)
            let stat = try await LocalServer.swiftclient(["stat", container, "from-partner.txt"])
            #expect(stat.status == 0 && stat.stdout.contains("Content Length: 16"), "\(stat)")

            let revoke = try await cfsh("share \(container) --revoke partner:partner")
            #expect(revoke.status == 0, "\(revoke)")
            #expect(try await Self.header("X-Container-Read", of: container) == "test:tester3")
            #expect(try await Self.header("X-Container-Write", of: container) == nil)
            #expect(try await Self.status("GET", object, token: partner).status == 403)
            #expect(try await Self.status("PUT", upload, token: partner, body: "again").status == 403)
            #expect(try await Self.status("GET", object, token: tester3).status == 200)

            // Revoking a grantee that is not there is an error, and changes nothing.
            let absent = try await cfsh("share \(container) --revoke partner:partner --read .r:*")
            #expect(absent.status == 1, "\(absent)")
            #expect(absent.stderr.contains("'partner:partner' is not in the ACLs of"), "\(absent)")
            #expect(try await Self.header("X-Container-Read", of: container) == "test:tester3")

            // --private with --read replaces: that grant alone is left, and the write ACL is gone.
            _ = try await cfsh("share \(container) --write partner")
            let replace = try await cfsh("share \(container) --private --read partner:partner")
            #expect(replace.status == 0, "\(replace)")
            #expect(try await Self.header("X-Container-Read", of: container) == "partner:partner")
            #expect(try await Self.header("X-Container-Write", of: container) == nil)
            #expect(try await Self.status("GET", object, token: tester3).status == 403)
        }
    }

    @Test(
        "a bad ACL element is refused by name before anything is sent (not even a connection), exit 2",
        arguments: [
            ("--read 'a:b,,c:d'", "an empty read ACL element"),
            ("--write .r:*", "only in a read ACL"), ("--read a:b:c", "more than one ':'"),
            ("--read .r:", "names no host"), ("--read .admin", "is not .r:HOST"),
            ("--revoke ''", "an empty read ACL element"),
        ])
    func refused(options: String, message: String) async throws {
        // No server on port 9: a command that connected would fail with a connection error.
        let result = try await cfsh(
            "share somecontainer \(options)", environment: ["ST_AUTH": "http://127.0.0.1:9/auth/v1.0"])
        #expect(result.status == 2, "\(result)")
        #expect(result.stderr.contains(message), "\(result)")
        #expect(!result.stderr.lowercased().contains("connect"), "\(result)")
    }

    @Test("an element with CR/LF (a header injection) is refused before connecting, as cfsh COMMAND ARG… too")
    func lineBreakRefused() async throws {
        for element in ["a:b\r\nX-Container-Write: *:*", "a:b\nc:d", "a:b\r"] {
            let result = try await CFSHBinary.run(
                ["share", "somecontainer", "--read", element], stdin: "",
                environment: LocalServer.environment.merging(["ST_AUTH": "http://127.0.0.1:9/auth/v1.0"]) { $1 },
                directory: nil)
            #expect(result.status == 2, "\(result)")
            #expect(result.stderr.contains("contains a line break"), "\(result)")
            #expect(!result.stderr.lowercased().contains("connect"), "\(result)")
        }
    }

    @Test("a refused element leaves the container's ACLs as they were")
    func refusedLeavesACL() async throws {
        try await withContainer("sharebad") { container, _ in
            #expect(try await LocalServer.storage("PUT", container, headers: ["X-Container-Read: a:b"]).status == 201)
            let bad = try await cfsh("share \(container) --read c:d --read 'e:f g'")
            #expect(bad.status == 2, "\(bad)")
            #expect(bad.stderr.contains("'e:f g' contains a space"), "\(bad)")
            #expect(try await Self.header("X-Container-Read", of: container) == "a:b")
            let notContainer = try await cfsh("share \(container)/x --read c:d")
            #expect(notContainer.status == 2 && notContainer.stderr.contains("share takes a container"))
            let both = try await cfsh("share \(container) --public --private")
            #expect(both.status == 2 && both.stderr.contains("contradict"), "\(both)")
            #expect(try await Self.header("X-Container-Read", of: container) == "a:b")
        }
    }
    @Test("Tab completes share's operand to a container name, and share then shows its ACLs")
    func completion() async throws {
        try await withContainer("sharecomp") { container, _ in
            #expect(try await LocalServer.storage("PUT", container, headers: ["X-Container-Read: a:b"]).status == 201)
            let session = try await REPLSessionTests.connectedSession()
            try session.type("share " + container.dropLast(3))
            try session.press("Tab")
            try await session.waitForScreen("the container completed") { screen in
                screen.split(separator: "\n").last?.hasPrefix("\(REPLSessionTests.connected) share \(container)")
                    == true
                    && screen.split(separator: "\n").last?.contains("\(container)/") == false
            }
            try session.press("Enter")
            try await session.waitForScreen("the ACLs shown") { screen in
                screen.contains("Read ACL:") && screen.contains("a:b")
            }
        }
    }
}
