import Foundation
import NIOCore
import NIOHTTP1

/// How ``CloudFilesClient/copyObject(_:in:to:in:options:)`` copies an object.
public struct CopyOptions: Sendable, Hashable {
    /// What to do with a large object (a static or dynamic manifest).
    public enum LargeObjects: Sendable, Hashable {
        /// Copy the manifest (`?multipart-manifest=get`): the copy is a large object
        /// too and refers to the same segments; nothing else is copied. The default.
        case manifest
        /// Copy the joined content as one ordinary object (at most the cluster's
        /// `max_file_size`, 5 GiB by default).
        case whole
    }

    /// The account the source is in (`X-Copy-From-Account`, such as `AUTH_partner`);
    /// `nil` for the client's own.
    public var sourceAccount: String?
    /// The account the copy goes to (a `COPY` with `Destination-Account`); `nil` for the
    /// client's own. Only one of the two accounts may be given.
    public var destinationAccount: String?
    /// Metadata for the copy, over the source's (or alone with ``freshMetadata``).
    public var metadata: [String: String]
    /// Drop the source's metadata (`X-Fresh-Metadata`): the copy has only ``metadata``.
    public var freshMetadata: Bool
    /// The copy's content type; `nil` keeps the source's.
    public var contentType: String?
    /// Manifest or whole copy of a large object.
    public var largeObjects: LargeObjects

    /// Options; the defaults copy within the account, keep the source's metadata and
    /// content type, and copy a large object's manifest.
    public init(
        sourceAccount: String? = nil, destinationAccount: String? = nil, metadata: [String: String] = [:],
        freshMetadata: Bool = false, contentType: String? = nil, largeObjects: LargeObjects = .manifest
    ) {
        self.sourceAccount = sourceAccount
        self.destinationAccount = destinationAccount
        self.metadata = metadata
        self.freshMetadata = freshMetadata
        self.contentType = contentType
        self.largeObjects = largeObjects
    }
}

/// What ``CloudFilesClient/copyObject(_:in:to:in:options:)`` did.
public struct CopyResult: Sendable, Hashable {
    /// What kind of copy was made.
    public enum Kind: Sendable, Hashable {
        /// An ordinary object (or a large object's joined content): the bytes were copied.
        case object
        /// A static large object's manifest; the copy shares the source's segments.
        case staticManifest
        /// A dynamic large object's manifest (`X-Object-Manifest`, which the copy has too).
        case dynamicManifest(String)
    }

    /// What kind of copy was made.
    public var kind: Kind
    /// The copy's ETag, as the server answered it.
    public var etag: String

    /// Whether the copy is a manifest that shares segments with its source.
    public var sharesSegments: Bool { kind != .object }
}

extension CloudFilesClient {
    /// The user metadata key that marks a large object whose segments another manifest
    /// also uses (``copyObject(_:in:to:in:options:)`` sets it on both): deleting or
    /// replacing such an object keeps all its segments (``KeptSegments/Reason/shared``).
    public static let sharedSegmentsKey = "cfsh-shared-segments"

