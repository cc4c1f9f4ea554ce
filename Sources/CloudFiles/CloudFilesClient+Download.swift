import Foundation
import NIOCore

/// How to download an object to a file.
public struct DownloadOptions: Sendable {
    /// Only these bytes; the file then holds just the range, and the MD5 is not checked.
    public var range: ByteRange?
    /// Check the MD5 against the ETag (plain objects) and the length against
    /// `Content-Length`. On by default.
    public var verify: Bool
    /// With `verify`, also compare MD5s: a plain object's with its ETag, a static large
    /// object's segment by segment with its manifest. Off, only lengths are checked, which
    /// saves the CPU of hashing every byte (about 1.8 s per GiB on one core), as
    /// python-swiftclient's `--ignore-checksum` does. On by default.
    public var verifyChecksums: Bool
    /// Give the file the object's `X-Object-Meta-Mtime`, as python-swiftclient does.
    public var restoreModificationDate: Bool
    /// When the body breaks off, ask for the rest with `Range` and `If-Match`, up to the
    /// retry policy's number of attempts, instead of starting again.
    public var resume: Bool
    /// `fsync` the file before renaming it into place.
    public var sync: Bool
    /// How many segments of a static large object to fetch at once, each with its own
    /// ranged GET written at its offset. 1 (the default) reads the object as one stream.
    public var parallelSegments: Int
    /// Other request headers (`If-Match`, `If-None-Match`, …).
    public var headers: [String: String]
    /// Called with the bytes received so far as the body arrives, for a progress display.
    public var progress: (@Sendable (Int64) -> Void)?
    /// Names the temporary file, where one needs a name: `.PREFIX-XXXXXXXX.part` in the
    /// target's folder. Keep it short: the name does not grow with the target's.
    public var temporaryFilePrefix = "download"
    /// One version of the object (`?version-id=`, object versioning), or `nil` for the current one.
    public var versionID: String? = nil

    /// Creates options; the defaults verify, resume and restore the mtime.
    public init(
        range: ByteRange? = nil, verify: Bool = true, restoreModificationDate: Bool = true,
        resume: Bool = true, sync: Bool = false, parallelSegments: Int = 1, headers: [String: String] = [:],
        verifyChecksums: Bool = true, progress: (@Sendable (Int64) -> Void)? = nil
    ) {
        self.range = range
        self.verify = verify
        self.verifyChecksums = verifyChecksums
        self.restoreModificationDate = restoreModificationDate
        self.resume = resume
        self.sync = sync
        self.parallelSegments = parallelSegments
        self.headers = headers
        self.progress = progress
    }
}

/// What a download to a file did.
public struct DownloadResult: Sendable {
    /// The object's headers, from the first reply.
    public var info: ObjectInfo
    /// Bytes written to the file.
    public var bytes: Int64
    /// Whether the MD5 was compared with the ETag (plain, whole objects) and matched.
    public var md5Verified: Bool
    /// How many times a broken body was resumed with a `Range` request.
    public var resumptions: Int
    /// For a large object: how many segments were checked against the MD5 its manifest
    /// (static) or the listing of its segments (dynamic) gives; 0 when that could not be used.
    public var segmentsVerified: Int = 0
}

