import AsyncHTTPClient
import NIOCore
import NIOPosix
import NIOSSL

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
        if isTLSHandshakeFailure(error) {
            return CloudFilesError.tlsFailure
                .with(
                    message:
                        "TLS handshake failed, so the server's certificate is not trusted or the connection is not secure: \(RequestLog.shortDescription(error))"
                )
                .with(method: method, path: path)
        }
        return CloudFilesError.network
            .with(message: "network error: \(RequestLog.shortDescription(error))")
            .with(method: method, path: path)
    }

    /// Whether `error` is swift-nio-ssl's report of a failed handshake: a certificate the
    /// trust store refuses, a host name it does not name, or no common protocol. A TLS error
    /// after the handshake (an unclean shutdown) stays a network error.
    static func isTLSHandshakeFailure(_ error: any Error) -> Bool {
        switch error {
        case is NIOSSLExtraError:  // e.g. failedToValidateHostname
            return true
        case NIOSSLError.handshakeFailed:
            return true
        // A refused certificate may also come as an SSL error stack whose BoringSSL reason
        // is CERTIFICATE_VERIFY_FAILED; NIOSSL gives that reason only as text.
        case let error as NIOSSLError:
            return String(describing: error).contains("CERTIFICATE_VERIFY_FAILED")
        case let error as BoringSSLError:
            return String(describing: error).contains("CERTIFICATE_VERIFY_FAILED")
        default:
            return false
        }
    }
}
