import Foundation

/// The one error type of `CloudFiles`: what went wrong, and on which request.
///
/// Compare with the static members, which ignore the context:
///
/// ```swift
/// do { try await client.deleteContainer("photos") }
/// catch let error as CloudFilesError where error == .containerNotEmpty { … }
/// ```
///
/// `description` is meant for users: it names the request and the server's
/// `X-Trans-Id`, which is what a provider's support desk asks for. It never contains a
/// token, key or password.
public struct CloudFilesError: Error, Sendable, Equatable, CustomStringConvertible {
    private enum Code: String, Sendable, Equatable {
        case notFound, containerNotEmpty, conflict, unauthorized, forbidden
        case authenticationFailed, checksumMismatch, lengthMismatch, preconditionFailed
        case invalidName, invalidArgument, badRequest, tooLarge, rangeNotSatisfiable
        case rateLimited, server, network, timeout, invalidResponse, unexpectedStatus
        case localFile, notRetryable, tlsFailure, connectionRefused, unknownHost
    }

    private let code: Code
    /// The HTTP status of the failed reply, or `nil` when no reply came (network errors,
    /// names refused before sending, local file errors).
    public private(set) var status: Int?
    /// The HTTP method of the failed request (`GET`, `PUT`, …).
    public private(set) var method: String?
    /// The URL path of the failed request, percent-encoded as sent, without the query.
    public private(set) var path: String?
    /// The server's `X-Trans-Id` for the failed request: quote it to your provider.
    public private(set) var transactionID: String?
    /// A sentence saying what went wrong, for users.
    public private(set) var message: String
    /// How many times the request was sent before giving up (1 when it was not retried).
    public private(set) var attempts: Int = 1
    /// Whether no connection could be made at all (refused, unknown host, no route, connect
    /// timeout), so the request never reached the server.
    public private(set) var isConnectFailure = false

    private init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// Two errors are equal when they are the same kind; the context is not compared.
    public static func == (lhs: CloudFilesError, rhs: CloudFilesError) -> Bool {
        lhs.code == rhs.code
    }

    /// A stable, short name of the kind of error (`notFound`, `containerNotEmpty`, …),
    /// for scripts and exit codes.
    public var kind: String { code.rawValue }

    /// Whether the error came from the network (no usable reply), as opposed to the server
    /// answering with an error status.
    public var isNetworkError: Bool {
        code == .network || code == .timeout || code == .connectionRefused || code == .unknownHost
    }

    /// The user-facing text: message, request and transaction id.
    public var description: String {
        var text = message
        var request: [String] = []
        if let status { request.append(String(status)) }
        if let method, let path { request.append("\(method) \(path)") }
        if !request.isEmpty { text += " (" + request.joined(separator: " ") + ")" }
        if attempts > 1 { text += " after \(attempts) attempts" }
        if let transactionID { text += " [X-Trans-Id: \(transactionID)]" }
        return text
    }

    // MARK: - Kinds