extension CloudFilesClient {
    /// Downloads an object into a file, safely.
    ///
    /// The bytes go to a file in the target's folder that has no name (Linux `O_TMPFILE`),
    /// or else a hidden `.PREFIX-XXXXXXXX.part` one; only after the length and MD5 check
    /// out is it named and renamed over `path`. A failed or cancelled download leaves
    /// neither a file at `path` nor a temporary file, and on Linux not even a crash leaves
    /// one (but for the moment between naming and renaming). A file replaced at `path`
    /// passes its permission bits on; a new file gets 0666 less the umask.
    /// Memory use is one chunk.
    ///
    /// - Parameters:
    ///   - name: the object.
    ///   - container: the container.
    ///   - path: the file to create or replace. Its folder must exist.
    ///   - options: range, verification, resume, mtime and the temporary file's prefix.
    /// - Returns: the object's headers and what was checked.
    /// - Throws: `.notFound`, `.checksumMismatch`, `.lengthMismatch`, `.localFile`, or
    ///   `CancellationError`.
    @discardableResult
    public func downloadObject(
        _ name: String, in container: String, toFile path: String, options: DownloadOptions = .init()
    ) async throws -> DownloadResult {
        try Names.validateContainer(container)
        try Names.validateObject(name)
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        // Short and independent of the target's name, so that any name that fits fits here.
        func temporaryName() -> String {
            folder + "/." + options.temporaryFilePrefix + "-" + UUID().uuidString.prefix(8).lowercased() + ".part"
        }
        var named: String?
        let file: LocalFile
        if let unnamed = try await LocalFile.createUnnamed(in: folder) {
            file = unnamed
        } else {
            let temporary = temporaryName()
            file = try await LocalFile.create(temporary)
            named = temporary
        }
        do {
            let result = try await receive(name, in: container, into: file, options: options)
            if options.restoreModificationDate, let date = result.info.modificationDate {
                try await file.setModificationDate(date)
            }
            try await file.copyMode(from: path)
            if options.sync { try await file.sync() }
            if named == nil {
                let temporary = temporaryName()
                named = temporary
                try await file.link(as: temporary)
            }
            try await LocalFile.rename(named!, to: path)
            return result
        } catch {
            if let named { LocalFile.remove(named) }
            throw error
        }
    }

