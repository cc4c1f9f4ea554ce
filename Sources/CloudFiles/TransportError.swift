import AsyncHTTPClient
import NIOCore
import NIOPosix

/// Turns transport failures (AsyncHTTPClient, NIO, POSIX) into ``CloudFilesError``s.
enum TransportError {
    /// Maps any error thrown while sending a request. Cancellation and our own errors pass
    /// through unchanged.
    static func map(_ error: any Error, method: String, path: String) -> any Error {
        if error is CancellationError { return error }
        if let error = error as? CloudFilesError { return error }
        if let error = error as? HTTPClientError {
            if error == .cancelled { return CancellationError() }
            let timeouts: [HTTPClientError] = [
                .readTimeout, .writeTimeout, .connectTimeout, .deadlineExceeded,
                .getConnectionFromPoolTimeout, .tlsHandshakeTimeout,
            ]
            if timeouts.contains(error) {
                return CloudFilesError.timeout
                    .with(message: "timed out: \(error.shortDescription)")
                    .with(method: method, path: path)
            }
        }
        return CloudFilesError.network
            .with(message: "network error: \(RequestLog.shortDescription(error))")
            .with(method: method, path: path)
    }

    /// Whether a transport error means the connection failed or dropped, so that sending the
    /// request again may succeed.
    static func isRetryable(_ error: any Error) -> Bool {
        if let error = error as? CloudFilesError {
            return error == .network || error == .timeout
        }
        return false
    }
}
