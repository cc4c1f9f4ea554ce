import Foundation
import NIOCore
import NIOHTTP1

/// The outcome of a bulk delete, summed over its batches.
public struct BulkDeleteResult: Sendable, Hashable {
    /// One item the server could not delete.
    public struct Failure: Sendable, Hashable {
        /// The `/container/object` path, as the server reported it.
        public var path: String
        /// The HTTP status for that item (409 for a non-empty container, …); 400 when the
        /// server gave a reason instead of a status, as in "Not an SLO manifest".
        public var status: Int
        /// What the server said of it: `409 Conflict`, `Not an SLO manifest`.
        public var message: String
    }

    /// How many items were deleted.
    public var deleted: Int = 0
    /// How many were already gone.
    public var notFound: Int = 0
    /// The items that failed.
    public var errors: [Failure] = []

    static func parse(_ body: ByteBuffer, reply: StorageResponse) throws -> BulkDeleteResult {
        guard let json = try? JSONSerialization.jsonObject(with: Data(body.readableBytesView)) as? [String: Any] else {
            throw reply.error(.invalidResponse, "the bulk delete report is not JSON")
        }
        var result = BulkDeleteResult()
        result.deleted = json["Number Deleted"] as? Int ?? 0
        result.notFound = json["Number Not Found"] as? Int ?? 0
        for item in json["Errors"] as? [[Any]] ?? [] where item.count >= 2 {
            let path = item[0] as? String ?? "?"
            let statusText = item[1] as? String ?? String(describing: item[1])
            result.errors.append(Failure(path: path, status: Int(statusText.prefix(3)) ?? 400, message: statusText))
        }
        // A request-level failure (a bad line, too many items) has no per-item errors.
        if let status = json["Response Status"] as? String, let code = Int(status.prefix(3)),
            !(200..<300).contains(code), result.errors.isEmpty
        {
            let detail = (json["Response Body"] as? String).map { ": " + $0 } ?? ""
            throw reply.error(
                CloudFilesError.forStatus(code, method: "POST"), "bulk delete failed with \(status)\(detail)")
        }
        return result
    }
}

/// A container, or an object in one, named for a bulk delete.
public struct StoragePath: Sendable, Hashable {
    /// The container.
    public var container: String
    /// The object, or `nil` for the container itself (which must be empty).
    public var object: String?

    /// Names an object, or a container when `object` is `nil`.
    public init(container: String, object: String? = nil) {
        self.container = container
        self.object = object
    }
}

extension CloudFilesClient {
    /// Deletes many objects (and empty containers) with `POST ?bulk-delete`, in batches.
    ///
    /// Requires the `bulk_delete` middleware (see ``Capabilities/bulkDelete``). Items
    /// already gone count as ``BulkDeleteResult/notFound``, not as errors.
    ///
    /// - Parameters:
    ///   - paths: what to delete; containers after their objects.
    ///   - batchSize: items per request; at most the cluster's `max_deletes_per_request`.
    /// - Returns: the totals over all batches.
    /// - Throws: `.invalidName`, or a request-level failure.
    public func bulkDelete(_ paths: [StoragePath], batchSize: Int = 10_000) async throws -> BulkDeleteResult {
        var total = BulkDeleteResult()
        var start = 0
        while start < paths.count {
            let batch = paths[start..<min(paths.count, start + max(1, batchSize))]
            start = batch.endIndex
            var body = ByteBuffer()
            for path in batch {
                try Names.validateContainer(path.container)
                var line = "/" + Names.encodeContainer(path.container)
                if let object = path.object {
                    try Names.validateObject(object)
                    line += "/" + Names.encodeObject(object)
                }
                body.writeString(line + "\n")
            }
            var headers = HTTPHeaders()
            headers.add(name: "Content-Type", value: "text/plain")
            headers.add(name: "Accept", value: "application/json")
            let reply = try await send(
                StorageRequest(.POST, .account, query: [("bulk-delete", nil)], headers: headers, body: .bytes(body)))
            let result = try BulkDeleteResult.parse(try await reply.collect(upTo: 16 * 1024 * 1024), reply: reply)
            total.deleted += result.deleted
            total.notFound += result.notFound
            total.errors += result.errors
        }
        return total
    }
}
