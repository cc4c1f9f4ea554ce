import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// One request to the storage URL, before the token and the URL prefix are added.
struct StorageRequest: Sendable {
    /// What the request acts on.
    enum Target: Sendable {
        case account
        case container(String)
        case object(container: String, name: String)
        /// `GET /info` at the cluster root; sent without the token.
        case clusterInfo
    }

    /// The body, and whether it can be produced again for a retry.
    enum Body: Sendable {
        case none
        /// Bytes in memory; any number of sends.
        case bytes(ByteBuffer)
        /// A body that can be made again for each attempt (a file).
        case replayable(length: Int64?, make: @Sendable () -> HTTPClientRequest.Body)
        /// A one-shot stream; sent once, never retried.
        case oneShot(length: Int64?, HTTPClientRequest.Body)

        var canBeSentAgain: Bool {
            if case .oneShot = self { return false }
            return true
        }
    }

    var method: HTTPMethod
    var target: Target
    var query: [(String, String?)] = []
    var headers: HTTPHeaders = [:]
    var body: Body = .none

    /// Whether the token goes with the request.
    var sendsToken: Bool {
        if case .clusterInfo = target { return false }
        return true
    }

    init(
        _ method: HTTPMethod, _ target: Target, query: [(String, String?)] = [], headers: HTTPHeaders = [:],
        body: Body = .none
    ) {
        self.method = method
        self.target = target
        self.query = query
        self.headers = headers
        self.body = body
    }

    /// The percent-encoded path below the storage URL, starting with `/` (or empty).
    var encodedSubpath: String {
        switch target {
        case .account, .clusterInfo: return ""
        case .container(let container): return "/" + Names.encodeContainer(container)
        case .object(let container, let name):
            return "/" + Names.encodeContainer(container) + "/" + Names.encodeObject(name)
        }
    }

    var encodedQuery: String {
        query.map { key, value in
            value.map { Names.encodeQuery(key) + "=" + Names.encodeQuery($0) } ?? Names.encodeQuery(key)
        }.joined(separator: "&")
    }

    /// The full URL under `storageURL`.
    func url(storageURL: URL) -> String {
        if case .clusterInfo = target { return CloudFilesClient.infoURL(for: storageURL) }
        var url = storageURL.absoluteString + encodedSubpath
        let query = encodedQuery
        if !query.isEmpty { url += "?" + query }
        return url
    }

    /// The URL path (no scheme, host or query), as shown in errors.
    func path(storageURL: URL) -> String {
        if case .clusterInfo = target {
            return URLComponents(string: CloudFilesClient.infoURL(for: storageURL))?.percentEncodedPath ?? "/info"
        }
        var base = URLComponents(url: storageURL, resolvingAgainstBaseURL: false)?.percentEncodedPath ?? ""
        while base.hasSuffix("/") { base.removeLast() }
        return base + encodedSubpath
    }

    func httpBody() -> HTTPClientRequest.Body? {
        switch body {
        case .none: return nil
        case .bytes(let buffer): return .bytes(buffer)
        case .replayable(_, let make): return make()
        case .oneShot(_, let body): return body
        }
    }
}

/// A successful reply whose body has not been read yet. Read or ``drain()`` it.
struct StorageResponse: Sendable {
    var status: HTTPResponseStatus
    var headers: HTTPHeaders
    var body: HTTPClientResponse.Body
    var method: HTTPMethod
    var path: String

    var transactionID: String? { headers.first(name: "x-trans-id") }

    /// Reads and drops a small body so the connection can be reused. A body longer than
    /// ``ReplyBodyLimit/ignored`` is not read to its end: the connection is closed instead,
    /// so a server cannot keep the client reading.
    func drain() async throws {
        _ = try await body.prefix(upTo: ReplyBodyLimit.ignored)
    }

    /// The first bytes of an error reply, for its message; the rest is never read.
    func errorBody() async -> ByteBuffer? {
        try? await body.prefix(upTo: ReplyBodyLimit.error)
    }

    /// Collects the whole body; for JSON replies (listings, `/info`, bulk results).
    func collect(upTo limit: Int) async throws -> ByteBuffer {
        do {
            return try await body.collect(upTo: limit)
        } catch let error as NIOTooManyBytesError {
            throw CloudFilesError.invalidResponse
                .with(message: "the reply body is larger than \(limit) bytes (\(error))")
                .with(status: Int(status.code), method: method.rawValue, path: path, transactionID: transactionID)
        } catch {
            throw TransportError.map(error, method: method.rawValue, path: path)
        }
    }

    /// An error with this reply's context.
    func error(_ base: CloudFilesError, _ message: String) -> CloudFilesError {
        base.with(message: message)
            .with(status: Int(status.code), method: method.rawValue, path: path, transactionID: transactionID)
    }
}
