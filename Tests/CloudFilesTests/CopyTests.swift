import CFSHTestSupport
import Foundation
import NIOCore
import Testing

@testable import CloudFiles

@Suite("Server-side copy of large objects, metadata and options", .timeLimit(.minutes(5)))
struct CopyTests {
    @Test(
        "a large object is copied as its manifest, both are marked, and deleting the original keeps the shared segments",
        arguments: [LargeObjectOptions.ManifestKind.static, .dynamic])
    func manifestCopy(kind: LargeObjectOptions.ManifestKind) async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let md5 = try folder.writePattern("big.bin", size: 3 * (1 << 20) + 17)
        try await TestServer.withClient { client in
            try await TestServer.withContainer(client, prefix: "cf-copy") { container in
                let segments = container + "_segments"
                var options = LargeObjectOptions(segmentSize: 1 << 20, parallelism: 2)
                options.manifest = kind
                try await client.uploadLargeObject(
                    "big.bin", in: container, fromFile: folder.file("big.bin"), options: options)
                let copy = try await client.copyObject(
                    "big.bin", in: container, to: "copy.bin", in: container,
                    options: CopyOptions(metadata: ["note": "copied"]))
                #expect(copy.sharesSegments)
                let original = try await client.objectInfo("big.bin", in: container)
                let copied = try await client.objectInfo("copy.bin", in: container)
                #expect(original.sharesSegments && copied.sharesSegments)
                #expect(copied.metadata["note"] == "copied")
                #expect(copied.isStaticLargeObject == (kind == .static))
                #expect(copied.dynamicManifest == original.dynamicManifest)
                let deletion = try await client.deleteObject("big.bin", in: container, deleteSegments: true)
                #expect(deletion.deleted == 0)
                #expect(deletion.kept.map(\.reason) == [.shared])
                #expect(deletion.kept.first?.count == 4)
                _ = try await client.downloadObject("copy.bin", in: container, toFile: folder.file("back.bin"))
                #expect(try TemporaryFolder.md5(ofFile: folder.file("back.bin")) == md5)
                try await client.deleteObject("copy.bin", in: container, deleteSegments: true)
                #expect(try await Array(client.listObjects(in: segments)).count == 4)
                try await TestServer.empty(segments, client)
            }
        }
    }

    @Test("a whole copy is one ordinary object and leaves the source unmarked; bad accounts are refused")
    func wholeCopy() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        _ = try folder.writePattern("big.bin", size: 2 * (1 << 20) + 5)
        try await TestServer.withClient { client in
            try await TestServer.withContainer(client, prefix: "cf-whole") { container in
                try await client.uploadLargeObject(
                    "big.bin", in: container, fromFile: folder.file("big.bin"),
                    options: LargeObjectOptions(segmentSize: 1 << 20, parallelism: 2))
                let copy = try await client.copyObject(
                    "big.bin", in: container, to: "whole.bin", in: container, options: CopyOptions(largeObjects: .whole)
                )
                #expect(copy.kind == .object)
                let info = try await client.objectInfo("whole.bin", in: container)
                #expect(!info.isLargeObject)
                #expect(info.contentLength == Int64(2_097_157))
                #expect(try await !client.objectInfo("big.bin", in: container).sharesSegments)
                for account in ["", "AUTH_a/b", "AUTH_x\r\nX-Evil: 1"] {
                    let error = await #expect(throws: CloudFilesError.self) {
                        try await client.copyObject(
                            "big.bin", in: container, to: "x", in: container,
                            options: CopyOptions(sourceAccount: account))
                    }
                    #expect(error == .invalidArgument)
                }
                try await client.deleteObject("big.bin", in: container, deleteSegments: true)
                try await TestServer.empty(container + "_segments", client)
            }
        }
    }
}
