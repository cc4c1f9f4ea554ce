import CFSHTestSupport
import CloudFiles
import Foundation
import NIOCore
import Synchronization
import Testing

/// An async sequence of buffers that a test builds up front (a one-shot stream).
struct Chunks: AsyncSequence, Sendable {
    typealias Element = ByteBuffer
    let buffers: [ByteBuffer]

    func makeAsyncIterator() -> Iterator { Iterator(buffers: buffers) }

    struct Iterator: AsyncIteratorProtocol {
        var buffers: [ByteBuffer]
        mutating func next() async throws -> ByteBuffer? {
            buffers.isEmpty ? nil : buffers.removeFirst()
        }
    }
}

@Suite("Streaming uploads and downloads with files", .timeLimit(.minutes(5)))
struct TransferTests {
    @Test(
        "a multi-chunk file uploads and downloads byte-identical, with either checksum strategy",
        arguments: [UploadChecksum.streaming, .precomputed])
    func fileRoundTrip(strategy: UploadChecksum) async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        // Many chunks plus an odd tail.
        let md5 = try folder.writePattern("in.bin", size: 3 * (1 << 20) + 12345)
        try await TestServer.withClient { client in
            try await TestServer.withContainer(client) { container in
                let sent = Mutex<[Int64]>([])
                let result = try await client.uploadObject(
                    "big.bin", in: container, fromFile: folder.file("in.bin"),
                    options: .init(checksum: strategy, progress: { bytes in sent.withLock { $0.append(bytes) } }))
                // One report per chunk read, ending at the size.
                let chunk = Int64(client.configuration.transferChunkSize)
                let size: Int64 = 3 * (1 << 20) + 12345
                #expect(sent.withLock { $0 } == Array(stride(from: chunk, to: size, by: Int(chunk))) + [size])
                #expect(result.etag == md5)
                #expect(try await CloudFilesClient.md5(ofFile: folder.file("in.bin")) == md5)
                #expect(result.bytes == 3 * (1 << 20) + 12345)
                let info = try await client.objectInfo("big.bin", in: container)
                let fileDate =
                    try FileManager.default.attributesOfItem(atPath: folder.file("in.bin"))[.modificationDate] as? Date
                #expect(
                    abs((info.modificationDate?.timeIntervalSince1970 ?? 0) - (fileDate?.timeIntervalSince1970 ?? -1))
                        < 0.001)
                let received = Mutex<Int64>(0)
                let download = try await client.downloadObject(
                    "big.bin", in: container, toFile: folder.file("out.bin"),
                    options: .init(progress: { bytes in received.withLock { $0 = bytes } }))
                #expect(received.withLock { $0 } == 3 * (1 << 20) + 12345)
                #expect(download.md5Verified)
                #expect(download.bytes == result.bytes)
                #expect(try TemporaryFolder.md5(ofFile: folder.file("out.bin")) == md5)
                let outDate =
                    try FileManager.default.attributesOfItem(atPath: folder.file("out.bin"))[.modificationDate] as? Date
                #expect(abs((outDate?.timeIntervalSince1970 ?? 0) - (fileDate?.timeIntervalSince1970 ?? -1)) < 0.001)
                #expect(try folder.contents() == ["in.bin", "out.bin"])
            }
        }
    }

    @Test("a byte range of a file uploads as its own object (a segment)")
    func fileRange() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try folder.writePattern("in.bin", size: 3_000_000)
        let whole = try Data(contentsOf: URL(fileURLWithPath: folder.file("in.bin")))
        try await TestServer.withClient { client in
            try await TestServer.withContainer(client) { container in
                let result = try await client.uploadObject(
                    "part", in: container, fromFile: folder.file("in.bin"), range: 1_000_000..<2_500_000)
                #expect(result.etag == md5Hex(whole[1_000_000..<2_500_000]))
                #expect(
                    Data(try await client.contents("part", in: container).readableBytesView)
                        == whole[1_000_000..<2_500_000])
            }
        }
    }

    @Test("an upload from an async sequence of unknown length goes chunked and is verified")
    func streamUpload() async throws {
        let parts = (0..<5).map { ByteBuffer.pattern(700_000 + $0, seed: UInt64($0)) }
        var joined = ByteBuffer()
        for var part in parts { joined.writeBuffer(&part) }
        try await TestServer.withClient { client in
            try await TestServer.withContainer(client) { container in
                let result = try await client.uploadObject("stream.dat", in: container, from: Chunks(buffers: parts))
                #expect(result.etag == md5Hex(joined.readableBytesView))
                #expect(result.bytes == Int64(joined.readableBytes))
                #expect(try await client.contents("stream.dat", in: container) == joined)
                // With a known length it is sent with Content-Length.
                try await client.uploadObject(
                    "sized.dat", in: container, from: Chunks(buffers: parts), length: Int64(joined.readableBytes))
                #expect(
                    try await client.objectInfo("sized.dat", in: container).contentLength == Int64(joined.readableBytes)
                )
            }
        }
    }

    @Test("a failed download leaves no file at the target and no temporary file")
    func failedDownload() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try await TestServer.withClient { client in
            try await TestServer.withContainer(client) { container in
                await #expect(throws: CloudFilesError.notFound) {
                    try await client.downloadObject("missing", in: container, toFile: folder.file("out"))
                }
                #expect(try folder.contents().isEmpty)
                // An existing file is left untouched by a failed download.
                try Data("keep".utf8).write(to: URL(fileURLWithPath: folder.file("existing")))
                await #expect(throws: CloudFilesError.notFound) {
                    try await client.downloadObject("missing", in: container, toFile: folder.file("existing"))
                }
                #expect(try folder.contents() == ["existing"])
                #expect(try String(contentsOfFile: folder.file("existing"), encoding: .utf8) == "keep")
            }
        }
    }

    @Test("a cancelled download leaves no file at the target and no temporary file")
    func cancelledDownload() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try folder.writePattern("in.bin", size: 64 << 20)
        try await TestServer.withClient { client in
            try await TestServer.withContainer(client) { container in
                try await client.uploadObject("large", in: container, fromFile: folder.file("in.bin"))
                // Cancel mid-body, once the first bytes are written (to a file with no name on
                // Linux, or to a named temporary file elsewhere).
                let (started, signal) = AsyncStream.makeStream(of: Void.self)
                var options = DownloadOptions()
                options.progress = { _ in signal.yield() }
                let task = Task {
                    try await client.downloadObject(
                        "large", in: container, toFile: folder.file("out.bin"), options: options)
                }
                for await _ in started { break }
                task.cancel()
                let result = await task.result
                #expect(throws: (any Error).self) { try result.get() }
                #expect(try folder.contents() == ["in.bin"])
            }
        }
    }

    @Test("a body cut short by the network is resumed with Range and If-Match, and verified")
    func resumedDownload() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let md5 = try folder.writePattern("in.bin", size: 5 << 20)
        try await TestServer.withClient(authURL: TestServer.faultProxyAuthURL) { client in
            try await TestServer.withContainer(client, prefix: "cf-resume") { container in
                try await client.uploadObject("obj", in: container, fromFile: folder.file("in.bin"))
                try await FaultProxy.add(
                    .init(match: container + "/obj", method: "GET", times: 2, truncate_after: 1_500_000))
                let result = try await client.downloadObject("obj", in: container, toFile: folder.file("out.bin"))
                #expect(result.resumptions == 2)
                #expect(result.md5Verified)
                #expect(try TemporaryFolder.md5(ofFile: folder.file("out.bin")) == md5)
                try await FaultProxy.clear(container + "/obj")
            }
        }
    }

    @Test(
        "a byte damaged in transit fails the MD5 check of a plain object and of an SLO segment, and leaves no file; with verifyChecksums off only lengths are checked"
    )
    func damagedInTransit() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let md5 = try folder.writePattern("in.bin", size: 3 << 20)
        try await TestServer.withClient(authURL: TestServer.faultProxyAuthURL) { client in
            try await TestServer.withContainer(client, prefix: "cf-damage") { container in
                let segments = container + "_segments"
                do {
                    try await Self.damage(client, container, folder, md5)
                    try await TestServer.empty(segments, client)
                } catch {
                    try? await TestServer.empty(segments, client)
                    throw error
                }
            }
        }
    }

    static func damage(
        _ client: CloudFilesClient, _ container: String, _ folder: TemporaryFolder, _ md5: String
    ) async throws {
        try await client.uploadObject("plain", in: container, fromFile: folder.file("in.bin"))
        try await client.uploadLargeObject(
            "slo", in: container, fromFile: folder.file("in.bin"), options: LargeObjectOptions(segmentSize: 1 << 20))
        for name in ["plain", "slo"] {
            let match = container + "/" + name
            // In the second MiB: the second segment of the SLO.
            try await FaultProxy.add(.init(match: match, method: "GET", times: 1, corrupt_at: (1 << 20) + 12345))
            let error = await #expect(throws: CloudFilesError.self) {
                try await client.downloadObject(name, in: container, toFile: folder.file("out.bin"))
            }
            #expect(error == .checksumMismatch, "\(name): \(String(describing: error))")
            if name == "slo" {
                #expect(error?.message.contains("segment 2 of 3") == true, "\(String(describing: error))")
            }
            #expect(try folder.contents() == ["in.bin"], "\(name)")

            try await FaultProxy.add(.init(match: match, method: "GET", times: 1, corrupt_at: (1 << 20) + 12345))
            let unchecked = try await client.downloadObject(
                name, in: container, toFile: folder.file("out.bin"), options: .init(verifyChecksums: false))
            #expect(unchecked.bytes == 3 << 20)
            #expect(!unchecked.md5Verified)
            #expect(unchecked.segmentsVerified == 0)
            #expect(try TemporaryFolder.md5(ofFile: folder.file("out.bin")) != md5, "\(name): the damage got through")
            try FileManager.default.removeItem(atPath: folder.file("out.bin"))
            try await FaultProxy.clear(match)
        }
        // Undamaged, the SLO's segments are all checked.
        let good = try await client.downloadObject("slo", in: container, toFile: folder.file("out.bin"))
        #expect(good.segmentsVerified == 3)
        #expect(try TemporaryFolder.md5(ofFile: folder.file("out.bin")) == md5)
    }

    @Test("a body cut short with resume off fails, and leaves no file")
    func truncatedWithoutResume() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try folder.writePattern("in.bin", size: 3 << 20)
        try await TestServer.withClient(authURL: TestServer.faultProxyAuthURL) { client in
            try await TestServer.withContainer(client, prefix: "cf-cut") { container in
                try await client.uploadObject("obj", in: container, fromFile: folder.file("in.bin"))
                try await FaultProxy.add(
                    .init(match: container + "/obj", method: "GET", times: 1, truncate_after: 1_000_000))
                await #expect(throws: CloudFilesError.network) {
                    try await client.downloadObject(
                        "obj", in: container, toFile: folder.file("out.bin"), options: .init(resume: false))
                }
                #expect(try folder.contents() == ["in.bin"])
                try await FaultProxy.clear(container + "/obj")
            }
        }
    }
}
