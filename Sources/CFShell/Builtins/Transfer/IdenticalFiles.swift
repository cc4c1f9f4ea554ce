import CloudFiles
import Foundation

/// Whether a local file and a remote object hold the same bytes: what put and get
/// --skip-identical ask before they send or fetch anything.
enum IdenticalFiles {
    /// Whether `local` (of `size` bytes) holds exactly the remote object's bytes: same
    /// size, and the same MD5 — segment by segment for a static large object.
    static func isIdentical(
        local: String, size: Int64, remoteBytes: Int64, remoteHash: String, isStaticLargeObject: Bool,
        container: String, name: String, client: CloudFilesClient
    ) async throws -> Bool {
        guard size == remoteBytes else { return false }
        if isStaticLargeObject {
            let segments = try await client.largeObjectSegments(name, in: container)
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

    /// A listing-like record of one object from a HEAD, or `nil` when its size or MD5 cannot
    /// be compared (a dynamic large object, or no ETag).
    static func comparableRecord(
        _ name: String, in container: String, client: CloudFilesClient
    ) async throws -> ObjectRecord? {
        Self.comparableRecord(name, try await client.objectInfo(name, in: container))
    }

    static func comparableRecord(_ name: String, _ info: ObjectInfo) -> ObjectRecord? {
        guard let bytes = info.totalLength ?? info.contentLength, let etag = info.etag, info.dynamicManifest == nil
        else { return nil }
        return ObjectRecord(
            name: name, bytes: bytes, hash: etag, contentType: info.contentType ?? "",
            staticLargeObjectETag: info.isStaticLargeObject ? etag : nil)
    }
}
