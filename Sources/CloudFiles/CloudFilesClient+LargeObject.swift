import Foundation
import NIOCore
import NIOFoundationCompat
import NIOHTTP1

/// One segment of a static large object, as its manifest lists it.
public struct SegmentRecord: Sendable, Hashable {
    /// The segment's container.
    public var container: String
    /// The segment's object name.
    public var name: String
    /// Its MD5.
    public var etag: String
    /// Its size in bytes.
    public var bytes: Int64
}

/// How to upload a file as a static large object (SLO).
public struct LargeObjectOptions: Sendable {
    /// Bytes per segment (the last one may be shorter). Raised automatically when the
    /// file would need more segments than the cluster allows in one manifest.
    public var segmentSize: Int64
    /// Where the segments go; `nil` for `<container>_segments`, as python-swiftclient does.
    public var segmentContainer: String?
    /// How many segments are sent at once.
    public var parallelism: Int
    /// Keep the segments of the object being replaced, instead of deleting them once the
    /// new manifest is in place.
    public var leaveOldSegments: Bool
    /// Segments already on the server with the same name, size and MD5 are not sent
    /// again, so an interrupted upload resumes where it stopped. Costs one local read of
    /// each segment already there.
    public var resume: Bool
    /// Content type, metadata and mtime of the manifest (the object users see).
    public var upload: UploadOptions
    /// The most segments in one manifest: ``Capabilities/SLO/maxManifestSegments``.
    public var maxSegments: Int
    /// The kind of manifest: static (the default), or dynamic for clusters whose `/info`
    /// has no `slo`.
    public var manifest: ManifestKind = .static
    /// Called once, before any segment is sent, when an earlier upload of the same file
    /// already stored some of its segments: for a "resuming" message, and for a rate that
    /// counts only the bytes sent (``UploadOptions/progress`` counts the stored ones too).
    public var resuming: (@Sendable (ResumedUpload) -> Void)?

    /// Creates options: 64 MiB segments, 4 at a time, resumable, at most 1000 segments.
    public init(
        segmentSize: Int64 = 64 << 20, segmentContainer: String? = nil, parallelism: Int = 4,
        leaveOldSegments: Bool = false, resume: Bool = true, upload: UploadOptions = .init(),
        maxSegments: Int = 1000
    ) {
        self.maxSegments = maxSegments
        self.segmentSize = segmentSize
        self.segmentContainer = segmentContainer
        self.parallelism = parallelism
        self.leaveOldSegments = leaveOldSegments
        self.resume = resume
        self.upload = upload
    }

    /// How the segments of a large object are tied together.
    public enum ManifestKind: Sendable, Hashable {
        /// A static large object: a JSON manifest listing every segment with its ETag.
        case `static`
        /// A dynamic large object: an empty object whose `X-Object-Manifest` names the
        /// segments' prefix. Its ETag is not checked segment by segment on download.
        case dynamic
    }
}

/// The segments an interrupted upload already stored, found when the same file is uploaded
/// again: same name and size (each is still checked by MD5 before it is skipped).
public struct ResumedUpload: Sendable, Equatable {
    /// How many segments are there already.
    public var stored: Int
    /// How many segments the file has.
    public var segments: Int
    /// The bytes of those already there.
    public var storedBytes: Int64
}

/// What a large-object upload did.
public struct LargeUploadResult: Sendable {
    /// The manifest's ETag (quoted by Swift; here without quotes).
    public var etag: String
    /// The file's size.
    public var bytes: Int64
    /// The segments, in order.
    public var segments: [SegmentRecord]
    /// How many segments were sent (the rest were already there).
    public var segmentsSent: Int
    /// The bytes of the segments sent: `bytes` less those already there.
    public var bytesSent: Int64 = 0
    /// How many segments of a replaced object were deleted.
    public var oldSegmentsDeleted: Int
    /// Segments of a replaced object left in place: not where an upload of it puts them.
    public var oldSegmentsKept: [KeptSegments] = []
}

