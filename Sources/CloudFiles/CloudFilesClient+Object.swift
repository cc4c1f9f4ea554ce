import Foundation
import NIOCore
import NIOHTTP1

extension CloudFilesClient {
    /// Reads an object's headers (`HEAD`).
    ///
    /// - Parameters:
    ///   - name: the object.
    ///   - container: the container.
    ///   - followingSymlinks: `false` to read a symlink itself (`?symlink=get`), whose
    ///     ``ObjectInfo/symlinkTarget`` then says where it points, rather than its target.
    /// - Throws: `.notFound` when the object (or its container) does not exist.
    public func objectInfo(
        _ name: String, in container: String, followingSymlinks: Bool = true
    ) async throws -> ObjectInfo {
        try Names.validateContainer(container)
        try Names.validateObject(name)
        let request = StorageRequest(
            .HEAD, .object(container: container, name: name), query: followingSymlinks ? [] : [("symlink", "get")])
        let reply = try await objectRequest(request, name, container)
        try await reply.drain()
        return ObjectInfo(container: container, name: name, headers: reply.headers)
    }

    /// Replaces all of an object's user metadata (`POST`), as Swift does: metadata not
    /// given is removed, `X-Object-Meta-Mtime` included. See
    /// ``updateObjectMetadata(_:in:set:remove:contentType:expiry:)`` to change some keys and keep the rest,
    /// the expiry and the other headers Swift's `POST` drops.
    ///
    /// - Parameters:
    ///   - name: the object.
    ///   - container: the container.
    ///   - metadata: the complete new user metadata.
    ///   - headers: other headers to set, such as `Content-Type` or `X-Delete-At`.
    /// - Throws: `.notFound` when the object does not exist.
    public func replaceObjectMetadata(
        _ name: String, in container: String, metadata: [String: String], headers extra: [String: String] = [:]
    ) async throws {
        try Names.validateContainer(container)
        try Names.validateObject(name)
        var headers = HTTPHeaders()
        for (key, value) in extra.sorted(by: { $0.key < $1.key }) {
            try Metadata.validate(key: key, value: value)
            headers.replaceOrAdd(name: key, value: value)
        }
        try Metadata.write(metadata, scope: .object, into: &headers)
        let reply = try await objectRequest(
            StorageRequest(.POST, .object(container: container, name: name), headers: headers), name, container)
        try await reply.drain()
    }

    /// Deletes an object (`DELETE`).
    ///
    /// - Parameters:
    ///   - name: the object.
    ///   - container: the container.
    ///   - deleteSegments: for a large object, also delete its segments, but only those
    ///     ``SegmentOwnership`` says are its own: a `HEAD ?symlink=get` finds its kind
    ///     (a symlink is deleted alone, never its target's segments); the manifest goes
    ///     first (a plain `DELETE`, never the server's `?multipart-manifest=delete`, which
    ///     would delete every segment a static manifest lists), then its own segments.
    ///     Other objects are simply deleted.
    /// - Returns: how many segments were deleted, and those kept and why.
    /// - Throws: `.notFound` when the object does not exist.
    @discardableResult
    public func deleteObject(
        _ name: String, in container: String, deleteSegments: Bool = false
    ) async throws -> SegmentDeletion {
        try Names.validateContainer(container)
        try Names.validateObject(name)
        var segments = LargeObjectSegments()
        if deleteSegments {
            let info = try await objectInfo(name, in: container, followingSymlinks: false)
            if info.symlinkTarget != nil {
                // A link: only the link goes (a DELETE never follows it).
            } else if let manifest = info.dynamicManifest {
                segments = try await dynamicSegmentsToDelete(
                    manifest, of: name, in: container, shared: info.sharesSegments)
            } else if info.isStaticLargeObject {
                segments = try await segmentsToDelete(name, in: container)
            }
        }
        let reply = try await objectRequest(
            StorageRequest(.DELETE, .object(container: container, name: name)), name, container)
        try await reply.drain()
        // The manifest first, so that nothing is left pointing at missing segments.
        return try await self.deleteSegments(segments)
    }

    /// Copies an object on the server (`PUT` with `X-Copy-From`); the bytes do not pass
    /// through the client.
    ///
    /// - Parameters:
    ///   - source: the source object's name.
    ///   - sourceContainer: the source container.
    ///   - name: the new object's name.
    ///   - container: the target container (may be the same).
    ///   - metadata: metadata for the copy; merged over the source's unless
    ///     `freshMetadata` is set.
    ///   - freshMetadata: drop the source's metadata (`X-Fresh-Metadata`).
    /// - Returns: the copy's ETag.
    /// - Throws: `.notFound` when the source or a container does not exist.
    @discardableResult
    public func copyObject(
        _ source: String, in sourceContainer: String, to name: String, in container: String,
        metadata: [String: String] = [:], freshMetadata: Bool = false
    ) async throws -> String {
        try Names.validateContainer(sourceContainer)
        try Names.validateObject(source)
        try Names.validateContainer(container)
        try Names.validateObject(name)
        var headers = HTTPHeaders()
        headers.add(
            name: "X-Copy-From", value: "/" + Names.encodeContainer(sourceContainer) + "/" + Names.encodeObject(source))
        if freshMetadata { headers.add(name: "X-Fresh-Metadata", value: "true") }
        try Metadata.write(metadata, scope: .object, into: &headers)
        let request = StorageRequest(
            .PUT, .object(container: container, name: name), headers: headers, body: .bytes(ByteBuffer()))
        let reply: StorageResponse
        do {
            reply = try await send(request)
        } catch let error as CloudFilesError where error == .notFound {
            throw error.with(
                message:
                    "cannot copy \(Names.quoted(sourceContainer + "/" + source)) to \(Names.quoted(container + "/" + name)): the source or a container does not exist"
            )
        }
        try await reply.drain()
        return reply.headers.first(name: "etag")?.trimmingCharacters(in: CharacterSet(charactersIn: "\"")) ?? ""
    }

    /// Sends an object request and words a 404 for objects.
    func objectRequest(_ request: StorageRequest, _ name: String, _ container: String) async throws -> StorageResponse {
        do {
            return try await send(request)
        } catch let error as CloudFilesError where error == .notFound {
            throw error.with(message: "object \(Names.quoted(name)) not found in container \(Names.quoted(container))")
        }
    }
}
