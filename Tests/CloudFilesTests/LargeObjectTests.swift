import CFSHTestSupport
import Foundation
import NIOCore
import Synchronization
import Testing

@testable import CloudFiles

@Suite("Static large objects", .timeLimit(.minutes(5)))
struct LargeObjectTests {
    @Test(
        "the segment plan covers the file exactly and never exceeds the segment limit",
        arguments: [
            (Int64(10), Int64(3), 1000, Int64(3), 4),
            (Int64(9), Int64(3), 1000, Int64(3), 3),
            (Int64(5000), Int64(1), 1000, Int64(5), 1000),
            (Int64(5001), Int64(1), 1000, Int64(6), 834),
            (Int64(1), Int64(64 << 20), 1000, Int64(64 << 20), 1),
        ])
    func plan(size: Int64, asked: Int64, limit: Int, used: Int64, count: Int) {
        let (segmentSize, ranges) = CloudFilesClient.segmentPlan(size: size, segmentSize: asked, maxSegments: limit)
        #expect(segmentSize == used)
        #expect(ranges.count == count)
        #expect(ranges.first?.lowerBound == 0)
        #expect(ranges.last?.upperBound == size)
        #expect(zip(ranges, ranges.dropFirst()).allSatisfy { $0.upperBound == $1.lowerBound })
    }