    private func receive(
        _ name: String, in container: String, into file: LocalFile, options: DownloadOptions
    ) async throws -> DownloadResult {
        let first = try await getObject(
            name, in: container, range: options.range, headers: options.headers, versionID: options.versionID)
        let info = first.info
        let whole = options.range == nil
        let checksums = options.verify && options.verifyChecksums
        let checkMD5 = checksums && whole && !info.isLargeObject && info.etag != nil
        let expected = info.contentLength
        let chunkSize = configuration.transferChunkSize
        let start = options.range?.first ?? 0
        var md5 = RunningMD5()
        var written: Int64 = 0
        var pending = ByteBufferAllocator().buffer(capacity: chunkSize)
        var resumptions = 0
        var body = first.body
        // A large object is checked segment by segment: a static one against its manifest,
        // which also lets segments come in parallel; a dynamic one against the listing of
        // its segments, when that listing is the one the server joined (its ETag is the
        // MD5 of their ETags).
        var segmentVerifier: SegmentVerifier?
        let isStatic = info.isStaticLargeObject
        if whole, checksums || (isStatic && options.parallelSegments > 1),
            isStatic || info.dynamicManifest != nil
        {
            var segments: [SegmentRecord] = []
            do {
                if let manifest = info.dynamicManifest, !isStatic {
                    segments = try await dynamicSegments(manifest)
                    if Self.dynamicETag(of: segments) != info.etag {
                        logger.debug("not checking the segments of \(container)/\(name): they changed since the GET")
                        segments = []
                    }
                    segments.removeAll { $0.bytes == 0 }
                } else {
                    segments = try await largeObjectSegments(name, in: container)
                }
            } catch let error as CloudFilesError {
                logger.debug("cannot use the segments of \(container)/\(name): \(error)")
            }
            let usable = SegmentVerifier(segments: segments, totalLength: info.contentLength)
            if checksums { segmentVerifier = usable }
            if usable != nil, isStatic, options.parallelSegments > 1, segments.count > 1, info.etag != nil {
                let bytes = try await receiveSegments(
                    name, in: container, first: first, segments: segments, into: file, options: options,
                    checksums: checksums)
                return DownloadResult(
                    info: info, bytes: bytes, md5Verified: false, resumptions: 0,
                    segmentsVerified: checksums ? segments.count : 0)
            }
        }

        func flush() async throws {
            guard pending.readableBytes > 0 else { return }
            try await file.write(pending, at: written - Int64(pending.readableBytes))
            pending.clear()
        }

        while true {
            do {
                // The resumed body's own checks do not apply: it is a range.
                for try await chunk in body.unchecked {
                    if checkMD5 { md5.update(chunk) }
                    do {
                        try segmentVerifier?.update(chunk)
                    } catch let error as CloudFilesError {
                        throw error.with(method: "GET", path: "\(container)/\(name)", transactionID: info.transactionID)
                    }
                    written += Int64(chunk.readableBytes)
                    options.progress?(written)
                    var chunk = chunk
                    pending.writeBuffer(&chunk)
                    if pending.readableBytes >= chunkSize { try await flush() }
                }
                try await flush()
                break
            } catch let error as CloudFilesError where error.isNetworkError {
                try await flush()
                let canResume = options.resume && options.range.map { $0.first != nil } ?? true
                guard canResume, let etag = info.etag, let expected, written < expected,
                    let delay = configuration.retryPolicy.retryDelay(after: .transport(error), attempt: resumptions + 1)
                else { throw error }
                resumptions += 1
                logger.debug(
                    "body of \(container)/\(name) broke after \(written) bytes (\(error)); resuming in \(String(format: "%.2f", delay.seconds)) s"
                )
                try await Task.sleep(for: delay)
                let last = options.range?.last.map { String($0) } ?? ""
                var headers = options.headers
                headers["If-Match"] = info.etagWasQuoted ? "\"\(etag)\"" : etag
                let rest = ByteRange(first: start + written, last: last.isEmpty ? nil : Int64(last))
                body = try await getObject(
                    name, in: container, range: rest, headers: headers, versionID: options.versionID
                ).body
            }
        }

        if options.verify, let expected, written != expected {
            throw CloudFilesError.lengthMismatch
                .with(message: "\(Names.quoted(name)) ended after \(written) of \(expected) bytes")
                .with(method: "GET", path: "\(container)/\(name)", transactionID: info.transactionID)
        }
        if checkMD5, let etag = info.etag, md5.hex() != etag {
            throw CloudFilesError.checksumMismatch
                .with(
                    message:
                        "the MD5 of \(Names.quoted(name)) as received (\(md5.hex())) differs from its ETag (\(etag)); the file was not written"
                )
                .with(method: "GET", path: "\(container)/\(name)", transactionID: info.transactionID)
        }
        if let segmentVerifier, !segmentVerifier.isComplete {
            throw CloudFilesError.lengthMismatch
                .with(message: "\(Names.quoted(name)) ended before its last segment")
                .with(method: "GET", path: "\(container)/\(name)", transactionID: info.transactionID)
        }
        return DownloadResult(
            info: info, bytes: written, md5Verified: checkMD5, resumptions: resumptions,
            segmentsVerified: segmentVerifier?.verified ?? 0)
    }
}

extension CloudFilesClient {
    /// The ETag Swift gives a dynamic large object: the MD5 of its segments' ETags, joined.
    static func dynamicETag(of segments: [SegmentRecord]) -> String {
        var md5 = RunningMD5()
        for segment in segments { md5.update(ByteBuffer(string: segment.etag)) }
        return md5.hex()
    }

