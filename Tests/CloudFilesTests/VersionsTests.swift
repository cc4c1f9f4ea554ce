import Foundation
import NIOCore
import Testing

@testable import CloudFiles

/// Object versions through the library, against the local Swift: object versioning
/// (`X-Versions-Enabled`), and the legacy `X-History-Location` layout forced on a container.
@Suite("Object versions", .serialized, .timeLimit(.minutes(5)))
struct VersionsTests {
    /// Runs `body` with a new container, and deletes every version, the versioning and the
    /// container afterwards, whether `body` failed or not.
    static func withVersionedContainer(
        _ client: CloudFilesClient, _ body: (String) async throws -> Void
    ) async throws {
        let name = TestServer.uniqueName("cf-versions")
        try await client.createContainer(name)
        do {
            try await body(name)
        } catch {
            await Self.removeAll(name, client)
            throw error
        }
        await Self.removeAll(name, client)
    }

    static func removeAll(_ container: String, _ client: CloudFilesClient) async {
        if case .objectVersioning? = try? await client.containerInfo(container).versioning {
            var names: Set<String> = []
            do {
                for try await entry in client.listObjects(in: container) { names.insert(entry.name) }
            } catch {}
            // Names that only have versions left are not listed: read them from ?versions.
            for name in (try? await Self.versionedNames(container, client)) ?? [] { names.insert(name) }
            for name in names {
                for version in (try? await client.objectVersions(of: name, in: container)) ?? [] {
                    try? await client.deleteObjectVersion(name, in: container, versionID: version.versionID)
                }
            }
            _ = try? await client.disableVersioning(on: container)
        }
        try? await TestServer.empty(container, client)
    }

    static func versionedNames(_ container: String, _ client: CloudFilesClient) async throws -> [String] {
        let reply = try await client.send(
            StorageRequest(.GET, .container(container), query: [("versions", nil), ("format", "json")]))
        let body = try await reply.collect(upTo: 1 << 20)
        let entries = try JSONSerialization.jsonObject(with: Data(body.readableBytesView)) as? [[String: Any]] ?? []
        return entries.compactMap { $0["name"] as? String }
    }

    @Test("/info lists object_versioning, and enableVersioning chooses it")
    func capabilities() async throws {
        try await TestServer.withClient { client in
            #expect(try await client.capabilities().objectVersioning)
            try await Self.withVersionedContainer(client) { container in
                #expect(try await client.containerInfo(container).versioning == .none)
                let method = try await client.enableVersioning(on: container)
                #expect(method == .objectVersioning)
                #expect(try await client.containerInfo(container).versioning == .objectVersioning(enabled: true))
                #expect(try await client.disableVersioning(on: container) == .objectVersioning(enabled: true))
                #expect(try await client.containerInfo(container).versioning == .objectVersioning(enabled: false))
            }
        }
    }