    /// Copies an object on the server; the bytes do not pass through the client.
    ///
    /// Within the account, a static or dynamic large object is copied as its manifest
    /// (`PUT ?multipart-manifest=get` with `X-Copy-From`), unless `options` asks for a
    /// whole copy: the copy refers to the same segments. Before that, the source is
    /// marked with ``sharedSegmentsKey`` (a `POST` that keeps its metadata, expiry and
    /// manifest), and so is the copy, so that deleting either one keeps the shared
    /// segments. A whole copy larger than the cluster's `max_file_size` is refused
    /// before any request that changes something.
    ///
    /// Across accounts (``CopyOptions/sourceAccount`` or ``CopyOptions/destinationAccount``)
    /// the copy is always whole: a manifest names its segments within its own account,
    /// so a copied manifest would point at segments that are not there.
    ///
    /// - Parameters:
    ///   - source: the source object's name.
    ///   - sourceContainer: the source container.
    ///   - name: the new object's name.
    ///   - container: the target container (may be the same).
    ///   - options: accounts, metadata, content type and large object handling.
    /// - Returns: what kind of copy was made, and its ETag.
    /// - Throws: `.notFound` when the source or a container does not exist,
    ///   `.forbidden` when an account does not let the user read the source or write the
    ///   copy, `.tooLarge` for a whole copy over the cluster's limit,
    ///   `.invalidArgument` for bad options.
    @discardableResult
    public func copyObject(
        _ source: String, in sourceContainer: String, to name: String, in container: String,
        options: CopyOptions
    ) async throws -> CopyResult {
        try Names.validateContainer(sourceContainer)
        try Names.validateObject(source)
        try Names.validateContainer(container)
        try Names.validateObject(name)
        if let account = options.sourceAccount { try Self.validateAccount(account) }
        if let account = options.destinationAccount { try Self.validateAccount(account) }
        if options.sourceAccount != nil && options.destinationAccount != nil {
            throw CloudFilesError.invalidArgument.with(
                message: "give the source account or the destination account, not both")
        }
        if let contentType = options.contentType {
            try Metadata.validate(key: "Content-Type", value: contentType)
        }
        let from = Names.quoted(
            (options.sourceAccount.map { $0 + ":" } ?? "") + sourceContainer + "/" + source)
        let to = Names.quoted((options.destinationAccount.map { $0 + ":" } ?? "") + container + "/" + name)
        let crossAccount = options.sourceAccount != nil || options.destinationAccount != nil

        // Within the account: what the source is, read as itself (a link is not followed).
        var kind = CopyResult.Kind.object
        var marker: [String: String] = [:]
        if options.sourceAccount == nil {
            let info = try await objectInfo(source, in: sourceContainer, followingSymlinks: false)
            let isManifest = info.symlinkTarget == nil && (info.isStaticLargeObject || info.dynamicManifest != nil)
            if isManifest && options.largeObjects == .manifest && !crossAccount {
                kind = info.dynamicManifest.map { CopyResult.Kind.dynamicManifest($0) } ?? .staticManifest
                marker[Self.sharedSegmentsKey] = "true"
                try await markSharedSegments(source, in: sourceContainer, info)
            } else {
                let limit = try await capabilities().maxFileSize
                let size = try await objectInfo(source, in: sourceContainer).contentLength ?? 0
                if size > limit {
                    throw CloudFilesError.tooLarge.with(
                        message:
                            "cannot copy \(from) to \(to) whole: it is \(size) bytes, over the cluster's limit of \(limit) bytes for one object"
                            + (isManifest && !crossAccount ? "; copy its manifest instead (without --whole)" : ""))
                }
            }
        }

        var headers = HTTPHeaders()
        if options.freshMetadata { headers.add(name: "X-Fresh-Metadata", value: "true") }
        if let contentType = options.contentType { headers.add(name: "Content-Type", value: contentType) }
        try Metadata.write(options.metadata.merging(marker) { _, mark in mark }, scope: .object, into: &headers)
        let request: StorageRequest
        if let account = options.destinationAccount {
            headers.add(name: "Destination", value: Names.encodeContainer(container) + "/" + Names.encodeObject(name))
            headers.add(name: "Destination-Account", value: Names.encodeContainer(account))
            request = StorageRequest(.COPY, .object(container: sourceContainer, name: source), headers: headers)
        } else {
            headers.add(
                name: "X-Copy-From",
                value: "/" + Names.encodeContainer(sourceContainer) + "/" + Names.encodeObject(source))
            if let account = options.sourceAccount {
                headers.add(name: "X-Copy-From-Account", value: Names.encodeContainer(account))
            }
            request = StorageRequest(
                .PUT, .object(container: container, name: name),
                query: kind == .object ? [] : [("multipart-manifest", "get")], headers: headers,
                body: .bytes(ByteBuffer()))
        }
        let reply: StorageResponse
        do {
            reply = try await send(request)
        } catch let error as CloudFilesError where error == .notFound {
            throw error.with(message: "cannot copy \(from) to \(to): the source or a container does not exist")
        } catch let error as CloudFilesError where error == .forbidden || error == .unauthorized {
            throw error.with(
                message:
                    "cannot copy \(from) to \(to): permission denied (\(error.status ?? 403)); "
                    + (crossAccount
                        ? "the other account must grant this user read access to the source container (X-Container-Read) or write access to the target container (X-Container-Write)"
                        : "this user cannot read the source or write the target"))
        } catch let error as CloudFilesError where error == .tooLarge {
            throw error.with(
                message:
                    "cannot copy \(from) to \(to) whole: it is over the cluster's limit for one object (413)"
                    + (crossAccount ? "; a large object cannot be copied across accounts by its manifest" : ""))
        }
        try await reply.drain()
        let etag = reply.headers.first(name: "etag")?.trimmingCharacters(in: CharacterSet(charactersIn: "\"")) ?? ""
        return CopyResult(kind: kind, etag: etag)
    }

    /// Marks a manifest as sharing its segments (``sharedSegmentsKey``) with a `POST`
    /// that sends back what a `POST` would otherwise drop: its user metadata, its
    /// `X-Object-Manifest`, expiry and the other headers the object server replaces.
    func markSharedSegments(_ name: String, in container: String, _ info: ObjectInfo) async throws {
        if info.metadata[Self.sharedSegmentsKey] != nil { return }
        var headers = HTTPHeaders()
        for header in [
            "X-Object-Manifest", "X-Delete-At", "Content-Disposition", "Content-Encoding", "Cache-Control",
            "Content-Language", "Expires", "X-Robots-Tag",
        ] {
            if let value = info.headers.first(where: { $0.name.lowercased() == header.lowercased() })?.value {
                headers.add(name: header, value: value)
            }
        }
        var metadata = info.metadata
        metadata[Self.sharedSegmentsKey] = "true"
        // The stored values went through a header once already: send them back as they are.
        for (key, value) in metadata.sorted(by: { $0.key < $1.key }) {
            headers.replaceOrAdd(name: "X-Object-Meta-" + key, value: value)
        }
        do {
            let reply = try await objectRequest(
                StorageRequest(.POST, .object(container: container, name: name), headers: headers), name, container)
            try await reply.drain()
        } catch let error as CloudFilesError where error == .forbidden || error == .unauthorized {
            throw error.with(
                message:
                    "cannot copy the manifest of \(Names.quoted(container + "/" + name)): this user cannot mark it as sharing its segments (\(error.status ?? 403)), which keeps a later delete of it from deleting the copy's segments; copy it whole instead"
            )
        }
    }

    /// Refuses an account name that cannot go in a header or a path segment.
    static func validateAccount(_ account: String) throws {
        guard !account.isEmpty, !account.contains("/"),
            !account.unicodeScalars.contains(where: { $0.value < 32 || $0.value == 127 })
        else {
            throw CloudFilesError.invalidArgument.with(
                message: "the account \(Names.quoted(account)) is not an account name (such as AUTH_partner)")
        }
    }
}

extension ObjectInfo {
    /// Whether this large object shares its segments with a manifest copy of it
    /// (``CloudFilesClient/sharedSegmentsKey``): deleting it keeps them all.
    public var sharesSegments: Bool { metadata[CloudFilesClient.sharedSegmentsKey] != nil }
}