    @Test("the segment check catches a segment whose bytes differ from its manifest's MD5")
    func segmentMismatch() throws {
        let a = ByteBuffer(string: "first segment")
        let b = ByteBuffer(string: "second")
        let segments = [
            SegmentRecord(container: "s", name: "1", etag: md5Hex(a.readableBytesView), bytes: Int64(a.readableBytes)),
            SegmentRecord(container: "s", name: "2", etag: md5Hex("other".utf8), bytes: Int64(b.readableBytes)),
        ]
        var verifier = try #require(
            SegmentVerifier(segments: segments, totalLength: Int64(a.readableBytes + b.readableBytes)))
        var body = a
        var tail = b
        body.writeBuffer(&tail)
        // Split across the boundary, as a network read would.
        try verifier.update(body.getSlice(at: 0, length: 5)!)
        #expect(throws: CloudFilesError.checksumMismatch) {
            try verifier.update(body.getSlice(at: 5, length: body.readableBytes - 5)!)
        }
        #expect(SegmentVerifier(segments: segments, totalLength: 3) == nil)
    }

    @Test(
        "a file uploads as an SLO of the right segments, reads back identical, resumes, and deletes with its segments")
    func uploadResumeDelete() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let size: Int64 = 5 * (1 << 20) + 300
        let md5 = try folder.writePattern("big.bin", size: size)
        try await TestServer.withClient { client in
            try await TestServer.withContainer(client, prefix: "cf-slo") { container in
                let segments = container + "_segments"
                do {
                    try await Self.exercise(client, container, segments, folder, size, md5)
                    try await TestServer.empty(segments, client)
                } catch {
                    try? await TestServer.empty(segments, client)
                    throw error
                }
            }
        }
    }

    @Test(
        "without SLO, a dynamic large object: segments under one prefix, a manifest header, checked and identical on download, deleted with its segments"
    )
    func dynamicLargeObject() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let size: Int64 = 3 * (1 << 20) + 17
        let md5 = try folder.writePattern("big.bin", size: size)
        try await TestServer.withClient { client in
            try await TestServer.withContainer(client, prefix: "cf-dlo") { container in
                let segments = container + "_segments"
                var options = LargeObjectOptions(segmentSize: 1 << 20, parallelism: 2)
                options.manifest = .dynamic
                let result = try await client.uploadLargeObject(
                    "big.bin", in: container, fromFile: folder.file("big.bin"), options: options)
                #expect(result.segments.count == 4)
                let info = try await client.objectInfo("big.bin", in: container)
                #expect(!info.isStaticLargeObject)
                #expect(
                    info.dynamicManifest?.hasPrefix(segments + "/big.bin/dlo/") == true,
                    "\(String(describing: info.dynamicManifest))")
                #expect(info.contentLength == size)
                let download = try await client.downloadObject(
                    "big.bin", in: container, toFile: folder.file("back.bin"))
                #expect(download.segmentsVerified == 4, "checked against the listing of its segments")
                #expect(try TemporaryFolder.md5(ofFile: folder.file("back.bin")) == md5)
                #expect(try await client.largeObjectSegments("big.bin", in: container) == result.segments)
                // Deleted with its segments: the manifest, then everything under its prefix.
                try await client.deleteObject("big.bin", in: container, deleteSegments: true)
                await #expect(throws: CloudFilesError.notFound) {
                    try await client.objectInfo("big.bin", in: container)
                }
                #expect(try await Array(client.listObjects(in: segments)).isEmpty)
                try await TestServer.empty(segments, client)
            }
        }
    }

    @Test("deleting with deleteSegments works on a plain object too, and a missing one is a 404")
    func deleteSegmentsOfPlainObject() async throws {
        try await TestServer.withClient { client in
            try await TestServer.withContainer(client, prefix: "cf-del") { container in
                try await client.uploadObject("plain.txt", in: container, bytes: ByteBuffer(string: "plain\n"))
                try await client.deleteObject("plain.txt", in: container, deleteSegments: true)
                await #expect(throws: CloudFilesError.notFound) {
                    try await client.objectInfo("plain.txt", in: container)
                }
                let error = await #expect(throws: CloudFilesError.self) {
                    try await client.deleteObject("plain.txt", in: container, deleteSegments: true)
                }
                #expect(error == .notFound)
                #expect(error?.status == 404)
            }
        }
    }

    static func exercise(
        _ client: CloudFilesClient, _ container: String, _ segments: String, _ folder: TemporaryFolder, _ size: Int64,
        _ md5: String
    ) async throws {
        let reported = Mutex<Int64>(0)
        var options = LargeObjectOptions(segmentSize: 1 << 20, parallelism: 3)
        options.upload.progress = { bytes in reported.withLock { $0 = max($0, bytes) } }
        let first = try await client.uploadLargeObject(
            "big.bin", in: container, fromFile: folder.file("big.bin"), options: options)
        #expect(reported.withLock { $0 } == size)
        options.upload.progress = nil
        #expect(first.segments.count == 6)
        #expect(first.segmentsSent == 6)
        #expect(first.segments.map(\.bytes).reduce(0, +) == size)
        let info = try await client.objectInfo("big.bin", in: container)
        #expect(info.isStaticLargeObject)
        #expect(info.contentLength == size)
        #expect(info.contentType == "application/octet-stream")
        #expect(info.modificationDate != nil)
        #expect(try await client.largeObjectSegments("big.bin", in: container) == first.segments)
        let download = try await client.downloadObject("big.bin", in: container, toFile: folder.file("back.bin"))
        #expect(download.bytes == size)
        #expect(download.segmentsVerified == 6)
        #expect(!download.md5Verified)
        #expect(try TemporaryFolder.md5(ofFile: folder.file("back.bin")) == md5)
        // Four segments at once, each a ranged GET written at its offset.
        let received = Mutex<Int64>(0)
        var parallel = DownloadOptions(parallelSegments: 4)
        parallel.progress = { bytes in received.withLock { $0 = max($0, bytes) } }
        let fast = try await client.downloadObject(
            "big.bin", in: container, toFile: folder.file("fast.bin"), options: parallel)
        #expect(fast.bytes == size)
        #expect(fast.segmentsVerified == 6)
        #expect(received.withLock { $0 } == size)
        #expect(try TemporaryFolder.md5(ofFile: folder.file("fast.bin")) == md5)
        // python-swiftclient reads it too.
        try SwiftCLI.run(["download", container, "big.bin", "-o", "cli.bin"], in: folder.path)
        #expect(try TemporaryFolder.md5(ofFile: folder.file("cli.bin")) == md5)

        // Interrupted uploads resume: drop two segments, upload again.
        try await client.deleteObject(first.segments[1].name, in: segments)
        try await client.deleteObject(first.segments[4].name, in: segments)
        let again = try await client.uploadLargeObject(
            "big.bin", in: container, fromFile: folder.file("big.bin"), options: options)
        #expect(again.segmentsSent == 2)
        #expect(again.oldSegmentsDeleted == 0)

        // A new segment size replaces the segments, and the old ones are deleted.
        let resized = try await client.uploadLargeObject(
            "big.bin", in: container, fromFile: folder.file("big.bin"),
            options: LargeObjectOptions(segmentSize: 2 << 20))
        #expect(resized.segments.count == 3)
        #expect(resized.oldSegmentsDeleted == 6)
        let left = try await Array(client.listObjects(in: segments)).map(\.name)
        #expect(left == resized.segments.map(\.name))

        try await client.deleteObject("big.bin", in: container, deleteSegments: true)
        #expect(try await Array(client.listObjects(in: segments)).isEmpty)
        await #expect(throws: CloudFilesError.notFound) { try await client.objectInfo("big.bin", in: container) }
    }
}