extension CloudFilesClient {
    /// Uploads a file as a static large object: segments in parallel, then the manifest.
    ///
    /// The manifest is written only after every segment is stored, so a failure never
    /// leaves a manifest that points at missing segments. Segment names follow
    /// python-swiftclient (`<name>/slo/<mtime>/<size>/<segment size>/<index>`), so an
    /// upload of the same file that was interrupted resumes: segments already stored with
    /// the right MD5 are not sent again.
    ///
    /// - Parameters:
    ///   - name: the object name.
    ///   - container: the container, which must exist.
    ///   - path: the local file.
    ///   - options: segment size, segment container, parallelism, resume and metadata.
    /// - Returns: the manifest's ETag and the segments.
    /// - Throws: the errors of the segment uploads and of the manifest PUT.
    @discardableResult
    public func uploadLargeObject(
        _ name: String, in container: String, fromFile path: String, options: LargeObjectOptions = .init()
    ) async throws -> LargeUploadResult {
        try Names.validateContainer(container)
        try Names.validateObject(name)
        let segmentContainer = options.segmentContainer ?? container + "_segments"
        try Names.validateContainer(segmentContainer)
        let file = try await LocalFile.openForReading(path)
        let (size, modified) = try await file.status()
        let mtime = options.upload.modificationDate ?? modified
        guard size > 0 else {
            throw CloudFilesError.invalidArgument.with(message: "'\(path)' is empty; upload it as a plain object")
        }
        let (segmentSize, ranges) = Self.segmentPlan(
            size: size, segmentSize: options.segmentSize, maxSegments: options.maxSegments)
        let count = ranges.count
        let kind = options.manifest == .static ? "slo" : "dlo"
        let prefix = String(format: "%@/%@/%.6f/%lld/%lld/", name, kind, mtime.timeIntervalSince1970, size, segmentSize)

        let previous =
            options.leaveOldSegments
            ? LargeObjectSegments() : ((try? await segmentsToDelete(name, in: container)) ?? LargeObjectSegments())
        try await createContainer(segmentContainer)
        var found: [String: ObjectRecord] = [:]
        if options.resume {
            for try await entry in listObjects(in: segmentContainer, .init(prefix: prefix)) {
                if case .object(let record) = entry { found[record.name] = record }
            }
        }
        let existing = found
        if let resuming = options.resuming {
            let candidates = ranges.indices.filter { index in
                existing[prefix + String(format: "%08d", index)]?.bytes == Int64(ranges[index].count)
            }
            if !candidates.isEmpty {
                resuming(
                    ResumedUpload(
                        stored: candidates.count, segments: count,
                        storedBytes: candidates.reduce(0) { $0 + Int64(ranges[$1].count) }))
            }
        }

        let progress = options.upload.progress.map { ProgressTotal(parts: count, report: $0) }
        var segments = [SegmentRecord?](repeating: nil, count: count)
        var sent = 0
        var bytesSent: Int64 = 0
        try await withThrowingTaskGroup(of: (Int, SegmentRecord, Bool).self) { group in
            var next = 0
            func start() {
                let index = next
                next += 1
                let segmentName = prefix + String(format: "%08d", index)
                let range = ranges[index]
                group.addTask {
                    if let record = existing[segmentName], record.bytes == Int64(range.count),
                        try await self.md5(of: file, range: range) == record.hash
                    {
                        progress?.update(part: index, bytes: record.bytes)
                        return (
                            index,
                            SegmentRecord(
                                container: segmentContainer, name: segmentName, etag: record.hash, bytes: record.bytes),
                            false
                        )
                    }
                    var segmentOptions = UploadOptions(contentType: "application/octet-stream", modificationDate: mtime)
                    if let progress {
                        segmentOptions.progress = { @Sendable bytes in progress.update(part: index, bytes: bytes) }
                    }
                    let result = try await self.uploadObject(
                        segmentName, in: segmentContainer, fromFile: path, range: range, options: segmentOptions)
                    return (
                        index,
                        SegmentRecord(
                            container: segmentContainer, name: segmentName, etag: result.etag, bytes: Int64(range.count)
                        ), true
                    )
                }
            }
            while next < count && next < max(1, options.parallelism) { start() }
            while let (index, record, uploaded) = try await group.next() {
                segments[index] = record
                if uploaded {
                    sent += 1
                    bytesSent += record.bytes
                }
                if next < count { start() }
            }
        }
        let stored = segments.compactMap { $0 }

        var manifest = ByteBuffer()
        var upload = options.upload
        upload.progress = nil  // the segments reported the bytes
        upload.modificationDate = mtime
        if upload.contentType == nil { upload.contentType = ContentTypes.guess(for: name) }
        switch options.manifest {
        case .static:
            let entries = stored.map { segment -> [String: Any] in
                ["path": "/\(segment.container)/\(segment.name)", "etag": segment.etag, "size_bytes": segment.bytes]
            }
            manifest.writeBytes(try JSONSerialization.data(withJSONObject: entries))
            upload.query["multipart-manifest"] = "put"
        case .dynamic:
            upload.headers["X-Object-Manifest"] =
                Names.encodeContainer(segmentContainer) + "/" + Names.encodeObject(prefix)
        }
        let result = try await uploadObject(name, in: container, bytes: manifest, options: upload)

        // Only now is the old object gone: delete its segments that the new one does not use.
        let old = try await deleteSegments(previous, keeping: stored)
        return LargeUploadResult(
            etag: result.etag, bytes: size, segments: stored, segmentsSent: sent, bytesSent: bytesSent,
            oldSegmentsDeleted: old.deleted, oldSegmentsKept: old.kept)
    }

