import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

// Verification of file uploads larger than one chunk, chosen by measurement (local Swift
// 2.38, 2-core machine under a load average of ~14, medians, alternating order):
//   8 MiB x12:   streaming MD5 0.217 s wall, 0.023 s CPU; precomputed ETag 0.258 s, 0.025 s
//   256 MiB x4:  streaming MD5 5.61 s (48 MB/s), 0.69 s CPU; precomputed 7.50 s (36 MB/s), 0.78 s
// Precomputing reads the file twice and cannot start sending until the first read ends, so
// streaming is the default (about 25% faster on large files, no more CPU). Its cost: a
// corrupted body is stored before it is caught (then sent again over it), where ETag
// would have kept the old object. A corrupt object is never deleted: see
// `leftInPlace(_:_:sent:stored:transactionID:)`. Files of one chunk or less are read once and sent with
// ETag either way.

extension CloudFilesClient {
    /// Uploads a file (or a byte range of it) as an object, streaming it from disk.
    ///
    /// The body is verified end to end (see ``UploadChecksum``); `Content-Length` is
    /// sent, so the request can be retried after a dropped connection or a 5xx by reading
    /// the file again. Memory use is a few chunks, whatever the file's size.
    ///
    /// - Parameters:
    ///   - name: the object name.
    ///   - container: the container, which must exist.
    ///   - path: the local file.
    ///   - range: the bytes of the file to send (a large object's segment), or `nil` for all.
    ///   - options: content type, metadata, mtime and other headers.
    /// - Returns: the stored object's ETag and size.
    /// - Throws: `.checksumMismatch` when the bytes got corrupted and retries ran out (the
    ///   last corrupt copy is left in place, never deleted: see the streaming upload),
    ///   `.notFound` when the container does not exist, `.localFile` for read errors.
    @discardableResult
    public func uploadObject(
        _ name: String,
        in container: String,
        fromFile path: String,
        range: Range<Int64>? = nil,
        options: UploadOptions = .init()
    ) async throws -> UploadResult {
        try Names.validateContainer(container)
        try Names.validateObject(name)
        let file = try await LocalFile.openForReading(path)
        let (size, modified) = try await file.status()
        let range = range ?? 0..<size
        guard range.lowerBound >= 0, range.upperBound <= size else {
            throw CloudFilesError.invalidArgument.with(message: "range \(range) lies outside '\(path)' (\(size) bytes)")
        }
        var options = options
        if options.modificationDate == nil { options.modificationDate = modified }
        var headers = try uploadHeaders(name, options)
        let length = Int64(range.count)
        let chunkSize = configuration.transferChunkSize
        let verifiable = !Self.isManifestPut(options)
        let progress = options.progress

        // A small file is one read: hash it and send it from memory with ETag.
        if length <= Int64(chunkSize) {
            let buffer = try await file.read(at: range.lowerBound, count: Int(length), allocator: ByteBufferAllocator())
            guard buffer.readableBytes == Int(length) else {
                throw CloudFilesError.localFile.with(message: "'\(path)' became shorter while it was being read")
            }
            if verifiable, !headers.contains(name: "etag") {
                headers.add(name: "ETag", value: RunningMD5.hex(of: buffer))
            }
            let result = try await put(
                name, in: container, headers: headers, query: options.query, body: .bytes(buffer), length: length)
            progress?(length)
            return result
        }

        switch options.checksum ?? configuration.uploadChecksum {
        case .precomputed:
            if verifiable, !headers.contains(name: "etag") {
                headers.add(name: "ETag", value: try await md5(of: file, range: range))
            }
            let body = StorageRequest.Body.replayable(length: length) {
                .stream(
                    FileChunks(file: file, range: range, chunkSize: chunkSize, digest: nil, progress: progress),
                    length: .known(length))
            }
            return try await put(
                name, in: container, headers: headers, query: options.query, body: body, length: length)

        case .streaming:
            var attempts = 0
            while true {
                attempts += 1
                let digest = DigestBox()
                let body = StorageRequest.Body.replayable(length: length) {
                    .stream(
                        FileChunks(file: file, range: range, chunkSize: chunkSize, digest: digest, progress: progress),
                        length: .known(length))
                }
                var result = try await put(
                    name, in: container, headers: headers, query: options.query, body: body, length: length)
                result.attempts += attempts - 1
                guard verifiable, digest.digest != result.etag else { return result }
                // The next attempt's PUT replaces the corrupt copy; nothing is deleted.
                logger.warning(
                    "MD5 of \(container)/\(name) as sent (\(digest.digest ?? "incomplete")) differs from the stored ETag \(result.etag)"
                )
                if configuration.retryPolicy.retryDelay(after: .checksumMismatch, attempt: attempts) == nil {
                    throw leftInPlace(
                        name, container, sent: digest.digest, stored: result.etag, transactionID: result.transactionID)
                }
            }
        }
    }

