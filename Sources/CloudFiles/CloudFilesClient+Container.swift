import Foundation
import NIOHTTP1

/// What a container HEAD tells: totals, policy, ACLs and metadata.
public struct ContainerInfo: Sendable {
    /// The container's name.
    public var name: String
    /// How many objects it holds.
    public var objectCount: Int64
    /// Bytes stored in it.
    public var bytesUsed: Int64
    /// The storage policy (`X-Storage-Policy`).
    public var storagePolicy: String?
    /// The read ACL (`X-Container-Read`), for example `.r:*` for a public container.
    public var readACL: String?
    /// The write ACL (`X-Container-Write`).
    public var writeACL: String?
    /// User metadata (`X-Container-Meta-*`), keys lowercased, without the prefix.
    public var metadata: [String: String]
    /// Every reply header, for a full `stat`.
    public var headers: [(name: String, value: String)]
    /// The transaction id of the HEAD.
    public var transactionID: String?
    /// When the container was created (`X-Timestamp`), when the server says.
    public var created: Date? = nil
    /// When the container last changed (`Last-Modified`), when the server says.
    public var lastModified: Date? = nil
}

extension CloudFilesClient {
    /// Creates a container (`PUT`), or updates its metadata if it exists.
    ///
    /// - Parameters:
    ///   - name: the container name; checked before sending.
    ///   - metadata: user metadata to set.
    ///   - headers: other headers, for example `X-Storage-Policy` or `X-Container-Read`.
    /// - Returns: `true` when the container was created (201), `false` when it was already
    ///   there (202).
    /// - Throws: `.invalidName`, `.forbidden`, …
    @discardableResult
    public func createContainer(
        _ name: String,
        metadata: [String: String] = [:],
        headers extra: [String: String] = [:]
    ) async throws -> Bool {
        try Names.validateContainer(name)
        var headers = HTTPHeaders(extra.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
        try Metadata.write(metadata, scope: .container, into: &headers)
        let reply = try await send(StorageRequest(.PUT, .container(name), headers: headers))
        try await reply.drain()
        return reply.status == .created
    }

    /// Reads a container's totals, ACLs and metadata (`HEAD`).
    ///
    /// - Throws: `.notFound` when the container does not exist.
    public func containerInfo(_ name: String) async throws -> ContainerInfo {
        try Names.validateContainer(name)
        let reply: StorageResponse
        do {
            reply = try await send(StorageRequest(.HEAD, .container(name)))
        } catch let error as CloudFilesError where error == .notFound {
            throw error.with(message: "container \(Names.quoted(name)) not found")
        }
        try await reply.drain()
        let headers = reply.headers
        return ContainerInfo(
            name: name,
            objectCount: headers.int64("x-container-object-count") ?? 0,
            bytesUsed: headers.int64("x-container-bytes-used") ?? 0,
            storagePolicy: headers.first(name: "x-storage-policy"),
            readACL: headers.first(name: "x-container-read"),
            writeACL: headers.first(name: "x-container-write"),
            metadata: Metadata.read(headers, scope: .container),
            headers: headers.map { (name: $0.name, value: $0.value) },
            transactionID: reply.transactionID,
            created: headers.first(name: "x-timestamp").flatMap { WireNumber.date(secondsSince1970: $0) },
            lastModified: headers.first(name: "last-modified").flatMap(HTTPDate.parse)
        )
    }

    /// Sets and removes container metadata (`POST`); keys not named are kept.
    ///
    /// - Parameters:
    ///   - name: the container.
    ///   - set: metadata to add or replace.
    ///   - remove: metadata names to delete.
    ///   - headers: other headers, for example `X-Container-Read: .r:*`.
    /// - Throws: `.notFound` when the container does not exist.
    public func updateContainerMetadata(
        _ name: String,
        set: [String: String] = [:],
        remove: [String] = [],
        headers extra: [String: String] = [:]
    ) async throws {
        try Names.validateContainer(name)
        var headers = HTTPHeaders(extra.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
        try Metadata.write(set, remove: remove, scope: .container, into: &headers)
        do {
            let reply = try await send(StorageRequest(.POST, .container(name), headers: headers))
            try await reply.drain()
        } catch let error as CloudFilesError where error == .notFound {
            throw error.with(message: "container \(Names.quoted(name)) not found")
        }
    }

    /// Deletes an empty container (`DELETE`).
    ///
    /// - Throws: `.containerNotEmpty` (409) when it still holds objects, `.notFound` (404)
    ///   when it does not exist.
    public func deleteContainer(_ name: String) async throws {
        try Names.validateContainer(name)
        do {
            let reply = try await send(StorageRequest(.DELETE, .container(name)))
            try await reply.drain()
        } catch let error as CloudFilesError where error == .conflict {
            // Object versioning: "Delete all versions before deleting container."
            let versions = error.message.lowercased().contains("versions")
            throw CloudFilesError.containerNotEmpty
                .with(
                    message: versions
                        ? "container \(Names.quoted(name)) still holds old object versions (or delete markers); Swift deletes it only once every version is deleted by its id"
                        : "container \(Names.quoted(name)) is not empty"
                )
                .with(status: error.status, method: error.method, path: error.path, transactionID: error.transactionID)
        } catch let error as CloudFilesError where error == .notFound {
            throw error.with(message: "container \(Names.quoted(name)) not found")
        }
    }
}