    /// The segment size actually used and the byte range of each segment: the size asked
    /// for, raised when the file would need more than `maxSegments` segments.
    static func segmentPlan(size: Int64, segmentSize: Int64, maxSegments: Int) -> (Int64, [Range<Int64>]) {
        var segmentSize = max(1, segmentSize)
        let limit = Int64(max(1, maxSegments))
        if (size + segmentSize - 1) / segmentSize > limit {
            segmentSize = (size + limit - 1) / limit
        }
        let count = max(1, (size + segmentSize - 1) / segmentSize)
        let ranges = (0..<count).map { index in
            index * segmentSize..<min(size, (index + 1) * segmentSize)
        }
        return (segmentSize, ranges)
    }

    /// Deletes the segments of a large object that was just deleted or replaced, as
    /// ``segmentsToDelete(_:in:)`` found them before, except those the new object uses.
    ///
    /// Only ``LargeObjectSegments/owned`` segments go; the kept ones are passed through
    /// to the result, for the caller to report. Several go with one bulk delete when the
    /// cluster has it, else one `DELETE` each. A segment already gone is not an error.
    /// - Parameters:
    ///   - segments: the old object's segments, split by ``SegmentOwnership``.
    ///   - keeping: segments of the new object, which stay even when the old one used them.
    /// - Returns: how many were deleted, and what was kept and why.
    @discardableResult
    public func deleteSegments(
        _ segments: LargeObjectSegments, keeping: [SegmentRecord] = []
    ) async throws -> SegmentDeletion {
        SegmentDeletion(deleted: try await deleteSegmentObjects(segments.owned, keeping: keeping), kept: segments.kept)
    }

    /// Deletes `segments` (bulk when there are several and the cluster has it) but not
    /// those in `keeping`; already gone is not an error. No ownership check: callers pass
    /// segments that ``SegmentOwnership`` let through.
    func deleteSegmentObjects(_ segments: [SegmentRecord], keeping: [SegmentRecord] = []) async throws -> Int {
        let kept = Set(keeping.map { "\($0.container)/\($0.name)" })
        let doomed = segments.filter { !kept.contains("\($0.container)/\($0.name)") }
        if doomed.count > 1, let bulk = try? await capabilities().bulkDelete {
            let result = try await bulkDelete(
                doomed.map { StoragePath(container: $0.container, object: $0.name) },
                batchSize: bulk.maxDeletesPerRequest)
            if let first = result.errors.first {
                throw CloudFilesError.forStatus(first.status, method: "DELETE")
                    .with(
                        message:
                            "\(result.errors.count) of \(doomed.count) segments were not deleted, first \(first.path): \(first.status) \(first.message)"
                    )
            }
            return result.deleted
        }
        var deleted = 0
        for segment in doomed {
            do {
                try await deleteObject(segment.name, in: segment.container)
                deleted += 1
            } catch let error as CloudFilesError where error == .notFound {}
        }
        return deleted
    }

