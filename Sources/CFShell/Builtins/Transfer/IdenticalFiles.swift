import CloudFiles
import Foundation

/// A name as a dictionary key by its bytes. Swift's `String` compares by canonical
/// equivalence, so `é` spelt NFC and NFD would be one key; on the server and on disk
/// they are two names.
struct ExactName: Hashable, Sendable {
    let bytes: [UInt8]

    init(_ name: String) { bytes = Array(name.utf8) }
}

/// Whether a local file and a remote object hold the same bytes: what put and get
/// --skip-identical ask before they send or fetch anything.
enum IdenticalFiles {
    /// What a local file is compared with: the object's whole size and ETag, and whether
    /// it is a large object (static or dynamic), compared segment by segment.
    struct Remote: Sendable, Equatable {
        var bytes: Int64
        var hash: String
        var isLargeObject: Bool
    }

    /// Whether `local` (of `size` bytes) holds exactly the remote object's bytes: same
    /// size, and the same MD5 — segment by segment for a large object, static (its
    /// manifest's segments) or dynamic (the segments its `X-Object-Manifest` lists, whose
    /// MD5s are their ETags).
    static func isIdentical(
        local: String, size: Int64, remoteBytes: Int64, remoteHash: String, isLargeObject: Bool,
        container: String, name: String, client: CloudFilesClient
    ) async throws -> Bool {
        guard size == remoteBytes else { return false }
        if isLargeObject {
            // A dynamic object's empty segments add nothing to it (a static one has none).
            let segments = try await client.largeObjectSegments(name, in: container).filter { $0.bytes > 0 }
            var offset: Int64 = 0
            for segment in segments {
                guard offset + segment.bytes <= size,
                    try await CloudFilesClient.md5(ofFile: local, range: offset..<(offset + segment.bytes))
                        == segment.etag
                else { return false }
                offset += segment.bytes
            }
            return !segments.isEmpty && offset == size
        }
        return try await CloudFilesClient.md5(ofFile: local) == remoteHash
    }

    /// What one object holds, from a HEAD, or `nil` when its size or MD5 cannot be
    /// compared. A dynamic large object's size is its whole length, and it is compared
    /// segment by segment.
    static func remote(_ info: ObjectInfo) -> Remote? {
        guard let bytes = info.totalLength ?? info.contentLength else { return nil }
        if info.dynamicManifest != nil { return Remote(bytes: bytes, hash: info.etag ?? "", isLargeObject: true) }
        guard let etag = info.etag else { return nil }
        return Remote(bytes: bytes, hash: etag, isLargeObject: info.isStaticLargeObject)
    }

    /// What a listing record says an object holds, or `nil` when the listing cannot tell:
    /// an empty object that may be a dynamic manifest (listed as its own empty body) while
    /// the local file is not empty.
    static func remote(_ record: ObjectRecord, localSize: Int64) -> Remote? {
        if record.bytes == 0 && localSize > 0 && record.mayBeLargeObject { return nil }
        return Remote(bytes: record.bytes, hash: record.hash, isLargeObject: record.isStaticLargeObject)
    }

    /// A listing-like record of one object from a HEAD, or `nil` when its size or MD5 cannot
    /// be compared (a dynamic large object, or no ETag).
    static func comparableRecord(_ name: String, _ info: ObjectInfo) -> ObjectRecord? {
        guard let bytes = info.totalLength ?? info.contentLength, let etag = info.etag, info.dynamicManifest == nil
        else { return nil }
        return ObjectRecord(
            name: name, bytes: bytes, hash: etag, contentType: info.contentType ?? "",
            staticLargeObjectETag: info.isStaticLargeObject ? etag : nil)
    }
}
