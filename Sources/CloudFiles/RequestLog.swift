import AsyncHTTPClient
import Foundation
import Logging
import NIOHTTP1

extension Logger {
    /// The logger handed to AsyncHTTPClient: at most `info`. At `trace` it logs whole
    /// request and reply heads, `X-Auth-Token` included, and at `debug` one line per
    /// connection-pool step; our own line per request says what matters.
    var forTransport: Logger {
        var logger = self
        logger.logLevel = Swift.max(logger.logLevel, .info)
        return logger
    }
}

/// Debug logging of requests, and the one place that knows which headers are secret.
enum RequestLog {
    /// Headers whose values are credentials. Compared case-insensitively.
    static let secretHeaders: Set<String> = [
        "x-auth-token", "x-auth-key", "x-subject-token", "x-storage-token", "x-auth-user-key",
        "x-storage-pass", "authorization", "x-auth-new-token", "x-service-token",
        "proxy-authorization", "cookie", "set-cookie",
        // Temp URL keys: whoever holds one can sign URLs for the account or container.
        "x-account-meta-temp-url-key", "x-account-meta-temp-url-key-2",
        "x-container-meta-temp-url-key", "x-container-meta-temp-url-key-2",
    ]

    /// The headers as `name: value` lines, with every secret value replaced.
    static func redacted(_ headers: HTTPHeaders) -> String {
        headers.map { name, value in
            secretHeaders.contains(name.lowercased()) ? "\(name): <redacted>" : "\(name): \(value)"
        }.joined(separator: ", ")
    }

    /// Logs one finished request at debug level: method, URL, status, duration, trans id.
    static func finished(
        _ logger: Logger,
        method: HTTPMethod,
        url: String,
        status: HTTPResponseStatus?,
        headers: HTTPHeaders?,
        started: ContinuousClock.Instant,
        error: (any Error)? = nil
    ) {
        guard logger.logLevel <= .debug else { return }
        let elapsed = ContinuousClock.now - started
        let millis =
            Double(elapsed.components.seconds) * 1000
            + Double(elapsed.components.attoseconds) / 1e15
        let duration = String(format: "%.1f ms", millis)
        let outcome: String
        if let status {
            outcome = "\(status.code)"
        } else if let error {
            outcome = "failed (\(shortDescription(error)))"
        } else {
            outcome = "failed"
        }
        var message = "\(method.rawValue) \(url) → \(outcome) in \(duration)"
        if let id = headers?.first(name: "x-trans-id") { message += " [\(id)]" }
        logger.debug("\(message)")
        if logger.logLevel <= .trace, let headers {
            logger.trace("reply headers: \(redacted(headers))")
        }
    }

    /// A one-line description of a transport error that cannot leak request headers.
    static func shortDescription(_ error: any Error) -> String {
        if let error = error as? HTTPClientError { return error.shortDescription }
        if let error = error as? CloudFilesError { return error.description }
        return String(describing: type(of: error)) + ": " + String(describing: error)
    }
}
