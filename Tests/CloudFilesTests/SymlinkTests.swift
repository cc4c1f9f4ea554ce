import CloudFiles
import Foundation
import NIOCore
import Testing

@Suite("Symlinks and /info capabilities", .timeLimit(.minutes(5)))
struct SymlinkTests {
    @Test("a link to a name with spaces, % and Unicode, in another container, reads as its target")
    func crossContainerLink() async throws {
        try await TestServer.withClient { client in
            try await TestServer.withContainer(client) { container in
                try await TestServer.withContainer(client) { other in
                    let name = "dir/a b%20c ü 100%.txt"
                    let body = ByteBuffer(string: "the target's bytes\n")
                    try await client.uploadObject(name, in: other, bytes: body)
                    try await client.createSymlink(
                        "links/to it", in: container, to: SymlinkTarget(container: other, name: name))
                    #expect(try await client.contents("links/to it", in: container) == body)
                    let link = try await client.objectInfo("links/to it", in: container, followingSymlinks: false)
                    #expect(link.symlink == SymlinkTarget(container: other, name: name))
                    #expect(link.contentLength == 0)
                    var records: [ObjectRecord] = []
                    for try await case .object(let record) in client.listObjects(in: container) {
                        records.append(record)
                    }
                    let account = try await client.storageURL().lastPathComponent
                    #expect(records.map(\.isSymlink) == [true])
                    #expect(
                        records.first?.symlinkTarget == SymlinkTarget(account: account, container: other, name: name))
                    // Deleting the link leaves the target.
                    try await client.deleteObject("links/to it", in: container, deleteSegments: true)
                    #expect(try await client.contents(name, in: other) == body)
                }
            }
        }
    }

    @Test("a static link carries the target's ETag; a wrong ETag and a bad account are refused")
    func staticLink() async throws {
        try await TestServer.withClient { client in
            try await TestServer.withContainer(client) { container in
                let body = ByteBuffer(string: "pinned")
                let etag = try await client.uploadObject("t", in: container, bytes: body).etag
                try await client.createSymlink(
                    "s", in: container, to: SymlinkTarget(container: container, name: "t"), targetETag: etag)
                let link = try await client.objectInfo("s", in: container, followingSymlinks: false)
                #expect(link.symlinkTargetETag == etag)
                await #expect(throws: CloudFilesError.conflict) {
                    try await client.createSymlink(
                        "w", in: container, to: SymlinkTarget(container: container, name: "t"),
                        targetETag: String(repeating: "0", count: 32))
                }
                await #expect(throws: CloudFilesError.invalidArgument) {
                    try await client.createSymlink(
                        "w", in: container, to: SymlinkTarget(container: container, name: "t"), targetETag: "a\r\nb")
                }
                await #expect(throws: CloudFilesError.invalidArgument) {
                    try await client.createSymlink(
                        "w", in: container, to: SymlinkTarget(account: "a/b", container: container, name: "t"))
                }
            }
        }
    }

    @Test("listing paths a server could send are read or dropped, never trusted blindly")
    func listingPaths() {
        #expect(
            SymlinkTarget(listingPath: "/v1/AUTH_x/c/a%20b/%25")
                == SymlinkTarget(account: "AUTH_x", container: "c", name: "a b/%"))
        #expect(SymlinkTarget(listingPath: "/v1/AUTH_x/c") == nil)
        #expect(SymlinkTarget(listingPath: "v1/AUTH_x/c/o") == nil)
        #expect(SymlinkTarget(listingPath: "/v1/AUTH_x/c/%zz") == nil)
        #expect(SymlinkTarget(listingPath: "/v1/AUTH_x/c/" + String(repeating: "a", count: 10_000)) == nil)
        #expect(SymlinkTarget(header: "c/%E2%9C%93") == SymlinkTarget(container: "c", name: "✓"))
        #expect(SymlinkTarget(header: "noslash") == nil)
        #expect(SymlinkTarget(container: "c d", name: "a b/%").headerValue == "c%20d/a%20b/%25")
    }

    @Test("/info: TempURL digests, versioning, symlinks and bulk upload are read; hostile values do not trap")
    func capabilities() async throws {
        try await TestServer.withClient { client in
            let caps = try await client.capabilities(refresh: true)
            #expect(caps.tempURL?.allowedDigests == ["sha1", "sha256", "sha512"])
            #expect(caps.tempURL?.deprecatedDigests == ["sha1"])
            #expect(caps.tempURL?.methods.contains("PUT") == true)
            #expect(caps.objectVersioning)
            #expect(caps.symlink?.staticLinks == true)
            #expect(caps.bulkUpload?.maxFailedExtractions == 1000)
            #expect(caps.maxMetaValueLength == 256)
            #expect(!caps.json.isEmpty)
        }
        let hostile = """
            {"swift": {"max_meta_count": 1e300, "max_meta_value_length": -5, "max_header_size": "x"},
             "tempurl": {"methods": ["GET", 7, "\\u001b[2J", ""], "allowed_digests": "sha256"},
             "symlink": {"symloop_max": 99999999999999999999999, "static_links": "yes"},
             "bulk_upload": []}
            """
        let caps = try Capabilities(json: Data(hostile.utf8))
        #expect(caps.maxMetaCount == nil)
        #expect(caps.maxMetaValueLength == nil)
        #expect(caps.maxHeaderSize == nil)
        #expect(caps.tempURL?.methods == ["GET"])
        #expect(caps.tempURL?.allowedDigests == [])
        #expect(caps.symlink?.symloopMax == nil)
        #expect(caps.symlink?.staticLinks == false)
        #expect(caps.bulkUpload == nil)
    }
}
