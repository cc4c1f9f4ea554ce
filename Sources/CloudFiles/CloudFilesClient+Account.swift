import Foundation
import NIOHTTP1

/// What an account HEAD tells: totals and metadata.
public struct AccountInfo: Sendable {
    /// How many containers the account has.
    public var containerCount: Int64
    /// How many objects, in all containers. Swift updates it asynchronously, so it can lag
    /// a second or more behind writes.
    public var objectCount: Int64
    /// Bytes stored, in all containers (lags like ``objectCount``).
    public var bytesUsed: Int64
    /// User metadata (`X-Account-Meta-*`), keys lowercased, without the prefix.
    public var metadata: [String: String]
    /// The byte quota, if the account has one (`X-Account-Meta-Quota-Bytes`).
    public var quotaBytes: Int64?
    /// Every reply header, for a full `stat`. The token is not among them.
    public var headers: [(name: String, value: String)]
    /// The transaction id of the HEAD.
    public var transactionID: String?
}

extension CloudFilesClient {
    /// Reads the account's totals and metadata (`HEAD` on the storage URL).
    ///
    /// - Throws: ``CloudFilesError`` (`.unauthorized`, `.forbidden`, `.network`, …).
    public func accountInfo() async throws -> AccountInfo {
        let reply = try await send(StorageRequest(.HEAD, .account))
        try await reply.drain()
        let headers = reply.headers
        return AccountInfo(
            containerCount: headers.int64("x-account-container-count") ?? 0,
            objectCount: headers.int64("x-account-object-count") ?? 0,
            bytesUsed: headers.int64("x-account-bytes-used") ?? 0,
            metadata: Metadata.read(headers, scope: .account),
            quotaBytes: headers.int64("x-account-meta-quota-bytes"),
            headers: headers.map { (name: $0.name, value: $0.value) },
            transactionID: reply.transactionID
        )
    }

    /// Sets and removes account metadata (`POST` on the storage URL). Keys not named are
    /// kept.
    ///
    /// - Parameters:
    ///   - set: metadata to add or replace.
    ///   - remove: metadata names to delete.
    /// - Throws: ``CloudFilesError`` (`.forbidden` without admin rights, …).
    public func updateAccountMetadata(set: [String: String] = [:], remove: [String] = []) async throws {
        var headers = HTTPHeaders()
        try Metadata.write(set, remove: remove, scope: .account, into: &headers)
        let reply = try await send(StorageRequest(.POST, .account, headers: headers))
        try await reply.drain()
    }
}
