import CloudFiles
import Foundation
import NIOCore
import Testing

@Suite("Objects: HEAD, GET, ranges, metadata, copy, delete", .timeLimit(.minutes(5)))
struct ObjectTests {
    @Test("an object round-trips with its type, metadata, mtime and ETag")
    func roundTrip() async throws {
        try await TestServer.withClient { client in
            try await TestServer.withContainer(client) { container in
                let body = ByteBuffer.pattern(5000)
                let mtime = Date(timeIntervalSince1970: 1_700_000_000.5)
                let result = try await client.uploadObject(
                    "docs/report.pdf", in: container, bytes: body,
                    options: .init(metadata: ["Author": "Ada", "lang": "en"], modificationDate: mtime))
                #expect(result.etag == md5Hex(body.readableBytesView))
                let info = try await client.objectInfo("docs/report.pdf", in: container)
                #expect(info.contentLength == 5000)
                #expect(info.contentType == "application/pdf")
                #expect(info.etag == result.etag)
                #expect(!info.isLargeObject)
                #expect(info.metadata["author"] == "Ada")
                #expect(info.metadata["lang"] == "en")
                #expect(info.modificationDate == mtime)
                #expect(info.lastModified != nil)
                #expect(try await client.contents("docs/report.pdf", in: container) == body)
            }
        }
    }

    @Test(
        "Range reads return exactly the bytes asked for",
        arguments: [
            (ByteRange.bytes(0...0), 0..<1), (.bytes(100...1099), 100..<1100), (.from(4000), 4000..<5000),
            (.suffix(10), 4990..<5000),
        ])
    func ranges(range: ByteRange, expected: Range<Int>) async throws {
        try await TestServer.withClient { client in
            try await TestServer.withContainer(client) { container in
                let body = ByteBuffer.pattern(5000, seed: 3)
                try await client.uploadObject("r", in: container, bytes: body)
                let download = try await client.getObject("r", in: container, range: range)
                #expect(download.info.contentLength == Int64(expected.count))
                #expect(download.info.totalLength == 5000)
                var got = ByteBuffer()
                for try await chunk in download.body {
                    var chunk = chunk
                    got.writeBuffer(&chunk)
                }
                #expect(got == body.getSlice(at: expected.lowerBound, length: expected.count))
            }
        }
    }

