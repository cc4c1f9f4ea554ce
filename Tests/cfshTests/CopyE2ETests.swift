import CFSHTestSupport
import Foundation
import Testing

/// `cp` and `mv` of large objects, metadata and across accounts, through the built binary;
/// every result is checked with curl or python-swiftclient.
@Suite(.serialized, .timeLimit(.minutes(5))) struct CopyE2ETests {
    /// 3.3 MiB of numbered lines (3,488,890 bytes): three 1 MiB segments and a short one.
    static let content = (0..<300_000).map { "line \($0)\n" }.joined()

    /// The response headers of `HEAD container/object` (or with `query`), lowercased names.
    static func head(_ container: String, _ object: String, query: String = "") async throws -> [String: String] {
        let session = try await AccountSession.shared.current(renew: false)
        let url =
            session.storageURL + "/" + LocalServer.pathEncoded(container) + "/" + LocalServer.pathEncoded(object)
            + query
        let result = try await LocalServer.shell("/usr/bin/curl", ["-sI", "-H", "X-Auth-Token: " + session.token, url])
        var headers: [String: String] = [:]
        for line in result.stdout.split(separator: "\r\n") {
            if let colon = line.firstIndex(of: ":") {
                headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(
                    in: .whitespaces)
            }
            if line.hasPrefix("HTTP/") { headers[":status"] = String(line.split(separator: " ")[1]) }
        }
        return headers
    }

    /// The segment names a static manifest lists (`GET ?multipart-manifest=get`).
    static func manifestSegments(_ container: String, _ object: String) async throws -> [String] {
        let reply = try await LocalServer.storage(
            "GET",
            LocalServer.pathEncoded(container) + "/" + LocalServer.pathEncoded(object) + "?multipart-manifest=get")
        #expect(reply.status == 200)
        let entries = try JSONSerialization.jsonObject(with: reply.body) as? [[String: Any]] ?? []
        return entries.compactMap { $0["name"] as? String }
    }

    /// The object's bytes as python-swiftclient downloads them.
    static func download(_ container: String, _ object: String) async throws -> String {
        let result = try await LocalServer.swiftclient(["download", container, object, "-o", "-"])
        #expect(result.status == 0, "\(result)")
        return result.stdout
    }

    /// Uploads `content` as `big.txt` with python-swiftclient, a static large object with
    /// `--use-slo` or a dynamic one without, in 1 MiB segments in `<container>_segments`.
    static func uploadLarge(_ container: String, _ scratch: TemporaryFolder, slo: Bool) async throws {
        try scratch.write("big.txt", content)
        let upload = try await LocalServer.swiftclient(
            ["upload", container, "big.txt", "-S", "1048576", slo ? "--use-slo" : "--use-dlo"], directory: scratch.path)
        #expect(upload.status == 0, "\(upload)")
    }

    @Test(
        "cp of a static large object copies the manifest: the copy is an SLO of the same segments, and survives rm of the original"
    )
    func staticLargeObject() async throws {
        try await withContainer("cp-slo") { container, scratch in
            try await Self.uploadLarge(container, scratch, slo: true)
            let original = try await Self.manifestSegments(container, "big.txt")
            #expect(original.count == 4)
            let copy = try await cfsh("cp \(container)/big.txt \(container)/copy.txt")
            #expect(copy.status == 0, "\(copy)")
            let headers = try await Self.head(container, "copy.txt")
            #expect(headers["x-static-large-object"] == "True", "\(headers)")
            #expect(try await Self.manifestSegments(container, "copy.txt") == original)
            #expect(try await Self.download(container, "copy.txt") == Self.content)

            // rm of the original deletes the manifest only: the copy still needs the segments.
            let remove = try await cfsh("rm \(container)/big.txt")
            #expect(remove.status == 0, "\(remove)")
            #expect(remove.stderr.contains("shares them with a copy"), "\(remove)")
            #expect(try await Self.head(container, "big.txt")[":status"] == "404")
            #expect(try await LocalServer.objectNames(container + "_segments").count == 4)
            #expect(try await Self.download(container, "copy.txt") == Self.content)

            // rm of the copy does not delete them either (they are not where an upload of it puts them).
            let removeCopy = try await cfsh("rm \(container)/copy.txt")
            #expect(removeCopy.status == 0, "\(removeCopy)")
            #expect(try await LocalServer.objectNames(container + "_segments").count == 4)
        }
    }

    @Test("rm of a static large object copy keeps the original whole")
    func removingTheCopyKeepsTheOriginal() async throws {
        try await withContainer("cp-slo2") { container, scratch in
            try await Self.uploadLarge(container, scratch, slo: true)
            #expect(try await cfsh("cp \(container)/big.txt \(container)/big.txt/copy").status == 0)
            let remove = try await cfsh("rm \(container)/big.txt/copy")
            #expect(remove.status == 0, "\(remove)")
            #expect(try await Self.head(container, "big.txt/copy")[":status"] == "404")
            #expect(try await Self.download(container, "big.txt") == Self.content)
        }
    }

    @Test("cp of a dynamic large object copies the manifest (X-Object-Manifest), and survives rm of the original")
    func dynamicLargeObject() async throws {
        try await withContainer("cp-dlo") { container, scratch in
            try await Self.uploadLarge(container, scratch, slo: false)
            let manifest = try #require(try await Self.head(container, "big.txt")["x-object-manifest"])
            let copy = try await cfsh("cp \(container)/big.txt \(container)/copy.txt")
            #expect(copy.status == 0, "\(copy)")
            let headers = try await Self.head(container, "copy.txt")
            #expect(headers["x-object-manifest"] == manifest, "\(headers)")
            #expect(try await Self.download(container, "copy.txt") == Self.content)
            let remove = try await cfsh("rm \(container)/big.txt")
            #expect(remove.status == 0, "\(remove)")
            #expect(try await Self.head(container, "big.txt")[":status"] == "404")
            #expect(try await LocalServer.objectNames(container + "_segments").count == 4)
            #expect(try await Self.download(container, "copy.txt") == Self.content)
        }
    }

    @Test("mv of a static large object moves the manifest and never deletes its segments")
    func moveStaticLargeObject() async throws {
        try await withContainer("mv-slo") { container, scratch in
            try await Self.uploadLarge(container, scratch, slo: true)
            let original = try await Self.manifestSegments(container, "big.txt")
            let move = try await cfsh("mv \(container)/big.txt \(container)/moved.txt")
            #expect(move.status == 0, "\(move)")
            #expect(try await Self.head(container, "big.txt")[":status"] == "404")
            #expect(try await Self.head(container, "moved.txt")["x-static-large-object"] == "True")
            #expect(try await Self.manifestSegments(container, "moved.txt") == original)
            #expect(try await LocalServer.objectNames(container + "_segments").count == 4)
            #expect(try await Self.download(container, "moved.txt") == Self.content)
        }
    }

    @Test(
        "cp --whole joins a large object into one object; over the size limit it is refused clearly, the manifest copy still works"
    )
    func wholeCopy() async throws {
        try await withContainer("cp-whole") { container, scratch in
            try await Self.uploadLarge(container, scratch, slo: true)
            let whole = try await cfsh("cp --whole \(container)/big.txt \(container)/whole.txt")
            #expect(whole.status == 0, "\(whole)")
            let headers = try await Self.head(container, "whole.txt")
            #expect(headers["x-static-large-object"] == nil, "\(headers)")
            #expect(headers["content-length"] == String(Self.content.utf8.count))
            #expect(try await Self.download(container, "whole.txt") == Self.content)
            // A whole copy shares nothing: the original is not marked, and rm of it deletes its segments.
            #expect(try await Self.head(container, "big.txt")["x-object-meta-cfsh-shared-segments"] == nil)

            // 600 times one 10 MiB segment: 6000 MiB, over the 5 GiB limit of one object.
            let segment = String(repeating: "0123456789abcdef", count: 10 << 16)
            let put = try await LocalServer.storage(
                "PUT", container + "_segments/ten", body: Data(segment.utf8))
            #expect(put.status == 201)
            let etag = try #require(try await Self.head(container + "_segments", "ten")["etag"])
            let entries = Array(
                repeating: "{\"path\":\"/\(container)_segments/ten\",\"etag\":\"\(etag)\"}", count: 600)
            let manifest = try await LocalServer.storage(
                "PUT", container + "/huge?multipart-manifest=put",
                body: Data(("[" + entries.joined(separator: ",") + "]").utf8))
            #expect(manifest.status == 201, "\(String(decoding: manifest.body, as: UTF8.self))")
            let refused = try await cfsh("cp --whole \(container)/huge \(container)/huge-whole")
            #expect(refused.status == 1, "\(refused)")
            #expect(refused.stderr.contains("over the cluster's limit"), "\(refused)")
            #expect(refused.stderr.contains("without --whole"), "\(refused)")
            #expect(try await Self.head(container, "huge-whole")[":status"] == "404")
            let copy = try await cfsh("cp \(container)/huge \(container)/huge-copy")
            #expect(copy.status == 0, "\(copy)")
            let copied = try await Self.head(container, "huge-copy")
            #expect(copied["x-static-large-object"] == "True")
            #expect(copied["content-length"] == String(600 * (10 << 20)))
        }
    }

    @Test(
        "cp keeps the source's metadata and content type; --meta adds, --fresh-metadata replaces, --content-type sets")
    func metadata() async throws {
        try await withContainer("cp-meta") { container, scratch in
            try scratch.write("a.txt", "hello\n")
            let upload = try await LocalServer.swiftclient(
                [
                    "upload", container, "a.txt", "-H", "X-Object-Meta-Color:blue", "-H", "X-Object-Meta-Owner:ann",
                    "-H", "Content-Type:text/x-notes",
                ], directory: scratch.path)
            #expect(upload.status == 0, "\(upload)")
            let result = try await cfsh(
                """
                cp \(container)/a.txt \(container)/kept.txt
                cp --meta size=L --meta Owner=bob \(container)/a.txt \(container)/added.txt
                cp --fresh-metadata --meta size=S \(container)/a.txt \(container)/fresh.txt
                cp --content-type text/plain \(container)/a.txt \(container)/typed.txt
                """)
            #expect(result.status == 0, "\(result)")
            let kept = try await Self.head(container, "kept.txt")
            #expect(kept["x-object-meta-color"] == "blue")
            #expect(kept["x-object-meta-owner"] == "ann")
            #expect(kept["content-type"] == "text/x-notes")
            let added = try await Self.head(container, "added.txt")
            #expect(added["x-object-meta-color"] == "blue")
            #expect(added["x-object-meta-owner"] == "bob")
            #expect(added["x-object-meta-size"] == "L")
            let fresh = try await Self.head(container, "fresh.txt")
            #expect(fresh["x-object-meta-color"] == nil, "\(fresh)")
            #expect(fresh["x-object-meta-owner"] == nil, "\(fresh)")
            #expect(fresh["x-object-meta-size"] == "S")
            let typed = try await Self.head(container, "typed.txt")
            #expect(typed["content-type"] == "text/plain")
            #expect(typed["x-object-meta-color"] == "blue")
            #expect(try await Self.download(container, "fresh.txt") == "hello\n")

            let bad = try await cfsh("cp --meta novalue \(container)/a.txt \(container)/bad.txt")
            #expect(bad.status == 2, "\(bad)")
            #expect(bad.stderr.contains("KEY=VALUE"), "\(bad)")
            let broken = try await cfsh("cp --meta 'a b=1' \(container)/a.txt \(container)/bad.txt")
            #expect(broken.status != 0, "\(broken)")
            #expect(broken.stderr.contains("metadata name"), "\(broken)")
            #expect(try await Self.head(container, "bad.txt")[":status"] == "404")
        }
    }

    /// python-swiftclient as the partner account (AUTH_partner).
    static func partner(_ arguments: [String], directory: String? = nil) async throws -> CommandResult {
        try await LocalServer.shell(
            LocalServer.swiftCLI,
            ["-A", LocalServer.authURL, "-U", LocalServer.partnerUser, "-K", LocalServer.partnerKey] + arguments,
            directory: directory)
    }

    @Test("cp --from-account and --to-account copy across accounts where the ACLs allow it, and say 403 where not")
    func crossAccount() async throws {
        try await withContainer("cp-acct") { container, scratch in
            let shared = LocalServer.uniqueContainer("cp-partner")
            let closed = LocalServer.uniqueContainer("cp-closed")
            do {
                try scratch.write("report.txt", "from the partner\n")
                #expect(
                    try await Self.partner([
                        "post", shared, "-r", LocalServer.user, "-w", LocalServer.user,
                    ]).status == 0)
                #expect(try await Self.partner(["post", closed]).status == 0)
                #expect(
                    try await Self.partner(["upload", shared, "report.txt"], directory: scratch.path).status == 0)
                #expect(
                    try await Self.partner(["upload", closed, "report.txt"], directory: scratch.path).status == 0)
                #expect(try await cfsh("mkdir \(container)").status == 0)

                let from = try await cfsh("cp --from-account AUTH_partner /\(shared)/report.txt \(container)/in.txt")
                #expect(from.status == 0, "\(from)")
                #expect(try await Self.download(container, "in.txt") == "from the partner\n")

                let to = try await cfsh("cp --to-account AUTH_partner \(container)/in.txt /\(shared)/back.txt")
                #expect(to.status == 0, "\(to)")
                let back = try await Self.partner(["download", shared, "back.txt", "-o", "-"])
                #expect(back.stdout == "from the partner\n", "\(back)")

                let denied = try await cfsh(
                    "cp --from-account AUTH_partner /\(closed)/report.txt \(container)/denied.txt")
                #expect(denied.status == 1, "\(denied)")
                #expect(denied.stderr.contains("permission denied (403)"), "\(denied)")
                #expect(try await Self.head(container, "denied.txt")[":status"] == "404")
                let deniedTo = try await cfsh(
                    "cp --to-account AUTH_partner \(container)/in.txt /\(closed)/pushed.txt")
                #expect(deniedTo.status == 1, "\(deniedTo)")
                #expect(deniedTo.stderr.contains("permission denied (403)"), "\(deniedTo)")
                let both = try await cfsh(
                    "cp --from-account AUTH_partner --to-account AUTH_partner /\(shared)/report.txt /\(shared)/x")
                #expect(both.status == 2, "\(both)")
            } catch {
                _ = try? await Self.partner(["delete", shared])
                _ = try? await Self.partner(["delete", closed])
                throw error
            }
            _ = try? await Self.partner(["delete", shared])
            _ = try? await Self.partner(["delete", closed])
        }
    }
}