    /// The segments that deleting or replacing a large object may delete, and those it
    /// must keep (see ``SegmentOwnership``). Read without following a symlink: a link
    /// owns no segments, whatever it points to. Empty for any object that is not a large
    /// object.
    ///
    /// - Throws: `.notFound` when the object does not exist.
    public func segmentsToDelete(_ name: String, in container: String) async throws -> LargeObjectSegments {
        try Names.validateContainer(container)
        try Names.validateObject(name)
        let request = StorageRequest(
            .GET, .object(container: container, name: name), query: [("multipart-manifest", "get"), ("symlink", "get")])
        let reply = try await objectRequest(request, name, container)
        if reply.headers.first(name: "x-symlink-target") != nil {
            try await reply.drain()
            return LargeObjectSegments()
        }
        let shared = reply.headers.first(name: "x-object-meta-" + Self.sharedSegmentsKey) != nil
        if let manifest = reply.headers.first(name: "x-object-manifest") {
            try await reply.drain()
            return try await dynamicSegmentsToDelete(manifest, of: name, in: container, shared: shared)
        }
        guard reply.headers.first(name: "x-static-large-object")?.lowercased() == "true" else {
            try await reply.drain()
            return LargeObjectSegments()
        }
        let segments = try await staticSegments(reply, name)
        if shared { return SegmentOwnership(object: name, in: container).keepingShared(segments) }
        let (owned, kept) = SegmentOwnership(object: name, in: container).partition(segments)
        return LargeObjectSegments(owned: owned, kept: kept)
    }

    /// The segments of the dynamic manifest `manifest` on `name`, split by ownership. A
    /// foreign container that cannot be listed is reported as kept, uncounted, so that a
    /// manifest aimed at an unreadable container cannot make the delete fail.
    func dynamicSegmentsToDelete(
        _ manifest: String, of name: String, in container: String, shared: Bool = false
    ) async throws -> LargeObjectSegments {
        let rule = SegmentOwnership(object: name, in: container)
        do {
            let segments = try await dynamicSegments(manifest)
            if shared { return rule.keepingShared(segments) }
            let (owned, kept) = rule.partition(segments)
            return LargeObjectSegments(owned: owned, kept: kept)
        } catch let error as CloudFilesError
            where error == .forbidden || error == .unauthorized || error == .invalidName
        {
            let segmentContainer = Self.splitManifest(manifest)?.container ?? manifest
            guard !rule.isSegmentContainer(segmentContainer) else { throw error }
            return LargeObjectSegments(kept: [
                KeptSegments(object: name, container: segmentContainer, count: 0, reason: .unlisted)
            ])
        }
    }

    /// The segments of a large object, in order: for a static one from its manifest
    /// (`GET ?multipart-manifest=get`), for a dynamic one by listing the container and
    /// prefix its `X-Object-Manifest` names. Empty for any other object. A symlink is
    /// followed: these are the segments of what it points to.
    ///
    /// These are the segments as the manifest names them, wherever they are, for reading:
    /// to delete segments, use ``segmentsToDelete(_:in:)``, which reads a link as a link
    /// and applies ``SegmentOwnership``.
    /// - Throws: `.notFound` when the object does not exist.
    public func largeObjectSegments(_ name: String, in container: String) async throws -> [SegmentRecord] {
        try Names.validateContainer(container)
        try Names.validateObject(name)
        let request = StorageRequest(
            .GET, .object(container: container, name: name), query: [("multipart-manifest", "get")])
        let reply = try await objectRequest(request, name, container)
        if let manifest = reply.headers.first(name: "x-object-manifest") {
            try await reply.drain()
            return try await dynamicSegments(manifest)
        }
        guard reply.headers.first(name: "x-static-large-object")?.lowercased() == "true" else {
            try await reply.drain()
            return []
        }
        return try await staticSegments(reply, name)
    }

