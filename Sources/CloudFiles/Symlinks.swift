import Foundation
import NIOCore
import NIOHTTP1

/// Where a Swift symlink points: an object, possibly in another account.
public struct SymlinkTarget: Sendable, Hashable {
    /// The target's account (`X-Symlink-Target-Account`), or `nil` for the link's own account.
    public var account: String?
    /// The target's container.
    public var container: String
    /// The target object's name.
    public var name: String

    /// Creates a target.
    public init(account: String? = nil, container: String, name: String) {
        self.account = account
        self.container = container
        self.name = name
    }

    /// The `X-Symlink-Target` header value: `container/object`, each percent-encoded, as
    /// Swift reads it (it decodes the header), so a name with spaces, `%` or any Unicode
    /// arrives whole.
    public var headerValue: String {
        Names.encodeContainer(container) + "/" + Names.encodeObject(name)
    }

    /// Reads an `X-Symlink-Target` header (`container/object`, percent-encoded) and the
    /// optional `X-Symlink-Target-Account`; `nil` for a value that is not of that form.
    public init?(header: String, account: String? = nil) {
        guard header.utf8.count <= Self.maxHeaderBytes, let slash = header.firstIndex(of: "/"),
            let container = header[..<slash].removingPercentEncoding,
            let name = header[header.index(after: slash)...].removingPercentEncoding,
            !container.isEmpty, !name.isEmpty
        else { return nil }
        self.container = container
        self.name = name
        self.account = account.flatMap { $0.removingPercentEncoding }.flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Reads a listing's `symlink_path` (`/v1/ACCOUNT/container/object`, percent-encoded);
    /// `nil` for anything else, or for a value longer than a URL path Swift accepts.
    public init?(listingPath path: String) {
        guard path.utf8.count <= Self.maxHeaderBytes, path.hasPrefix("/") else { return nil }
        let parts = path.dropFirst().split(separator: "/", maxSplits: 3, omittingEmptySubsequences: false)
        guard parts.count == 4, !parts[0].isEmpty, let account = parts[1].removingPercentEncoding, !account.isEmpty,
            let container = parts[2].removingPercentEncoding, !container.isEmpty,
            let name = parts[3].removingPercentEncoding, !name.isEmpty
        else { return nil }
        self.account = account
        self.container = container
        self.name = name
    }

    /// Swift refuses request lines over 8 KiB: a longer value is not one it wrote.
    static let maxHeaderBytes = 8192
}

extension ObjectInfo {
    /// Where a symlink points, decoded (names and account), when the object was read as
    /// the link itself (`?symlink=get`); `nil` for anything else. ``symlinkTarget`` is the
    /// header as sent.
    public var symlink: SymlinkTarget? {
        guard let header = symlinkTarget else { return nil }
        let account = headers.first { $0.name.lowercased() == "x-symlink-target-account" }?.value
        return SymlinkTarget(header: header, account: account)
    }

    /// The ETag a static symlink requires of its target (`X-Symlink-Target-Etag`), if any.
    public var symlinkTargetETag: String? {
        headers.first { $0.name.lowercased() == "x-symlink-target-etag" }?.value
            .trimmingCharacters(in: CharacterSet(charactersIn: "\""))
    }
}

extension CloudFilesClient {
    /// Creates (or replaces) a symlink: a zero-byte object whose reads Swift answers with
    /// its target's (`PUT` with `X-Symlink-Target`). Deleting the link never touches the
    /// target.
    ///
    /// - Parameters:
    ///   - name: the link's name.
    ///   - container: the link's container.
    ///   - target: the object it points at; with an `account`, in that account
    ///     (`X-Symlink-Target-Account`).
    ///   - targetETag: for a static link, the ETag the target must have
    ///     (`X-Symlink-Target-Etag`; the server checks it now and on every read). A
    ///     dynamic link (`nil`) may point at an object that does not exist yet.
    /// - Throws: `.invalidName` for a bad name, `.invalidArgument` for a bad account or
    ///   ETag, `.notFound` when the link's container does not exist, and the server's
    ///   error (409 for a static link whose target's ETag differs or is missing).
    public func createSymlink(
        _ name: String, in container: String, to target: SymlinkTarget, targetETag: String? = nil
    ) async throws {
        try Names.validateContainer(container)
        try Names.validateObject(name)
        try Names.validateContainer(target.container)
        try Names.validateObject(target.name)
        var headers = HTTPHeaders()
        headers.add(name: "X-Symlink-Target", value: target.headerValue)
        if let account = target.account {
            guard !account.isEmpty, !account.contains("/"), !account.utf8.contains(0),
                account.utf8.count <= Names.maxContainerNameBytes
            else {
                throw CloudFilesError.invalidArgument.with(
                    message: "invalid account name for a symlink target: \(Names.quoted(account))")
            }
            headers.add(name: "X-Symlink-Target-Account", value: Names.encodeContainer(account))
        }
        if let targetETag {
            guard !targetETag.isEmpty, targetETag.utf8.count <= 64,
                targetETag.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) })
            else {
                throw CloudFilesError.invalidArgument.with(
                    message: "invalid ETag for a static symlink: \(Names.quoted(targetETag))")
            }
            headers.add(name: "X-Symlink-Target-Etag", value: targetETag)
        }
        let request = StorageRequest(
            .PUT, .object(container: container, name: name), headers: headers, body: .bytes(ByteBuffer()))
        let reply: StorageResponse
        do {
            reply = try await send(request)
        } catch let error as CloudFilesError where error == .notFound {
            throw error.with(message: "container \(Names.quoted(container)) not found")
        }
        try await reply.drain()
    }
}
