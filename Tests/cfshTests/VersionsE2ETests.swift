import CFSHTestSupport
import Foundation
import Testing

/// Issue 14, object versions: `versions`, `ls --versions`, `get`/`cat`/`rm --version` and
/// `versions --restore` through the built binary against the local Swift, checked with curl.
@Suite(.serialized, .timeLimit(.minutes(5))) struct VersionsE2ETests {
    /// Runs `body` with a unique container name, and afterwards deletes every version of
    /// every object in it, turns versioning off and deletes it, whatever `body` did.
    static func withVersionedContainer(
        _ label: String, _ body: (_ container: String, _ scratch: TemporaryFolder) async throws -> Void
    ) async throws {
        try await LocalServer.require()
        let container = LocalServer.uniqueContainer(label)
        let scratch = try TemporaryFolder()
        defer { scratch.remove() }
        do {
            try await body(container, scratch)
        } catch {
            await removeVersioned(container)
            throw error
        }
        await removeVersioned(container)
    }

    static func removeVersioned(_ container: String) async {
        for entry in (try? await versions(container)) ?? [] {
            guard let name = entry["name"] as? String, let id = entry["version_id"] as? String else { continue }
            _ = try? await LocalServer.storage(
                "DELETE",
                LocalServer.pathEncoded(container) + "/" + LocalServer.pathEncoded(name) + "?version-id="
                    + LocalServer.queryEncoded(id))
        }
        _ = try? await LocalServer.storage(
            "POST", LocalServer.pathEncoded(container), headers: ["X-Versions-Enabled: false"])
        await LocalServer.removeContainer(container)
    }

    /// The container's `?versions` listing, as curl gets it.
    static func versions(_ container: String) async throws -> [[String: Any]] {
        let reply = try await LocalServer.storage("GET", LocalServer.pathEncoded(container) + "?versions&format=json")
        #expect(reply.status == 200 || reply.status == 204, "GET ?versions: \(reply.status)")
        if reply.body.isEmpty { return [] }
        return try JSONSerialization.jsonObject(with: reply.body) as? [[String: Any]] ?? []
    }

    /// An object's current bytes and status, as curl gets them.
    static func current(_ container: String, _ name: String) async throws -> (status: Int, body: String) {
        let reply = try await LocalServer.storage(
            "GET", LocalServer.pathEncoded(container) + "/" + LocalServer.pathEncoded(name))
        return (reply.status, String(decoding: reply.body, as: UTF8.self))
    }

    /// The container's `X-Versions-Enabled` header, as curl gets it.
    static func versionsEnabled(_ container: String) async throws -> String? {
        let auth = try await LocalServer.swiftclientAuth()
        let head = try await LocalServer.shell(
            "/usr/bin/curl", ["-s", "-I", "-H", "X-Auth-Token: " + auth.token, auth.url + "/" + container])
        for line in head.stdout.split(whereSeparator: \.isNewline)
        where line.lowercased().hasPrefix("x-versions-enabled:") {
            return line.split(separator: ":", maxSplits: 1)[1].trimmingCharacters(in: .whitespacesAndNewlines)
        }
        return nil
    }

    /// The legacy mode (`versioned_writes` with `allow_versioned_writes`, as on clusters
    /// without object versioning): the archive container holds the older copies.
    @Test(
        "versions --archive: X-History-Location is set, the old copy is archived, listed, read and restored; off clears it"
    )
    func legacyArchive() async throws {
        try await LocalServer.require()
        let container = LocalServer.uniqueContainer("legacy")
        let archive = container + "-archive"
        let scratch = try TemporaryFolder()
        defer { scratch.remove() }
        func cleanUp() async {
            _ = try? await cfsh("versions \(container) off")
            await LocalServer.removeContainer(container)
            await LocalServer.removeContainer(archive)
        }
        do {
            let on = try await cfsh("mkdir \(container); versions \(container) on --archive \(archive)")
            #expect(on.status == 0, "\(on)")
            let auth = try await LocalServer.swiftclientAuth()
            func history() async throws -> String {
                try await LocalServer.shell(
                    "/usr/bin/curl", ["-s", "-I", "-H", "X-Auth-Token: " + auth.token, auth.url + "/" + container]
                ).stdout.lowercased()
            }
            #expect(try await history().contains("x-history-location: \(archive)"))
            try scratch.write("a.txt", "old\n")
            #expect(try await cfsh("put a.txt \(container)/", in: scratch).status == 0)
            try scratch.write("a.txt", "newer\n")
            #expect(try await cfsh("put a.txt \(container)/", in: scratch).status == 0)
            // The server archived the first copy (python-swiftclient sees it there).
            let archived = try await LocalServer.objectNames(archive, prefix: nil)
            #expect(archived.count == 1 && archived.first?.hasPrefix("005a.txt/") == true, "\(archived)")
            let id = String(archived.first?.dropFirst("005a.txt/".count) ?? "")
            let listed = try await cfsh("ls --versions \(container)/a.txt")
            #expect(
                listed.status == 0 && listed.stdout.contains(id) && listed.stdout.contains("(current)"), "\(listed)")
            #expect(try await cfsh("cat --version \(id) \(container)/a.txt").stdout == "old\n")
            #expect(try await cfsh("versions --restore \(id) \(container)/a.txt").status == 0)
            #expect(try await Self.current(container, "a.txt").body == "old\n")
            #expect(try await cfsh("versions \(container) off").status == 0)
            #expect(try await !history().contains("x-history-location"))
        } catch {
            await cleanUp()
            throw error
        }
        await cleanUp()
    }

    @Test(
        "versions on; two puts; ls --versions shows both, the newest current; get and cat read the old one; --restore makes it current; rm --version deletes only it; rm leaves a marker; rmdir --force refuses; off"
    )
    func lifecycle() async throws {
        try await Self.withVersionedContainer("versions") { container, scratch in
            let on = try await cfsh("mkdir \(container); versions \(container) on; versions \(container)")
            #expect(on.status == 0, "\(on)")
            #expect(on.stdout.contains("\(container): versioning on (X-Versions-Enabled)"), "\(on)")
            #expect(try await Self.versionsEnabled(container)?.lowercased() == "true")

            try scratch.write("a.txt", "version one\n")
            #expect(try await cfsh("put a.txt \(container)/", in: scratch).status == 0)
            try scratch.write("a.txt", "the second version\n")
            #expect(try await cfsh("put a.txt \(container)/", in: scratch).status == 0)
            let listed = try await Self.versions(container)
            #expect(listed.count == 2, "\(listed)")
            let newest = try #require(listed.first?["version_id"] as? String)
            let oldest = try #require(listed.last?["version_id"] as? String)
            #expect(listed.first?["is_latest"] as? Bool == true)

            let human = try await cfsh("ls --versions \(container)/a.txt")
            #expect(human.status == 0, "\(human)")
            #expect(human.lines.count == 2, "\(human)")
            #expect(human.lines.first?.hasPrefix("*  \(newest)") == true, "\(human)")
            #expect(human.lines.first?.contains("(current)") == true, "\(human)")
            #expect(human.lines.last?.hasPrefix("   \(oldest)") == true, "\(human)")
            #expect(human.lines.last?.contains(" 12  ") == true, "the old version's size: \(human)")

            let json = try await cfsh("ls --versions --json \(container)/a.txt")
            #expect(json.status == 0, "\(json)")
            let entries = try #require(
                try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]], "\(json)")
            #expect(entries.map { $0["version_id"] as? String } == [newest, oldest])
            #expect(entries.map { $0["is_latest"] as? Bool } == [true, false])
            #expect(entries.map { $0["bytes"] as? Int } == [19, 12])

            let cat = try await cfsh("cat --version \(oldest) \(container)/a.txt")
            cat.expect(status: 0, stdout: "version one\n", stderr: "")
            let get = try await cfsh("get --version \(oldest) \(container)/a.txt old.txt", in: scratch)
            #expect(get.status == 0, "\(get)")
            #expect(scratch.read("old.txt") == "version one\n")

            let restore = try await cfsh("versions --restore \(oldest) \(container)/a.txt")
            #expect(restore.status == 0, "\(restore)")
            #expect(try await Self.current(container, "a.txt").body == "version one\n")
            #expect(try await Self.versions(container).count == 3)

            // Deleting one version by id deletes it and nothing else.
            let remove = try await cfsh("rm --version \(newest) \(container)/a.txt")
            #expect(remove.status == 0, "\(remove)")
            let afterRemove = try await Self.versions(container).compactMap { $0["version_id"] as? String }
            #expect(afterRemove.count == 2 && !afterRemove.contains(newest) && afterRemove.contains(oldest))
            #expect(try await Self.current(container, "a.txt").body == "version one\n")

            // A plain rm writes a delete marker: the object answers 404, its versions stay.
            #expect(try await cfsh("rm \(container)/a.txt").status == 0)
            #expect(try await Self.current(container, "a.txt").status == 404)
            let marked = try await Self.versions(container)
            #expect(marked.count == 3)
            let markers = try await cfsh("ls --versions \(container)/a.txt")
            #expect(markers.lines.first?.contains("delete marker") == true, "\(markers)")

            // rmdir --force deletes nothing and says why.
            let rmdir = try await cfsh("rmdir --force \(container)")
            #expect(rmdir.status == 1, "\(rmdir)")
            #expect(rmdir.stderr.contains("still holds object versions"), "\(rmdir)")
            #expect(try await LocalServer.containerExists(container))
            #expect(try await Self.versions(container).count == 3)

            let off = try await cfsh("versions \(container) off; versions --json \(container)")
            #expect(off.status == 0, "\(off)")
            #expect(off.stdout.contains("\"versioning\": \"off\""), "\(off)")
            #expect(try await Self.versionsEnabled(container)?.lowercased() == "false")
            // Versions can still be listed and read once versioning is off.
            let stillThere = try await cfsh("cat --version \(oldest) \(container)/a.txt")
            stillThere.expect(status: 0, stdout: "version one\n")
        }
    }

    @Test("bad version ids, unversioned containers and wrong words are clear errors that delete nothing")
    func errors() async throws {
        try await withContainer("versions-err") { container, scratch in
            try scratch.write("a.txt", "keep me\n")
            #expect(try await cfsh("put a.txt \(container)/", in: scratch).status == 0)
            let notVersioned = try await cfsh("rm --version 1796209185.11311 \(container)/a.txt")
            #expect(notVersioned.status == 1, "\(notVersioned)")
            #expect(notVersioned.stderr.contains("is not versioned"), "\(notVersioned)")
            let badID = try await cfsh("rm --version ../a.txt \(container)/a.txt")
            #expect(badID.status != 0, "\(badID)")
            #expect(badID.stderr.contains("is not a version id"), "\(badID)")
            let list = try await cfsh("ls --versions \(container)/a.txt")
            #expect(list.status == 1 && list.stderr.contains("is not versioned"), "\(list)")
            #expect(try await Self.current(container, "a.txt").body == "keep me\n")
            let word = try await cfsh("versions \(container) maybe")
            #expect(word.status == 2 && word.stderr.contains("expected 'on' or 'off'"), "\(word)")
            let never = try await cfsh("versions \(container)")
            #expect(never.stdout.contains("versioning never set"), "\(never)")
            #expect(try await Self.versionsEnabled(container) == nil)
        }
    }

    @Test("help versions, and Tab completes on and off")
    func help() async throws {
        let help = try await cfsh("help versions")
        #expect(help.status == 0, "\(help)")
        #expect(help.stdout.contains("delete marker"), "\(help)")
        let rm = try await cfsh("help rm")
        #expect(rm.stdout.contains("--version ID"), "\(rm)")
    }
}