    @Test("versions are listed newest first; one is read, restored and deleted alone")
    func objectVersioning() async throws {
        try await TestServer.withClient { client in
            try await Self.withVersionedContainer(client) { container in
                try await client.enableVersioning(on: container)
                let one = ByteBuffer(string: "one\n")
                let two = ByteBuffer(string: "second\n")
                try await client.uploadObject("o", in: container, bytes: one)
                try await client.uploadObject("o", in: container, bytes: two)
                // Another name starting with the same text is not a version of "o".
                try await client.uploadObject("o2", in: container, bytes: one)
                let versions = try await client.objectVersions(of: "o", in: container)
                #expect(versions.map(\.bytes) == [7, 4])
                #expect(versions.map(\.isLatest) == [true, false])
                #expect(versions.allSatisfy { $0.name == "o" && !$0.isDeleteMarker })
                let old = versions[1].versionID
                let download = try await client.getObject("o", in: container, versionID: old)
                var read = ByteBuffer()
                for try await var chunk in download.body { read.writeBuffer(&chunk) }
                #expect(read == one)

                try await client.restoreObjectVersion("o", in: container, versionID: old)
                #expect(try await client.contents("o", in: container) == one)
                let restored = try await client.objectVersions(of: "o", in: container)
                #expect(restored.count == 3)

                try await client.deleteObjectVersion("o", in: container, versionID: versions[0].versionID)
                let left = try await client.objectVersions(of: "o", in: container)
                #expect(left.map(\.versionID) == restored.map(\.versionID).filter { $0 != versions[0].versionID })
                #expect(try await client.contents("o", in: container) == one)

                // A version that does not exist is an error, and deletes nothing.
                await #expect(throws: CloudFilesError.notFound) {
                    try await client.deleteObjectVersion("o", in: container, versionID: "1000000000.00000")
                }
                #expect(try await client.objectVersions(of: "o", in: container).count == 2)
                // A plain DELETE leaves a delete marker, and the container cannot go.
                try await client.deleteObject("o", in: container)
                let marked = try await client.objectVersions(of: "o", in: container)
                #expect(marked.first?.isDeleteMarker == true && marked.first?.isLatest == true)
                try await client.deleteObject("o2", in: container)
                #expect(try await client.containerHasVersions(container))
                let refused = await #expect(throws: CloudFilesError.containerNotEmpty) {
                    try await client.deleteContainer(container)
                }
                #expect(refused?.message.contains("versions") == true, "\(String(describing: refused))")
            }
        }
    }

    @Test("a version id that is no id is refused before any request")
    func badVersionIDs() async throws {
        for id in ["", "../x", "a/b", "1 2", String(repeating: "1", count: 65), "x\u{0}", "é"] {
            #expect(throws: CloudFilesError.invalidArgument) { try CloudFilesClient.validateVersionID(id) }
        }
        try CloudFilesClient.validateVersionID("1796209185.11311")
        try CloudFilesClient.validateVersionID("null")
    }

    @Test("an unversioned container has no versions to delete: the object stays")
    func unversioned() async throws {
        try await TestServer.withClient { client in
            try await TestServer.withContainer(client) { container in
                try await client.uploadObject("o", in: container, bytes: ByteBuffer(string: "x"))
                await #expect(throws: CloudFilesError.invalidArgument) {
                    try await client.deleteObjectVersion("o", in: container, versionID: "1796209185.11311")
                }
                #expect(try await client.contents("o", in: container) == ByteBuffer(string: "x"))
                #expect(try await client.containerHasVersions(container) == false)
            }
        }
    }

    @Test("junk in a versions listing is clamped, never a trap")
    func hostileListing() throws {
        let json = """
            [{"name": "o", "version_id": 5, "bytes": 1e300, "is_latest": "yes", "hash": null},
             {"name": "o", "version_id": "1.0", "bytes": -4, "last_modified": "99999-99-99T99:99:99"},
             {"name": "o", "version_id": "2.0", "bytes": "18446744073709551616", "content_type": 7},
             {"name": "o", "version_id": "3.0", "bytes": 12, "is_latest": true}]
            """
        let versions = try JSONDecoder().decode([VersionJSON].self, from: Data(json.utf8)).map(\.version)
        #expect(versions.map(\.bytes) == [0, 0, 0, 12])
        #expect(versions.map(\.isLatest) == [false, false, false, true])
        #expect(versions.map(\.versionID) == ["null", "1.0", "2.0", "3.0"])
        #expect(versions[1].lastModified == nil)
    }

    @Test("the legacy X-History-Location layout: archived copies are listed, read, restored and deleted")
    func legacyHistory() async throws {
        try await TestServer.withClient { client in
            try await TestServer.withContainer(client) { container in
                try await TestServer.withContainer(client, prefix: "cf-archive") { archive in
                    let name = "dir/é.txt"
                    #expect(CloudFilesClient.legacyPrefix(of: name) == "00adir/é.txt/")
                    // What versioned_writes stores: <3 hex digits of the UTF-8 length><name>/<timestamp>.
                    let prefix = CloudFilesClient.legacyPrefix(of: name)
                    try await client.uploadObject(
                        prefix + "1700000000.00000", in: archive, bytes: ByteBuffer(string: "v1"))
                    try await client.uploadObject(
                        prefix + "1700000100.00000", in: archive, bytes: ByteBuffer(string: "v2"))
                    try await client.uploadObject("00adir/é.txt/sub/1", in: archive, bytes: ByteBuffer(string: "other"))
                    try await client.uploadObject(name, in: container, bytes: ByteBuffer(string: "v3!"))
                    let mode = ContainerVersioning.history(archive: archive)
                    let versions = try await client.objectVersions(of: name, in: container, versioning: mode)
                    #expect(versions.map(\.versionID) == ["current", "1700000100.00000", "1700000000.00000"])
                    #expect(versions.map(\.isLatest) == [true, false, false])
                    let location = try await client.versionLocation(
                        of: name, in: container, versionID: "1700000000.00000", versioning: mode)
                    #expect(location == ObjectVersionLocation(container: archive, name: prefix + "1700000000.00000"))
                    try await client.restoreObjectVersion(
                        name, in: container, versionID: "1700000000.00000", versioning: mode)
                    #expect(try await client.contents(name, in: container) == ByteBuffer(string: "v1"))
                    try await client.deleteObjectVersion(
                        name, in: container, versionID: "1700000100.00000", versioning: mode)
                    let left = try await client.objectVersions(of: name, in: container, versioning: mode)
                    #expect(left.map(\.versionID) == ["current", "1700000000.00000"])
                    #expect(try await client.contents("00adir/é.txt/sub/1", in: archive) == ByteBuffer(string: "other"))
                    await #expect(throws: CloudFilesError.invalidArgument) {
                        try await client.deleteObjectVersion(
                            name, in: container, versionID: "current", versioning: mode)
                    }
                    #expect(try await client.contents(name, in: container) == ByteBuffer(string: "v1"))
                }
            }
        }
    }

    @Test("the legacy mode is chosen with an archive, which is created; the container itself is refused")
    func legacyEnable() async throws {
        try await TestServer.withClient { client in
            try await TestServer.withContainer(client) { container in
                let archive = TestServer.uniqueName("cf-archive")
                do {
                    let method = try await client.enableVersioning(on: container, archive: archive)
                    #expect(method == .history(archive: archive))
                    _ = try await client.containerInfo(archive)
                    await #expect(throws: CloudFilesError.invalidArgument) {
                        try await client.enableVersioning(on: container, method: .history(archive: container))
                    }
                } catch {
                    try? await client.deleteContainer(archive)
                    throw error
                }
                try await client.deleteContainer(archive)
            }
        }
    }
}
