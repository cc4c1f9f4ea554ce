import Foundation
import NIOHTTP1

/// What a HEAD or GET tells about an object.
public struct ObjectInfo: Sendable {
    /// The container.
    public var container: String
    /// The object's name.
    public var name: String
    /// The body length of this reply (the whole object for HEAD and plain GET, the
    /// range for a `Range` GET).
    public var contentLength: Int64?
    /// The whole object's size (from `Content-Range` on a `Range` GET, else
    /// ``contentLength``).
    public var totalLength: Int64?
    /// The `Content-Type`.
    public var contentType: String?
    /// The ETag as the server sent it, quotes removed. For a plain object it is the MD5
    /// of the body; for a large-object manifest it is not (see ``isLargeObject``).
    public var etag: String?
    /// Whether the server quoted the ETag, as it does for large-object manifests.
    public var etagWasQuoted: Bool
    /// When the object was last written.
    public var lastModified: Date?
    /// The stored `X-Object-Meta-Mtime`: the source file's modification time.
    public var modificationDate: Date?
    /// User metadata (`X-Object-Meta-*`), keys lowercased, without the prefix; `mtime`
    /// included.
    public var metadata: [String: String]
    /// Whether this is a static large object manifest (`X-Static-Large-Object`).
    public var isStaticLargeObject: Bool
    /// The `X-Object-Manifest` of a dynamic large object: `container/prefix` of its segments.
    public var dynamicManifest: String?
    /// When the object will be deleted (`X-Delete-At`).
    public var deleteAt: Date?
    /// Every reply header, for a full `stat`.
    public var headers: [(name: String, value: String)]
    /// The transaction id of the request.
    public var transactionID: String?

    /// Whether the body is assembled from segments, so its MD5 is not its ETag.
    public var isLargeObject: Bool { isStaticLargeObject || dynamicManifest != nil || etagWasQuoted }

    init(container: String, name: String, headers: HTTPHeaders) {
        self.container = container
        self.name = name
        contentLength = headers.int64("content-length")
        contentType = headers.first(name: "content-type")
        let rawETag = headers.first(name: "etag")
        etagWasQuoted = rawETag?.hasPrefix("\"") ?? false
        etag = rawETag.map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "\"")) }
        lastModified = headers.first(name: "last-modified").flatMap(HTTPDate.parse)
        // Anyone who may write metadata chooses these: out-of-range times are ignored.
        modificationDate = headers.first(name: "x-object-meta-mtime").flatMap { WireNumber.date(secondsSince1970: $0) }
        metadata = Metadata.read(headers, scope: .object)
        isStaticLargeObject = headers.first(name: "x-static-large-object")?.lowercased() == "true"
        dynamicManifest = headers.first(name: "x-object-manifest")
        deleteAt = headers.first(name: "x-delete-at").flatMap { WireNumber.date(secondsSince1970: $0) }
        self.headers = headers.map { (name: $0.name, value: $0.value) }
        transactionID = headers.first(name: "x-trans-id")
        // Content-Range: bytes 0-99/1234
        if let range = headers.first(name: "content-range"), let slash = range.lastIndex(of: "/") {
            totalLength = WireNumber.count(range[range.index(after: slash)...])
        } else {
            totalLength = contentLength
        }
    }
}

/// A byte range for a `Range` read.
public struct ByteRange: Sendable, Hashable, CustomStringConvertible {
    /// The first byte, or `nil` for a suffix range.
    public var first: Int64?
    /// The last byte (inclusive), or `nil` for "to the end".
    public var last: Int64?

    /// Bytes `range.lowerBound` through `range.upperBound`, inclusive.
    public static func bytes(_ range: ClosedRange<Int64>) -> ByteRange {
        ByteRange(first: range.lowerBound, last: range.upperBound)
    }
    /// Bytes from `offset` to the end.
    public static func from(_ offset: Int64) -> ByteRange { ByteRange(first: offset, last: nil) }
    /// The last `count` bytes.
    public static func suffix(_ count: Int64) -> ByteRange { ByteRange(first: nil, last: count) }

    /// The `Range` header value, for example `bytes=0-99`.
    public var description: String {
        "bytes=" + (first.map(String.init) ?? "") + "-" + (last.map(String.init) ?? "")
    }

    func validate() throws {
        let ok: Bool
        switch (first, last) {
        case (let first?, let last?): ok = first >= 0 && last >= first
        case (let first?, nil): ok = first >= 0
        case (nil, let count?): ok = count > 0
        case (nil, nil): ok = false
        }
        if !ok { throw CloudFilesError.invalidArgument.with(message: "invalid byte range \(description)") }
    }
}
