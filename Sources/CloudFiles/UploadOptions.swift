import Foundation

/// How an upload from a file proves that the server stored exactly the file's bytes.
///
/// Both catch corruption on the way; they differ in cost and in what is left behind when
/// they catch it. Uploads from a one-shot stream always use ``streaming``; files of one
/// chunk or less are read once into memory and always sent with `ETag`.
public enum UploadChecksum: Sendable, Hashable {
    /// Read the file once to compute its MD5, then send it with `ETag: <md5>`: the server
    /// refuses a mismatch with 422 and keeps the old object. Reads the file twice.
    case precomputed
    /// Compute the MD5 while sending and compare it with the `ETag` the server returns. A
    /// mismatch deletes the bad object and sends the file again. Reads the file once.
    case streaming
}

/// What to send with an upload besides the bytes.
public struct UploadOptions: Sendable {
    /// The `Content-Type`; `nil` guesses it from the object name's extension.
    public var contentType: String?
    /// User metadata (`X-Object-Meta-*`).
    public var metadata: [String: String]
    /// The time stored as `X-Object-Meta-Mtime` (seconds since 1970, as python-swiftclient
    /// and rclone do). For a file upload `nil` means the file's own modification time.
    public var modificationDate: Date?
    /// Refuse to overwrite an existing object (`If-None-Match: *`); it fails with
    /// `.preconditionFailed`.
    public var ifNoneMatch: Bool
    /// Delete the object automatically after this many seconds (`X-Delete-After`).
    public var deleteAfter: Int?
    /// Delete the object automatically at this time (`X-Delete-At`); wins over
    /// ``deleteAfter``. For a large object it is set on the manifest only: the segments
    /// are left for `orphans` (an expiring segment could be reused by a later upload).
    public var deleteAt: Date? = nil
    /// Other headers, sent as given (for example `X-Object-Manifest` for a DLO manifest).
    public var headers: [String: String]
    /// Query items added to the PUT (for example `multipart-manifest=put`).
    public var query: [String: String]
    /// The checksum strategy for file uploads; `nil` uses the client's configuration.
    public var checksum: UploadChecksum?
    /// Called with the bytes read for sending so far, for a progress display (for a
    /// large object: all its segments together). A retried upload starts again from 0.
    /// It is called from any task, often: keep it cheap.
    public var progress: (@Sendable (Int64) -> Void)?

    /// Creates options; the defaults guess the type and keep the file's mtime.
    public init(
        contentType: String? = nil,
        metadata: [String: String] = [:],
        modificationDate: Date? = nil,
        ifNoneMatch: Bool = false,
        deleteAfter: Int? = nil,
        headers: [String: String] = [:],
        query: [String: String] = [:],
        checksum: UploadChecksum? = nil,
        progress: (@Sendable (Int64) -> Void)? = nil
    ) {
        self.contentType = contentType
        self.metadata = metadata
        self.modificationDate = modificationDate
        self.ifNoneMatch = ifNoneMatch
        self.deleteAfter = deleteAfter
        self.headers = headers
        self.query = query
        self.checksum = checksum
        self.progress = progress
    }
}

/// What the server said about a stored object.
public struct UploadResult: Sendable, Hashable {
    /// The ETag of the stored object (its MD5 for a plain object), without quotes.
    public var etag: String
    /// How many bytes were sent.
    public var bytes: Int64
    /// The transaction id of the PUT that succeeded.
    public var transactionID: String?
    /// How many times the body was sent (more than 1 after a retry or a checksum mismatch).
    public var attempts: Int
}
