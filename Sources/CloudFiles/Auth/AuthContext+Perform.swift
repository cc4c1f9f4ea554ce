import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1

/// The reply to an identity request, with its body collected (identity replies are small).
public struct AuthResponse: Sendable {
    /// The HTTP status.
    public var status: HTTPResponseStatus
    /// The reply headers. They may hold the token (`X-Subject-Token`, `X-Auth-Token`).
    public var headers: HTTPHeaders
    /// The whole reply body (at most ``AuthContext/maxResponseBytes``).
    public var body: ByteBuffer

    /// Creates a reply; mostly for tests of providers.
    public init(status: HTTPResponseStatus, headers: HTTPHeaders, body: ByteBuffer) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The server's transaction id (`X-Trans-Id` or `X-Openstack-Request-Id`), if any.
    public var transactionID: String? {
        headers.first(name: "x-trans-id") ?? headers.first(name: "x-openstack-request-id")
    }

    /// An `.authenticationFailed` error that names this reply's status and transaction id.
    ///
    /// - Parameters:
    ///   - message: what failed, without any secret.
    ///   - method: the request's method.
    ///   - url: the identity URL (its path is kept, its query dropped).
    public func authenticationError(_ message: String, method: HTTPMethod, url: String) -> CloudFilesError {
        CloudFilesError.authenticationFailed
            .with(message: message)
            .with(
                status: Int(status.code), method: method.rawValue,
                path: URLComponents(string: url)?.path ?? url, transactionID: transactionID)
    }
}

extension AuthContext {
    /// The largest identity reply accepted (Keystone catalogs can be large, but not this large).
    public static let maxResponseBytes = 8 * 1024 * 1024

    /// Sends one identity request and returns its reply, whatever the status.
    ///
    /// The request is logged at debug level like storage requests, with credentials in
    /// headers redacted. The body is never logged, so it may carry a password. Like
    /// storage requests, it is sent again after a 5xx, 408, 429 or 498 reply or a dropped
    /// connection, as ``retryPolicy`` allows; the last reply is returned.
    ///
    /// - Parameters:
    ///   - method: the HTTP method.
    ///   - url: the absolute URL.
    ///   - headers: request headers.
    ///   - body: the request body, if any (JSON for Keystone and Rackspace).
    /// - Returns: the reply, with its body collected.
    /// - Throws: `.network` or `.timeout` when no complete reply arrived.
    public func perform(
        method: HTTPMethod,
        url: String,
        headers: HTTPHeaders = [:],
        body: ByteBuffer? = nil
    ) async throws -> AuthResponse {
        var request = HTTPClientRequest(url: url)
        request.method = method
        request.headers = headers
        if request.headers.first(name: "user-agent") == nil {
            request.headers.add(name: "User-Agent", value: userAgent)
        }
        if let body { request.body = .bytes(body) }
        let path = URLComponents(string: url)?.path ?? url
        return try await retryPolicy.run(logger: logger) { _ in
            let started = ContinuousClock.now
            let reply: AuthResponse
            do {
                let response = try await httpClient.execute(
                    request, timeout: .nanoseconds(requestTimeout.nanoseconds), logger: logger.forTransport)
                // Only a success carries a token and catalog; any other reply is read a few
                // KiB at most, for its message, so an endless error body cannot hold us.
                let collected: ByteBuffer
                if (200..<300).contains(response.status.code) {
                    do {
                        collected = try await response.body.collect(upTo: Self.maxResponseBytes)
                    } catch is NIOTooManyBytesError {
                        throw CloudFilesError.invalidResponse
                            .with(message: "the identity reply is larger than \(Self.maxResponseBytes) bytes")
                            .with(
                                status: Int(response.status.code), method: method.rawValue, path: path,
                                transactionID: nil)
                    }
                } else {
                    collected = try await response.body.prefix(upTo: ReplyBodyLimit.error)
                }
                RequestLog.finished(
                    logger, method: method, url: url, status: response.status,
                    headers: response.headers, started: started)
                reply = AuthResponse(status: response.status, headers: response.headers, body: collected)
            } catch {
                RequestLog.finished(
                    logger, method: method, url: url, status: nil, headers: nil,
                    started: started, error: error)
                let mapped = TransportError.map(error, method: method.rawValue, path: path, url: url)
                return .failure(.transport(mapped), request: "\(method.rawValue) \(url)", final: .failure(mapped))
            }
            if (200..<300).contains(reply.status.code) { return .success(reply) }
            // The last reply is returned whatever its status: the provider says what it means.
            return .failure(
                .status(Int(reply.status.code), retryAfter: reply.headers.first(name: "retry-after")),
                request: "\(method.rawValue) \(url)", final: .success(reply))
        }
    }
}

extension Duration {
    /// The duration in whole nanoseconds, saturating.
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        let (product, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        if overflow { return seconds < 0 ? .min : .max }
        return product.addingReportingOverflow(attoseconds / 1_000_000_000).partialValue
    }

    /// The duration in seconds, as a `Double`.
    var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