    @Test("a range outside the object is rangeNotSatisfiable (416)")
    func badRange() async throws {
        try await TestServer.withClient { client in
            try await TestServer.withContainer(client) { container in
                try await client.uploadObject("r", in: container, bytes: .init(string: "short"))
                await #expect(throws: CloudFilesError.rangeNotSatisfiable) {
                    _ = try await client.getObject("r", in: container, range: .from(100))
                }
            }
        }
    }

    @Test("metadata: replace drops other keys, update keeps them")
    func metadata() async throws {
        try await TestServer.withClient { client in
            try await TestServer.withContainer(client) { container in
                try await client.uploadObject(
                    "m", in: container, bytes: .init(string: "m"),
                    options: .init(metadata: ["a": "1", "b": "2"], modificationDate: Date(timeIntervalSince1970: 1)))
                let stored = try await client.updateObjectMetadata("m", in: container, set: ["c": "3"], remove: ["a"])
                #expect(stored["b"] == "2" && stored["c"] == "3" && stored["a"] == nil)
                var info = try await client.objectInfo("m", in: container)
                #expect(info.metadata["b"] == "2")
                #expect(info.metadata["c"] == "3")
                #expect(info.metadata["a"] == nil)
                #expect(info.metadata["mtime"] != nil)
                try await client.replaceObjectMetadata(
                    "m", in: container, metadata: ["only": "this"], headers: ["Content-Type": "text/x-test"])
                info = try await client.objectInfo("m", in: container)
                #expect(info.metadata == ["only": "this"])
                #expect(info.contentType == "text/x-test")
            }
        }
    }

    @Test("server-side copy within and across containers, with and without the source's metadata")
    func copy() async throws {
        try await TestServer.withClient { client in
            try await TestServer.withContainer(client) { first in
                try await TestServer.withContainer(client) { second in
                    let body = ByteBuffer.pattern(3000, seed: 9)
                    try await client.uploadObject(
                        "src file?", in: first, bytes: body, options: .init(metadata: ["k": "v"]))
                    let etag = try await client.copyObject(
                        "src file?", in: first, to: "copy #1", in: second, metadata: ["extra": "x"])
                    #expect(etag == md5Hex(body.readableBytesView))
                    let info = try await client.objectInfo("copy #1", in: second)
                    #expect(info.metadata["k"] == "v" && info.metadata["extra"] == "x")
                    #expect(try await client.contents("copy #1", in: second) == body)
                    try await client.copyObject("src file?", in: first, to: "fresh", in: first, freshMetadata: true)
                    #expect(try await client.objectInfo("fresh", in: first).metadata["k"] == nil)
                    await #expect(throws: CloudFilesError.notFound) {
                        try await client.copyObject("missing", in: first, to: "x", in: second)
                    }
                }
            }
        }
    }

    @Test("DELETE removes; a missing object is notFound (404) for HEAD, GET, POST and DELETE")
    func deleteAndMissing() async throws {
        try await TestServer.withClient { client in
            try await TestServer.withContainer(client) { container in
                try await client.uploadObject("gone", in: container, bytes: .init(string: "x"))
                try await client.deleteObject("gone", in: container)
                await #expect(throws: CloudFilesError.notFound) { try await client.objectInfo("gone", in: container) }
                await #expect(throws: CloudFilesError.notFound) { try await client.getObject("gone", in: container) }
                await #expect(throws: CloudFilesError.notFound) {
                    try await client.replaceObjectMetadata("gone", in: container, metadata: [:])
                }
                do {
                    try await client.deleteObject("gone", in: container)
                    Issue.record("no error")
                } catch let error as CloudFilesError {
                    #expect(error == .notFound)
                    #expect(error.status == 404)
                    #expect(error.description.contains("'gone' not found in container"))
                }
            }
        }
    }

    @Test("a wrong ETag is refused by the server with checksumMismatch (422), and nothing is stored")
    func wrongETag() async throws {
        try await TestServer.withClient { client in
            try await TestServer.withContainer(client) { container in
                do {
                    try await client.uploadObject(
                        "bad", in: container, bytes: .init(string: "payload"),
                        options: .init(headers: ["ETag": md5Hex("other".utf8)]))
                    Issue.record("no error")
                } catch let error as CloudFilesError {
                    #expect(error == .checksumMismatch)
                    #expect(error.status == 422)
                    #expect(error.method == "PUT")
                    #expect(error.transactionID != nil)
                }
                await #expect(throws: CloudFilesError.notFound) { try await client.objectInfo("bad", in: container) }
            }
        }
    }

    @Test("If-None-Match refuses to overwrite (412); X-Delete-After sets an expiry")
    func conditionalPut() async throws {
        try await TestServer.withClient { client in
            try await TestServer.withContainer(client) { container in
                try await client.uploadObject(
                    "once", in: container, bytes: .init(string: "1"),
                    options: .init(ifNoneMatch: true, deleteAfter: 3600))
                await #expect(throws: CloudFilesError.preconditionFailed) {
                    try await client.uploadObject(
                        "once", in: container, bytes: .init(string: "2"), options: .init(ifNoneMatch: true))
                }
                let info = try await client.objectInfo("once", in: container)
                #expect(info.deleteAt.map { $0.timeIntervalSinceNow > 3500 } == true)
                #expect(try await client.contents("once", in: container) == .init(string: "1"))
            }
        }
    }

    @Test("bulk delete removes many objects in batches and counts what was already gone")
    func bulkDelete() async throws {
        try await TestServer.withClient { client in
            try await TestServer.withContainer(client) { container in
                let names = (0..<30).map { "bulk/\($0) & more" }
                try await ListingTests.fill(client, container, names)
                let paths = (names + ["never-existed"]).map { StoragePath(container: container, object: $0) }
                let result = try await client.bulkDelete(paths, batchSize: 7)
                #expect(result.deleted == 30)
                #expect(result.notFound == 1)
                #expect(result.errors.isEmpty)
                #expect(try await Array(client.listObjects(in: container)).isEmpty)
            }
        }
    }
}