    /// A static large object's segments, `options.parallelSegments` at a time: the first
    /// from the body already open, the others each with a ranged GET pinned to the same
    /// version by `If-Match`. Each is checked against the MD5 its manifest lists (with
    /// `checksums`; its length always) and written at its offset. Returns the bytes written.
    fileprivate func receiveSegments(
        _ name: String, in container: String, first: ObjectDownload, segments: [SegmentRecord],
        into file: LocalFile, options: DownloadOptions, checksums: Bool
    ) async throws -> Int64 {
        let ends = segments.reduce(into: [Int64]()) { $0.append(($0.last ?? 0) + $1.bytes) }
        let offsets = [0] + ends.dropLast()
        let total = ends.last ?? 0
        let progress = options.progress.map { ProgressTotal(parts: segments.count, report: $0) }
        let opened = first.body.unchecked
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in segments.indices {
                if index >= options.parallelSegments { try await group.next() }
                group.addTask { [self] in
                    try await receiveSegment(
                        index, of: segments, at: offsets[index], name: name, container: container, info: first.info,
                        opened: index == 0 ? opened : nil, into: file, options: options, checksum: checksums
                    ) { progress?.update(part: index, bytes: $0) }
                }
            }
            try await group.waitForAll()
        }
        return total
    }

    /// One segment of a static large object, from `opened` (the whole object's body, read
    /// only as far as this first segment) or from a ranged GET; a broken body is resumed
    /// from where it stopped.
    private func receiveSegment(
        _ index: Int, of segments: [SegmentRecord], at start: Int64, name: String, container: String, info: ObjectInfo,
        opened: ObjectBody?, into file: LocalFile, options: DownloadOptions, checksum: Bool,
        progress: @Sendable (Int64) -> Void
    ) async throws {
        let segment = segments[index]
        let chunkSize = configuration.transferChunkSize
        var pending = ByteBufferAllocator().buffer(capacity: Int(Swift.min(Int64(chunkSize), segment.bytes)))
        var md5 = RunningMD5()
        var got: Int64 = 0
        var attempts = 0
        var body = opened
        var readingWholeObject = opened != nil  // rather than a range of this segment
        let etag = info.etag ?? ""
        func failure(_ error: CloudFilesError, _ message: String) -> CloudFilesError {
            error.with(message: message).with(
                method: "GET", path: "\(container)/\(name)", transactionID: info.transactionID)
        }
        func flush() async throws {
            guard pending.readableBytes > 0 else { return }
            try await file.write(pending, at: start + got - Int64(pending.readableBytes))
            pending.clear()
        }
        while got < segment.bytes {
            if body == nil {
                var headers = options.headers
                headers["If-Match"] = info.etagWasQuoted ? "\"\(etag)\"" : etag
                let range = ByteRange.bytes((start + got)...(start + segment.bytes - 1))
                body = try await getObject(
                    name, in: container, range: range, headers: headers, versionID: options.versionID
                )
                .body.unchecked
                readingWholeObject = false
            }
            do {
                for try await chunk in body! {
                    var chunk = chunk
                    guard Int64(chunk.readableBytes) <= segment.bytes - got || readingWholeObject else {
                        throw failure(
                            .lengthMismatch,
                            "the range for segment \(index + 1) of \(Names.quoted(name)) came back longer than asked")
                    }
                    let take = Int(Swift.min(Int64(chunk.readableBytes), segment.bytes - got))
                    var part = chunk.readSlice(length: take)!
                    if checksum { md5.update(part) }
                    pending.writeBuffer(&part)
                    got += Int64(take)
                    if pending.readableBytes >= chunkSize { try await flush() }
                    progress(got)
                    // The whole object's body goes on past the first segment: stop here (the
                    // connection is closed rather than reused).
                    if got == segment.bytes, readingWholeObject { break }
                }
                try await flush()
                guard got == segment.bytes else {
                    throw failure(
                        .lengthMismatch,
                        "segment \(index + 1) of \(Names.quoted(name)) ended after \(got) of \(segment.bytes) bytes")
                }
            } catch let error as CloudFilesError where error.isNetworkError && options.resume {
                try await flush()
                attempts += 1
                guard let delay = configuration.retryPolicy.retryDelay(after: .transport(error), attempt: attempts)
                else { throw error }
                logger.debug(
                    "segment \(index + 1) of \(container)/\(name) broke after \(got) bytes (\(error)); resuming")
                try await Task.sleep(for: delay)
                body = nil
            }
        }
        guard checksum else { return }
        let hash = md5.hex()
        guard hash == segment.etag else {
            throw failure(
                .checksumMismatch,
                "segment \(index + 1) of \(segments.count) (\(segment.container)/\(segment.name)) arrived with MD5 \(hash), not \(segment.etag); the file was not written"
            )
        }
    }
}

extension ObjectBody {
    /// The same body without the end-of-body checks, for callers that check themselves.
    var unchecked: ObjectBody {
        ObjectBody(base: base, expectedLength: nil, expectedMD5: nil, context: context, method: method, path: path)
    }
}
