import Foundation
import NIOCore
import NIOFoundationCompat

/// One container in an account listing.
public struct ContainerRecord: Sendable, Hashable {
    /// The container's name.
    public var name: String
    /// How many objects it holds (as of the last container update).
    public var objectCount: Int64
    /// Bytes stored in it.
    public var bytesUsed: Int64
    /// When it last changed, if the server says.
    public var lastModified: Date?

    /// Creates a record.
    public init(name: String, objectCount: Int64, bytesUsed: Int64, lastModified: Date? = nil) {
        self.name = name
        self.objectCount = objectCount
        self.bytesUsed = bytesUsed
        self.lastModified = lastModified
    }
}

/// One object in a container listing.
public struct ObjectRecord: Sendable, Hashable {
    /// The object's full name.
    public var name: String
    /// Its size in bytes. For a large-object manifest, the manifest's own size unless the
    /// server reports the total.
    public var bytes: Int64
    /// Its ETag: the MD5 of a plain object, without quotes.
    public var hash: String
    /// Its content type; `application/directory` for directory markers.
    public var contentType: String
    /// When it was last written.
    public var lastModified: Date?
    /// The whole object's ETag when this is a static large object manifest (the listing's
    /// `slo_etag`, without quotes); `nil` for other objects. ``hash`` is then the manifest's own.
    public var staticLargeObjectETag: String?
    /// Where this object points when it is a symlink (the listing's `symlink_path`, Swift
    /// 2.2x and later); `nil` for other objects, and for a link whose path the server wrote
    /// in a form that cannot be read (see ``isSymlink``).
    public var symlinkTarget: SymlinkTarget?
    /// Whether the listing marks this object as a symlink.
    public var isSymlink: Bool = false

    /// Whether this is a static large object manifest, whose segments live elsewhere.
    public var isStaticLargeObject: Bool { staticLargeObjectETag != nil }

    /// Creates a record.
    public init(
        name: String, bytes: Int64, hash: String, contentType: String, lastModified: Date? = nil,
        staticLargeObjectETag: String? = nil
    ) {
        self.name = name
        self.bytes = bytes
        self.hash = hash
        self.contentType = contentType
        self.lastModified = lastModified
        self.staticLargeObjectETag = staticLargeObjectETag
    }

    /// Creates the record of a symlink.
    public init(
        name: String, bytes: Int64, hash: String, contentType: String, lastModified: Date? = nil,
        symlinkTarget: SymlinkTarget?
    ) {
        self.init(name: name, bytes: bytes, hash: hash, contentType: contentType, lastModified: lastModified)
        self.symlinkTarget = symlinkTarget
        self.isSymlink = true
    }

    /// Whether this is a directory marker object (`application/directory`).
    public var isDirectoryMarker: Bool {
        contentType.split(separator: ";").first?.trimmingCharacters(in: .whitespaces) == "application/directory"
    }
}

/// An entry of an object listing: an object, or (with a delimiter) a pseudo-folder.
public enum ObjectListingEntry: Sendable, Hashable {
    /// A real object.
    case object(ObjectRecord)
    /// A pseudo-folder: a common prefix ending in the delimiter, such as `photos/2024/`.
    case subdirectory(String)

    /// The object name or the folder prefix.
    public var name: String {
        switch self {
        case .object(let record): return record.name
        case .subdirectory(let prefix): return prefix
        }
    }
}

/// The containers of an account, fetched page by page as you iterate.
public typealias ContainerListing = FlattenedListing<ContainerRecord>
/// The objects (and pseudo-folders) of a container, fetched page by page as you iterate.
public typealias ObjectListing = FlattenedListing<ObjectListingEntry>

extension CloudFilesClient {
    /// Lists the account's containers, following `marker` from page to page.
    ///
    /// Nothing is sent until you iterate. Iterate ``FlattenedListing/pages`` instead to get
    /// a page at a time.
    ///
    /// - Parameter options: prefix, markers, limit, order and page size.
    /// - Returns: an `AsyncSequence` of ``ContainerRecord``.
    public func listContainers(_ options: ContainerListingOptions = .init()) -> ContainerListing {
        let query = ListingQuery(
            prefix: options.prefix, delimiter: nil, endMarker: options.endMarker, reverse: options.reverse,
            pageSize: max(1, options.pageSize ?? configuration.listingPageSize), limit: options.limit)
        let pages = ListingPages<ContainerRecord>(
            initialMarker: options.marker, limit: options.limit, reverse: options.reverse, markerOf: { $0.name }
        ) { [self] marker, remaining in
            let reply = try await send(
                StorageRequest(.GET, .account, query: query.items(marker: marker, remaining: remaining)))
            return try await decodePage(reply, as: [ContainerJSON].self).map(\.record)
        }
        return ContainerListing(pages: pages)
    }