    /// The segments a static manifest (the body of `reply`) lists. Inline data segments,
    /// which have no name, are left out.
    func staticSegments(_ reply: StorageResponse, _ name: String) async throws -> [SegmentRecord] {
        let body = try await reply.collect(upTo: 64 * 1024 * 1024)
        struct Entry: Decodable {
            var name: String?
            var hash: String?
            var bytes: Int64?
        }
        let entries: [Entry]
        do {
            entries = try JSONDecoder().decode([Entry].self, from: body)
        } catch {
            throw reply.error(
                .invalidResponse, "the manifest of \(Names.quoted(name)) is not the JSON expected: \(error)")
        }
        guard WireNumber.sum(entries.map { $0.bytes ?? 0 }) != nil else {
            throw reply.error(
                .invalidResponse,
                "the manifest of \(Names.quoted(name)) lists segment sizes that are negative or add up past 2^63 bytes")
        }
        return entries.compactMap { entry in
            // "name" is "/container/object"; split at the byte '/', since a combining mark
            // after a '/' would hide it from a Character search.
            guard let full = entry.name?.utf8.drop(while: { $0 == UInt8(ascii: "/") }),
                let slash = full.firstIndex(of: UInt8(ascii: "/"))
            else { return nil }
            return SegmentRecord(
                container: String(decoding: full[..<slash], as: UTF8.self),
                name: String(decoding: full[full.index(after: slash)...], as: UTF8.self),
                etag: entry.hash ?? "", bytes: entry.bytes ?? 0)
        }
    }
}

extension CloudFilesClient {
    /// The segments of a dynamic large object whose `X-Object-Manifest` is `manifest`
    /// (`container/prefix`, percent-encoded): the objects under the prefix, in the name
    /// order in which the server joins them. Empty when the container does not exist.
    func dynamicSegments(_ manifest: String) async throws -> [SegmentRecord] {
        guard let (container, prefix) = Self.splitManifest(manifest) else { return [] }
        var segments: [SegmentRecord] = []
        do {
            for try await entry in listObjects(in: container, .init(prefix: prefix)) {
                if case .object(let record) = entry {
                    segments.append(
                        SegmentRecord(container: container, name: record.name, etag: record.hash, bytes: record.bytes))
                }
            }
        } catch let error as CloudFilesError where error == .notFound {
            return []
        }
        return segments
    }

    /// The container and prefix an `X-Object-Manifest` value names (percent-decoded).
    static func splitManifest(_ manifest: String) -> (container: String, prefix: String)? {
        let decoded = (manifest.removingPercentEncoding ?? manifest).utf8
        // The byte '/', not the Character: a combining mark after it would hide it.
        guard let slash = decoded.firstIndex(of: UInt8(ascii: "/")) else { return nil }
        return (
            String(decoding: decoded[..<slash], as: UTF8.self),
            String(decoding: decoded[decoded.index(after: slash)...], as: UTF8.self)
        )
    }
}

/// The running total of a transfer made of parts sent in parallel (the segments of a large
/// object), each reporting its own running count.
final class ProgressTotal: @unchecked Sendable {
    private let lock = NSLock()
    private var parts: [Int64]
    private let report: @Sendable (Int64) -> Void

    init(parts: Int, report: @escaping @Sendable (Int64) -> Void) {
        self.parts = Array(repeating: 0, count: parts)
        self.report = report
    }

    func update(part: Int, bytes: Int64) {
        let total = lock.withLock {
            parts[part] = bytes
            return parts.reduce(0, +)
        }
        report(total)
    }
}
