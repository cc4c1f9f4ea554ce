import CloudFiles
import Foundation
import Testing

/// Temp URL signatures against vectors from python-swiftclient's `generate_temp_url` (the
/// reference the middleware is tested with), the digest choice against fake `/info` replies,
/// and the keys against the real local Swift.
@Suite struct TempURLTests {
    let storage = URL(string: "http://127.0.0.1:8080/v1/AUTH_test")!

    /// `generate_temp_url('/v1/AUTH_test/c/o', 1700000000, 'mykey', 'GET', absolute=True, digest=…)`.
    @Test("GET signatures match python-swiftclient for sha1 (hex), sha256 (hex) and sha512 (sha512: base64)")
    func vectors() throws {
        let sha1 = try TempURLRequest(container: "c", name: "o", expires: 1_700_000_000, digest: .sha1)
            .url(storageURL: storage, key: "mykey")
        #expect(
            sha1
                == "http://127.0.0.1:8080/v1/AUTH_test/c/o?temp_url_sig=3994d403a1e371c61672cc49d49e3504805f4887"
                + "&temp_url_expires=1700000000")
        let sha256 = try TempURLRequest(container: "c", name: "o", expires: 1_700_000_000)
            .url(storageURL: storage, key: "mykey")
        #expect(
            sha256
                == "http://127.0.0.1:8080/v1/AUTH_test/c/o?temp_url_sig="
                + "7d8e44a645aab88cf197df39a844fc98555dad169375805007f6e9b55a5c9370&temp_url_expires=1700000000")
        let body = TempURL.hmacBody(method: "PUT", expires: 1_700_000_000, path: "/v1/AUTH_test/c/o")
        #expect(body == "PUT\n1700000000\n/v1/AUTH_test/c/o")
        #expect(
            TempURL.signature(body, key: "mykey", digest: .sha512)
                == "sha512:cqkbExpOWCDyjgkbHKc6ZLjmW5EXFpON1fgkGm0QelAdX_2FtIb9oPui1PKeqv3eeFhnDMjlNB5mPpj9HDqtaQ")
    }

    @Test("prefix and IP-range URLs sign the forms the middleware checks, and say so in the query")
    func prefixAndIP() throws {
        let prefix = try TempURLRequest(container: "c", name: "pre/", isPrefix: true, expires: 1_700_000_000)
            .url(storageURL: storage, key: "mykey")
        #expect(
            prefix
                == "http://127.0.0.1:8080/v1/AUTH_test/c/pre/?temp_url_sig="
                + "25856d13014a3268fa7811d1fbbbb9eaa868c9bd57df6d36f552f7c243348bd2&temp_url_expires=1700000000"
                + "&temp_url_prefix=pre%2F")
        #expect(
            TempURL.hmacBody(method: "GET", expires: 1, path: "/v1/a/c/p", prefix: true, ipRange: "10.0.0.0/8")
                == "ip=10.0.0.0/8\nGET\n1\nprefix:/v1/a/c/p")
        let ip = try TempURLRequest(container: "c", name: "o", expires: 1_700_000_000, ipRange: "10.0.0.0/8")
            .url(storageURL: storage, key: "mykey")
        #expect(ip.contains("temp_url_sig=247add8fe3eb808a9bcd02db5d9f6b45ba9f682dea86df4483f5d0ab6ba2253f&"))
        #expect(ip.hasSuffix("&temp_url_ip_range=10.0.0.0%2F8"))
    }

    @Test("a name that needs encoding is signed decoded and sent encoded; ISO expiry, filename and inline")
    func encodedNameAndISO() throws {
        let url = try TempURLRequest(
            method: "HEAD", container: "c", name: "dir/ü x.txt", expires: 1_700_000_000, iso8601Expiry: true,
            filename: "a b&c.txt", inline: true
        ).url(storageURL: storage, key: "mykey")
        #expect(
            url
                == "http://127.0.0.1:8080/v1/AUTH_test/c/dir/%C3%BC%20x.txt?temp_url_sig="
                + "a180835760d1931ad1cf1ad560074442437686c6c4984ee2c8f9134df0b8e243"
                + "&temp_url_expires=2023-11-14T22%3A13%3A20Z&filename=a%20b%26c.txt&inline")
    }

    @Test("bad methods, IP ranges and keys are refused, and the key is never in the message")
    func refusals() throws {
        #expect(throws: CloudFilesError.invalidArgument) {
            try TempURLRequest(method: "PATCH", container: "c", name: "o", expires: 1).url(
                storageURL: storage, key: "k")
        }
        for bad in ["10.0.0.0/33", "300.1.1.1", "host.example", "1.2.3.4/", "::1/129", "1.2.3.4\n"] {
            #expect(throws: CloudFilesError.invalidArgument) { try TempURL.validateIPRange(bad) }
        }
        for good in ["203.0.113.7", "10.0.0.0/8", "2001:db8::/32", "::1"] {
            try TempURL.validateIPRange(good)
        }
        do {
            try TempURL.validateKey("secret-part\nmore")
            Issue.record("a key with a line break was accepted")
        } catch let error as CloudFilesError {
            #expect(!error.description.contains("secret-part"))
        }
        #expect(throws: CloudFilesError.invalidArgument) { try TempURL.validateKey("") }
        // "\r\n" is one Character: checked byte by byte, it is still refused.
        #expect(throws: CloudFilesError.invalidArgument) { try TempURL.validateKey("a\r\nb") }
        let generated = TempURL.generateKey()
        #expect(generated.count == 64 && generated.allSatisfy(\.isHexDigit))
        #expect(generated != TempURL.generateKey())
    }

    @Test("the digest: sha256 by default, sha512 on request, sha1 only when alone; a disallowed one is refused")
    func digestChoice() throws {
        func info(_ tempurl: String) throws -> Capabilities.TempURL? {
            try Capabilities(json: Data("{\"swift\": {}\(tempurl)}".utf8)).tempURL
        }
        let all = try info(
            #", "tempurl": {"allowed_digests": ["sha1", "sha256", "sha512"], "deprecated_digests": ["sha1"]}"#)
        #expect(
            try TempURL.chooseDigest(requested: nil, capabilities: all, clusterPublishesInfo: true).digest == .sha256)
        #expect(
            try TempURL.chooseDigest(requested: .sha512, capabilities: all, clusterPublishesInfo: true).digest
                == .sha512)
        let sha1 = try TempURL.chooseDigest(requested: .sha1, capabilities: all, clusterPublishesInfo: true)
        #expect(sha1.digest == .sha1 && sha1.note?.contains("deprecated") == true)

        let onlySHA512 = try info(#", "tempurl": {"allowed_digests": ["sha512"]}"#)
        #expect(
            try TempURL.chooseDigest(requested: nil, capabilities: onlySHA512, clusterPublishesInfo: true).digest
                == .sha512)
        do {
            _ = try TempURL.chooseDigest(requested: .sha1, capabilities: onlySHA512, clusterPublishesInfo: true)
            Issue.record("sha1 was accepted by a cluster that allows only sha512")
        } catch let error as CloudFilesError {
            #expect(error == .invalidArgument)
            #expect(error.description.contains("does not allow sha1 temp URLs (it allows sha512)"))
        }
        // An old middleware lists no digests: it knows only sha1.
        let old = try info(#", "tempurl": {"methods": ["GET"]}"#)
        let oldChoice = try TempURL.chooseDigest(requested: nil, capabilities: old, clusterPublishesInfo: true)
        #expect(oldChoice.digest == .sha1 && oldChoice.note != nil)
        // Hostile lists: non-strings are ignored, unknown names are not chosen.
        let hostile = try info(#", "tempurl": {"allowed_digests": [1, null, "md5", {"a": 1}]}"#)
        #expect(hostile?.allowedDigests == ["md5"])
        #expect(throws: CloudFilesError.invalidArgument) {
            try TempURL.chooseDigest(requested: nil, capabilities: hostile, clusterPublishesInfo: true)
        }
        // /info without tempurl: no temp URLs; no /info at all (Rackspace): sha1, with a note.
        #expect(throws: CloudFilesError.invalidArgument) {
            try TempURL.chooseDigest(requested: nil, capabilities: try info(""), clusterPublishesInfo: true)
        }
        let rackspace = try TempURL.chooseDigest(requested: nil, capabilities: nil, clusterPublishesInfo: false)
        #expect(rackspace.digest == .sha1 && rackspace.note?.contains("Rackspace") == true)
    }

    @Test("times: ISO 8601 with a zone or a bare date; anything else is refused")
    func times() {
        #expect(TempURL.parseTime("2026-12-02T12:00:00Z")?.timeIntervalSince1970 == 1_796_212_800)
        #expect(TempURL.parseTime("2026-12-02T14:00:00+02:00")?.timeIntervalSince1970 == 1_796_212_800)
        #expect(TempURL.parseTime("2026-12-02")?.timeIntervalSince1970 == 1_796_169_600)
        for bad in ["2026-12-02T12:00:00", "tomorrow", "", "2026-13-02", "1796212800"] {
            #expect(TempURL.parseTime(bad) == nil, "\(bad)")
        }
        #expect(TempURL.iso8601(1_796_212_800) == "2026-12-02T12:00:00Z")
    }

    @Test("a container key is set, read back as the container's, and removed; the account key is not touched")
    func containerKey() async throws {
        try await TestServer.withClient { client in
            try await TestServer.withContainer(client, prefix: "cf-tempurl") { container in
                let accountKeyBefore = try await client.accountInfo().metadata["temp-url-key"]
                try await client.setTempURLKey("first-secret", container: container)
                try await client.setTempURLKey("second-secret", container: container, second: true)
                let key = try #require(try await client.tempURLKey(for: container))
                #expect(key.value == "first-secret")
                #expect(key.scope == .container(container) && !key.isSecond)
                #expect(!key.description.contains("secret"))
                try await client.removeTempURLKey(container: container)
                let second = try #require(try await client.tempURLKey(for: container))
                #expect(second.value == "second-secret" && second.isSecond)
                #expect(try await client.accountInfo().metadata["temp-url-key"] == accountKeyBefore)
            }
        }
    }
}