    /// Lists a container's objects, following `marker` from page to page.
    ///
    /// With a delimiter, names that contain it after the prefix are rolled up into
    /// ``ObjectListingEntry/subdirectory(_:)`` entries.
    ///
    /// - Parameters:
    ///   - container: the container; an invalid name fails on the first `next()`.
    ///   - options: prefix, delimiter, markers, limit, order and page size.
    /// - Returns: an `AsyncSequence` of ``ObjectListingEntry``. Iterating it throws
    ///   `.notFound` if the container does not exist.
    public func listObjects(in container: String, _ options: ObjectListingOptions = .init()) -> ObjectListing {
        let query = ListingQuery(
            prefix: options.prefix, delimiter: options.delimiter.map(String.init), endMarker: options.endMarker,
            reverse: options.reverse, pageSize: max(1, options.pageSize ?? configuration.listingPageSize),
            limit: options.limit)
        let pages = ListingPages<ObjectListingEntry>(
            initialMarker: options.marker, limit: options.limit, reverse: options.reverse, markerOf: { $0.name }
        ) { [self] marker, remaining in
            try Names.validateContainer(container)
            let reply: StorageResponse
            do {
                reply = try await send(
                    StorageRequest(
                        .GET, .container(container), query: query.items(marker: marker, remaining: remaining)))
            } catch let error as CloudFilesError where error == .notFound {
                throw error.with(message: "container \(Names.quoted(container)) not found")
            }
            return try await decodePage(reply, as: [ObjectJSON].self).map(\.entry)
        }
        return ObjectListing(pages: pages)
    }

    private func decodePage<T: Decodable>(_ reply: StorageResponse, as type: [T].Type) async throws -> [T] {
        if reply.status == .noContent {
            try await reply.drain()
            return []
        }
        // A page of 10000 long names is a few MB of JSON.
        let body = try await reply.collect(upTo: 64 * 1024 * 1024)
        if body.readableBytes == 0 { return [] }
        do {
            return try JSONDecoder().decode([T].self, from: body)
        } catch {
            throw reply.error(.invalidResponse, "the listing is not the JSON expected: \(error)")
        }
    }
}

struct ContainerJSON: Decodable {
    var name: String
    var count: Int64?
    var bytes: Int64?
    var last_modified: String?

    var record: ContainerRecord {
        ContainerRecord(
            name: name, objectCount: count ?? 0, bytesUsed: bytes ?? 0,
            lastModified: last_modified.flatMap(HTTPDate.parseISO8601))
    }
}

struct ObjectJSON: Decodable {
    var name: String?
    var subdir: String?
    var hash: String?
    var bytes: Int64?
    var content_type: String?
    var last_modified: String?
    var slo_etag: String?
    /// Read leniently: a server's odd value makes the link unreadable, not the page.
    var symlink_path: LenientText?

    var entry: ObjectListingEntry {
        if let subdir, name == nil { return .subdirectory(subdir) }
        var record = ObjectRecord(
            name: name ?? "", bytes: bytes ?? 0, hash: hash ?? "",
            contentType: content_type ?? "application/octet-stream",
            lastModified: last_modified.flatMap(HTTPDate.parseISO8601),
            staticLargeObjectETag: slo_etag.map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "\"")) })
        if let symlink_path {
            record.isSymlink = true
            record.symlinkTarget = symlink_path.text.flatMap(SymlinkTarget.init(listingPath:))
        }
        return .object(record)
    }
}

/// A JSON value that is read as text when it is a string, and as `nil` otherwise.
struct LenientText: Decodable, Hashable {
    var text: String?

    init(from decoder: any Decoder) throws {
        text = try? decoder.singleValueContainer().decode(String.self)
    }
}