    /// The account, container or object does not exist (404).
    public static let notFound = CloudFilesError(.notFound, "not found")
    /// The container still holds objects and cannot be deleted (409 on container DELETE).
    public static let containerNotEmpty = CloudFilesError(.containerNotEmpty, "container is not empty")
    /// The server refused the request because of a conflicting state (409, other than a
    /// non-empty container).
    public static let conflict = CloudFilesError(.conflict, "conflict")
    /// The token was refused even after authenticating again (401).
    public static let unauthorized = CloudFilesError(.unauthorized, "unauthorized")
    /// The credentials are valid but do not allow this (403).
    public static let forbidden = CloudFilesError(.forbidden, "forbidden")
    /// The identity service refused the credentials, or answered without a token.
    public static let authenticationFailed = CloudFilesError(.authenticationFailed, "authentication failed")
    /// The bytes received by one side differ from the bytes sent by the other (422 on PUT
    /// with `ETag`, or an MD5 that does not match the `ETag`).
    public static let checksumMismatch = CloudFilesError(.checksumMismatch, "checksum mismatch")
    /// A body was shorter or longer than its `Content-Length` said.
    public static let lengthMismatch = CloudFilesError(.lengthMismatch, "length mismatch")
    /// A condition such as `If-Match` or `If-None-Match` did not hold (412).
    public static let preconditionFailed = CloudFilesError(.preconditionFailed, "precondition failed")
    /// A container or object name that Swift would refuse; nothing was sent.
    public static let invalidName = CloudFilesError(.invalidName, "invalid name")
    /// An argument the client refuses before sending (a bad range, a bad header, …).
    public static let invalidArgument = CloudFilesError(.invalidArgument, "invalid argument")
    /// The server refused the request as malformed (400, 411).
    public static let badRequest = CloudFilesError(.badRequest, "bad request")
    /// The object or metadata is larger than the cluster allows (413).
    public static let tooLarge = CloudFilesError(.tooLarge, "too large")
    /// The requested range lies outside the object (416).
    public static let rangeNotSatisfiable = CloudFilesError(.rangeNotSatisfiable, "range not satisfiable")
    /// The server asked the client to slow down (429, or Swift's 498), and retries ran out.
    public static let rateLimited = CloudFilesError(.rateLimited, "rate limited")
    /// The server failed (5xx), and retries ran out.
    public static let server = CloudFilesError(.server, "server error")
    /// The connection failed or dropped before a complete reply arrived.
    public static let network = CloudFilesError(.network, "network error")
    /// Nothing listens at the host and port (the connection was refused). A second try would
    /// be refused the same way, so it is final.
    public static let connectionRefused = CloudFilesError(.connectionRefused, "connection refused")
    /// The host name does not resolve (no such name, or no address for it). Final, like a
    /// refusal.
    public static let unknownHost = CloudFilesError(.unknownHost, "unknown host")
    /// The TLS handshake failed: a certificate that is not trusted or does not name the
    /// host, or no protocol in common. A second try would fail the same way, so it is final.
    public static let tlsFailure = CloudFilesError(.tlsFailure, "TLS failure")
    /// No reply arrived in time.
    public static let timeout = CloudFilesError(.timeout, "timed out")
    /// The server's reply could not be understood (bad JSON, missing headers).
    public static let invalidResponse = CloudFilesError(.invalidResponse, "invalid response")
    /// A status the client has no meaning for.
    public static let unexpectedStatus = CloudFilesError(.unexpectedStatus, "unexpected status")
    /// A local file could not be read, written or renamed.
    public static let localFile = CloudFilesError(.localFile, "local file error")
    /// The request failed and its body cannot be sent again (a one-shot stream).
    public static let notRetryable = CloudFilesError(
        .notRetryable, "the request failed and its body cannot be sent again")

    // MARK: - Context

    /// A copy with another message.
    public func with(message: String) -> CloudFilesError {
        var copy = self
        copy.message = message
        return copy
    }

    /// A copy with the request context filled in.
    public func with(
        status: Int? = nil,
        method: String? = nil,
        path: String? = nil,
        transactionID: String? = nil
    ) -> CloudFilesError {
        var copy = self
        if let status { copy.status = status }
        if let method { copy.method = method }
        if let path { copy.path = path }
        if let transactionID { copy.transactionID = transactionID }
        return copy
    }

    func with(attempts: Int) -> CloudFilesError {
        var copy = self
        copy.attempts = attempts
        return copy
    }

    /// A copy that says no connection could be made to `endpoint` (`host:port`), and why:
    /// `cannot connect to 127.0.0.1:8099 (connection refused)`.
    func connectFailure(to endpoint: String, because reason: String) -> CloudFilesError {
        var copy = self
        copy.message = "cannot connect to \(endpoint) (\(reason))"
        copy.isConnectFailure = true
        return copy
    }

    /// The error kind for an HTTP status, with a default message.
    static func forStatus(_ status: Int, method: String) -> CloudFilesError {
        switch status {
        case 400, 411: return .badRequest
        case 401: return .unauthorized.with(message: "the token was refused")
        case 403: return .forbidden.with(message: "access denied")
        case 404: return .notFound
        case 409: return .conflict
        case 412: return .preconditionFailed
        case 413: return .tooLarge
        case 416: return .rangeNotSatisfiable
        case 422:
            return .checksumMismatch.with(message: "the server refused the body: its MD5 does not match the ETag sent")
        case 429, 498: return .rateLimited
        case 500...599: return .server
        default: return .unexpectedStatus
        }
    }
}
