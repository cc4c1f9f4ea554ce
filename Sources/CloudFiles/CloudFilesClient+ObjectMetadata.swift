import Foundation
import NIOHTTP1

/// When an object is deleted by the server's expirer: `X-Delete-At` / `X-Delete-After`.
public enum ObjectExpiry: Sendable, Hashable {
    /// This many seconds from when the server receives the request (`X-Delete-After`).
    case after(seconds: Int64)
    /// At this time (`X-Delete-At`, whole seconds since 1970).
    case at(Date)
    /// Never: the expiry, if any, is removed.
    case never

    /// The longest expiry accepted: 100 years. Swift stores `X-Delete-At` as an integer
    /// timestamp; values this far out are almost certainly a typo.
    public static let maximumSeconds: Int64 = 100 * 366 * 86_400

    /// Refuses a time in the past, or one further than ``maximumSeconds``.
    /// - Parameter now: the current time, for tests.
    public func validate(now: Date = Date()) throws {
        switch self {
        case .never:
            return
        case .after(let seconds):
            guard seconds > 0 else {
                throw CloudFilesError.invalidArgument.with(
                    message: "an expiry must be in the future (got \(seconds) s)")
            }
            guard seconds <= Self.maximumSeconds else {
                throw CloudFilesError.invalidArgument.with(
                    message: "an expiry of \(seconds) s is more than 100 years away; refused as a likely mistake")
            }
        case .at(let date):
            guard date.timeIntervalSince(now) >= 1 else {
                throw CloudFilesError.invalidArgument.with(
                    message: "the expiry time \(Self.iso(date)) is in the past (it is now \(Self.iso(now)))")
            }
            guard date.timeIntervalSince(now) <= Double(Self.maximumSeconds) else {
                throw CloudFilesError.invalidArgument.with(
                    message:
                        "the expiry time \(Self.iso(date)) is more than 100 years away; refused as a likely mistake")
            }
        }
    }

    /// The header to send, if any.
    var header: (name: String, value: String)? {
        switch self {
        case .never: return nil
        case .after(let seconds): return ("X-Delete-After", String(seconds))
        case .at(let date): return ("X-Delete-At", String(Int64(date.timeIntervalSince1970.rounded(.up))))
        }
    }

    static func iso(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }
}

extension CloudFilesClient {
    /// The headers Swift's object `POST` stores and drops when they are not sent again,
    /// besides `X-Delete-At` and the user metadata (the object server's `allowed_headers`).
    static let headersKeptByPOST = [
        "content-disposition", "content-encoding", "content-language", "cache-control", "expires",
        "x-object-manifest", "x-robots-tag",
    ]

    /// Changes an object's metadata, content type and expiry, and keeps everything else.
    ///
    /// Swift's object `POST` replaces all user metadata, and drops `X-Delete-At`,
    /// `Content-Disposition`, `Content-Encoding`, `X-Object-Manifest` (a dynamic large
    /// object's link to its segments) and a few other headers unless they are sent again.
    /// So this reads the object first (`HEAD ?symlink=get`) and sends back every key and
    /// header not named, with the changes. Two concurrent updates can lose one.
    ///
    /// A symlink is refused: Swift applies a `POST` to the link itself and answers 307;
    /// change the target instead.
    ///
    /// Keys are lowercased (Swift title-cases them). Every key, value and the merged
    /// total are checked against the cluster's limits (``Capabilities/checkMetadata(_:)``)
    /// before anything is sent.
    ///
    /// - Parameters:
    ///   - name: the object.
    ///   - container: the container.
    ///   - set: keys to add or change.
    ///   - remove: keys to remove (a key that is not there is ignored).
    ///   - contentType: a new `Content-Type`; `nil` keeps the current one.
    ///   - expiry: a new expiry; `nil` keeps the current one.
    /// - Returns: the metadata now stored.
    /// - Throws: `.notFound`; `.invalidArgument` for a symlink, a bad key or value, a
    ///   limit passed, or an expiry in the past.
    @discardableResult
    public func updateObjectMetadata(
        _ name: String, in container: String, set: [String: String] = [:], remove: [String] = [],
        contentType: String? = nil, expiry: ObjectExpiry? = nil
    ) async throws -> [String: String] {
        for (key, value) in set { try Metadata.validate(key: key, value: value) }
        for key in remove { try Metadata.validate(key: key, value: "") }
        if let contentType { try Metadata.validate(key: "Content-Type", value: contentType) }
        try expiry?.validate()
        let info = try await objectInfo(name, in: container, followingSymlinks: false)
        if let target = info.symlinkTarget {
            throw CloudFilesError.invalidArgument.with(
                message:
                    "\(Names.quoted(container + "/" + name)) is a symlink to \(Names.quoted(target)): Swift does not change a link's metadata; change the target's"
            )
        }
        var metadata = info.metadata
        for key in remove { metadata.removeValue(forKey: key.lowercased()) }
        for (key, value) in set { metadata[key.lowercased()] = value }
        if let limits = try? await capabilities() { try limits.checkMetadata(metadata) }
        var headers: [String: String] = [:]
        for (header, value) in info.headers where Self.headersKeptByPOST.contains(header.lowercased()) {
            headers[header] = value
        }
        if let type = contentType ?? info.contentType { headers["Content-Type"] = type }
        switch expiry {
        case nil:
            if let kept = info.headers.first(where: { $0.name.lowercased() == "x-delete-at" })?.value {
                headers["X-Delete-At"] = kept
            }
        case let expiry?:
            if let header = expiry.header { headers[header.name] = header.value }
        }
        try await replaceObjectMetadata(name, in: container, metadata: metadata, headers: headers)
        return metadata
    }
}