    /// Uploads an object from an `AsyncSequence` of byte buffers, such as a pipe or
    /// another object's body.
    ///
    /// Without a length the body is sent chunked. The MD5 is computed on the way and
    /// compared with the ETag the server returns. On a mismatch the upload fails and the
    /// stored object is left in place: Swift ignores `If-Match` on `DELETE`, so a delete
    /// could remove a newer object that someone else wrote meanwhile, and losing their
    /// data is worse than keeping a copy the error names as corrupt. A stream can be read
    /// only once, so this upload is never retried.
    ///
    /// - Parameters:
    ///   - name: the object name.
    ///   - container: the container.
    ///   - bytes: the body.
    ///   - length: the exact length if known (sends `Content-Length`), else `nil`.
    ///   - options: content type, metadata, mtime and other headers.
    /// - Returns: the stored object's ETag and size.
    /// - Throws: `.checksumMismatch` (the object is left in place), `.notRetryable` after a failure that a replayable
    ///   body would have survived, and the errors of a single request.
    @discardableResult
    public func uploadObject<Bytes: AsyncSequence & Sendable>(
        _ name: String,
        in container: String,
        from bytes: Bytes,
        length: Int64? = nil,
        options: UploadOptions = .init()
    ) async throws -> UploadResult where Bytes.Element == ByteBuffer {
        try Names.validateContainer(container)
        try Names.validateObject(name)
        let headers = try uploadHeaders(name, options)
        let digest = DigestBox()
        let stream = HashingSequence(base: bytes, digest: digest, expectedLength: length, progress: options.progress)
        let body = StorageRequest.Body.oneShot(
            length: length, .stream(stream, length: length.map { .known($0) } ?? .unknown))
        let result = try await put(
            name, in: container, headers: headers, query: options.query, body: body, length: length)
        if !Self.isManifestPut(options), digest.digest != result.etag {
            throw leftInPlace(
                name, container, sent: digest.digest, stored: result.etag, transactionID: result.transactionID)
        }
        return UploadResult(
            etag: result.etag, bytes: digest.bytesSent, transactionID: result.transactionID, attempts: 1)
    }

    /// Uploads bytes already in memory (small objects, manifests), with `ETag`.
    ///
    /// - Parameters:
    ///   - name: the object name.
    ///   - container: the container.
    ///   - bytes: the body.
    ///   - options: content type, metadata and other headers.
    /// - Returns: the stored object's ETag and size.
    @discardableResult
    public func uploadObject(
        _ name: String,
        in container: String,
        bytes: ByteBuffer,
        options: UploadOptions = .init()
    ) async throws -> UploadResult {
        try Names.validateContainer(container)
        try Names.validateObject(name)
        var headers = try uploadHeaders(name, options)
        if !Self.isManifestPut(options), !headers.contains(name: "etag") {
            headers.add(name: "ETag", value: RunningMD5.hex(of: bytes))
        }
        return try await put(
            name, in: container, headers: headers, query: options.query,
            body: .bytes(bytes), length: Int64(bytes.readableBytes))
    }

    // MARK: - Helpers

    private func put(
        _ name: String, in container: String, headers: HTTPHeaders, query: [String: String],
        body: StorageRequest.Body, length: Int64?
    ) async throws -> UploadResult {
        var request = StorageRequest(.PUT, .object(container: container, name: name), headers: headers, body: body)
        request.query = query.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        let reply: StorageResponse
        do {
            reply = try await send(request)
        } catch let error as CloudFilesError where error == .notFound {
            throw error.with(message: "container \(Names.quoted(container)) not found")
        } catch let error as CloudFilesError where error == .checksumMismatch {
            throw error.with(
                message:
                    "the server refused \(Names.quoted(name)): the body it received does not match the ETag sent (422), so the bytes changed on the way or the file changed while it was read"
            )
        }
        try await reply.drain()
        let etag = reply.headers.first(name: "etag")?.trimmingCharacters(in: CharacterSet(charactersIn: "\"")) ?? ""
        return UploadResult(etag: etag, bytes: length ?? 0, transactionID: reply.transactionID, attempts: 1)
    }

    private func uploadHeaders(_ name: String, _ options: UploadOptions) throws -> HTTPHeaders {
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: options.contentType ?? ContentTypes.guess(for: name))
        if let date = options.modificationDate {
            headers.add(name: "X-Object-Meta-Mtime", value: String(format: "%.6f", date.timeIntervalSince1970))
        }
        try Metadata.write(options.metadata, scope: .object, into: &headers)
        if options.ifNoneMatch { headers.add(name: "If-None-Match", value: "*") }
        if let at = options.deleteAt {
            headers.add(name: "X-Delete-At", value: String(Int64(at.timeIntervalSince1970.rounded(.up))))
        } else if let after = options.deleteAfter {
            headers.add(name: "X-Delete-After", value: String(after))
        }
        for (key, value) in options.headers.sorted(by: { $0.key < $1.key }) {
            try Metadata.validate(key: key, value: value)
            headers.replaceOrAdd(name: key, value: value)
        }
        return headers
    }

    /// An SLO manifest's ETag is not the MD5 of the manifest, so it cannot be checked.
    private static func isManifestPut(_ options: UploadOptions) -> Bool {
        options.query["multipart-manifest"] != nil
    }

    /// The MD5 of a file range, read chunk by chunk.
    func md5(of file: LocalFile, range: Range<Int64>) async throws -> String {
        var md5 = RunningMD5()
        for try await chunk in FileChunks(
            file: file, range: range, chunkSize: configuration.transferChunkSize, digest: nil)
        {
            md5.update(chunk)
        }
        return md5.hex()
    }

    /// The error for a stored object whose ETag is not the MD5 of what was sent. The object
    /// is not deleted: Swift has no conditional `DELETE` (it ignores `If-Match` there), so
    /// between our `PUT` and a `DELETE` a collaborator's newer upload could take its place
    /// and be destroyed. The user is told instead, and can upload again.
    private func leftInPlace(
        _ name: String, _ container: String, sent: String?, stored: String, transactionID: String?
    ) -> CloudFilesError {
        CloudFilesError.checksumMismatch
            .with(
                message:
                    "the MD5 of \(Names.quoted(name)) as sent (\(sent ?? "incomplete")) differs from the ETag the server stored (\(stored)); the stored copy is left in place, not deleted, since it may already be someone else's newer upload: upload it again"
            )
            .with(method: "PUT", path: "\(container)/\(name)", transactionID: transactionID)
    }
}
