import AsyncHTTPClient
import NIOCore

/// An object being read: its headers, and its body as an `AsyncSequence` of byte buffers.
public struct ObjectDownload: Sendable {
    /// The reply's headers: size, type, ETag, metadata.
    public let info: ObjectInfo
    /// The body. Read it to the end (or drop the whole value) before issuing many more
    /// requests, so the connection returns to the pool.
    public let body: ObjectBody
}

/// An object's body, streamed from the server a buffer at a time.
///
/// At the end it checks that the length matches `Content-Length` and, for a whole plain
/// object, that the MD5 matches the ETag; otherwise the last `next()` throws
/// `.lengthMismatch` or `.checksumMismatch`. Each iteration reads the one HTTP body, so
/// iterate it once.
public struct ObjectBody: AsyncSequence, Sendable {
    /// A chunk of bytes, as received.
    public typealias Element = ByteBuffer

    let base: HTTPClientResponse.Body
    let expectedLength: Int64?
    /// The MD5 to check against, or `nil` (large objects, ranges).
    let expectedMD5: String?
    let context: @Sendable (CloudFilesError, String) -> CloudFilesError
    let method: String
    let path: String

    /// Starts reading the body.
    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(body: self, base: base.makeAsyncIterator())
    }

    /// Reads the body and checks it at the end.
    public struct AsyncIterator: AsyncIteratorProtocol {
        let body: ObjectBody
        var base: HTTPClientResponse.Body.AsyncIterator
        var md5 = RunningMD5()
        var count: Int64 = 0
        var finished = false

        /// The next chunk, or `nil` at the end of a body that checked out.
        public mutating func next() async throws -> ByteBuffer? {
            guard !finished else { return nil }
            let chunk: ByteBuffer?
            do {
                chunk = try await base.next()
            } catch {
                finished = true
                throw TransportError.map(error, method: body.method, path: body.path)
            }
            guard let chunk else {
                finished = true
                try check()
                return nil
            }
            count += Int64(chunk.readableBytes)
            if body.expectedMD5 != nil { md5.update(chunk) }
            return chunk
        }

        private func check() throws {
            if let expected = body.expectedLength, expected != count {
                throw body.context(.lengthMismatch, "the body ended after \(count) of \(expected) bytes")
            }
            if let expected = body.expectedMD5, md5.hex() != expected {
                throw body.context(
                    .checksumMismatch, "the MD5 of the body received (\(md5.hex())) differs from its ETag (\(expected))"
                )
            }
        }
    }
}

extension CloudFilesClient {
    /// Opens an object for reading (`GET`), optionally a byte range of it.
    ///
    /// The reply's headers are available at once; the body streams as you iterate it.
    ///
    /// - Parameters:
    ///   - name: the object.
    ///   - container: the container.
    ///   - range: the bytes wanted, or `nil` for the whole object.
    ///   - headers: other request headers (`If-Match`, `If-None-Match`, …).
    ///   - versionID: one version of the object (`?version-id=`, see
    ///     ``objectVersions(of:in:versioning:)``), or `nil` for the current one.
    /// - Returns: the headers and the body.
    /// - Throws: `.notFound`, `.rangeNotSatisfiable`, `.preconditionFailed`, …
    public func getObject(
        _ name: String, in container: String, range: ByteRange? = nil, headers extra: [String: String] = [:],
        versionID: String? = nil
    ) async throws -> ObjectDownload {
        try Names.validateContainer(container)
        try Names.validateObject(name)
        if let versionID { try Self.validateVersionID(versionID) }
        var request = StorageRequest(
            .GET, .object(container: container, name: name), query: versionID.map { [("version-id", $0)] } ?? [])
        for (key, value) in extra.sorted(by: { $0.key < $1.key }) {
            try Metadata.validate(key: key, value: value)
            request.headers.replaceOrAdd(name: key, value: value)
        }
        if let range {
            try range.validate()
            request.headers.replaceOrAdd(name: "Range", value: range.description)
        }
        let reply = try await objectRequest(request, name, container)
        let info = ObjectInfo(container: container, name: name, headers: reply.headers)
        let whole = reply.status == .ok
        let body = ObjectBody(
            base: reply.body,
            expectedLength: info.contentLength,
            expectedMD5: whole && !info.isLargeObject ? info.etag : nil,
            context: { [reply] base, message in reply.error(base, message) },
            method: "GET", path: reply.path)
        return ObjectDownload(info: info, body: body)
    }
}
