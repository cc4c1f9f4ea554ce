/// One object of a ``RemoteTree``: its listing record, named relative to the synced prefix.
public struct RemoteTreeEntry: SyncNamed, Equatable {
    public var relativeName: String
    public var record: ObjectRecord

    public init(relativeName: String, record: ObjectRecord) {
        self.relativeName = relativeName
        self.record = record
    }
}

/// The objects below a prefix of a container, relative to it, in the server's byte order:
/// the paged listing (one page held at a time), so that a sync of millions of objects runs
/// in constant memory and a remote→remote sync needs no sort.
///
/// Directory markers (empty `application/directory` objects, and names ending in `/`) are
/// left out: they are folders, not files, and are neither sent nor deleted by a sync.
public struct RemoteTree: AsyncSequence, Sendable {
    public typealias Element = RemoteTreeEntry

    let listing: ObjectListing
    let prefix: String

    /// The objects of `container` whose names start with `prefix` (empty, or ending in `/`).
    public init(client: CloudFilesClient, container: String, prefix: String) {
        listing = client.listObjects(in: container, ObjectListingOptions(prefix: prefix.isEmpty ? nil : prefix))
        self.prefix = prefix
    }

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(listing: listing.makeAsyncIterator(), prefix: Array(prefix.utf8))
    }

    public struct AsyncIterator: AsyncIteratorProtocol {
        var listing: ObjectListing.AsyncIterator
        let prefix: [UInt8]

        public mutating func next() async throws -> RemoteTreeEntry? {
            while let entry = try await listing.next() {
                guard case .object(let record) = entry else { continue }
                let bytes = Array(record.name.utf8)
                guard bytes.starts(with: prefix), bytes.count > prefix.count, bytes.last != 0x2F else { continue }
                if record.isDirectoryMarker && record.bytes == 0 { continue }
                // The listing names are valid UTF-8, and the prefix ends at a `/`, so the rest is too.
                let relative = String(decoding: bytes[prefix.count...], as: UTF8.self)
                return RemoteTreeEntry(relativeName: relative, record: record)
            }
            return nil
        }
    }
}
