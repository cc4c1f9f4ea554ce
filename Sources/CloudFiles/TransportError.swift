import AsyncHTTPClient
import Foundation
import NIOCore
import NIOPosix
import NIOSSL

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Turns transport failures (AsyncHTTPClient, NIO, POSIX) into ``CloudFilesError``s.
enum TransportError {
    /// Maps any error thrown while sending a request. Cancellation and our own errors pass
    /// through unchanged, and so does anything thrown once the calling task is cancelled
    /// (AsyncHTTPClient then reports the last connection failure instead of the cancellation).
    ///
    /// A connection that could not be made names its host and port, with the reason in
    /// words: `cannot connect to 127.0.0.1:8099 (connection refused)`.
    ///
    /// - Parameter url: the request's URL, for the host and port of a failed connection.
    static func map(_ error: any Error, method: String, path: String, url: String? = nil) -> any Error {
        if error is CancellationError || Task.isCancelled { return CancellationError() }
        if let error = error as? CloudFilesError { return error }
        let endpoint = url.flatMap(Self.endpoint(of:))
        if let endpoint, let failure = connectFailure(error, endpoint: endpoint) { return failure }
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
        let peer = endpoint.map { " with \($0)" } ?? ""
        return CloudFilesError.network
            .with(message: "network error\(peer): \(describe(error))")
            .with(method: method, path: path)
    }

    /// The error for a connection that could not be made to `endpoint`, or `nil` when
    /// `error` is not one: refused, unknown host, no route, or a connect timeout.
    static func connectFailure(_ error: any Error, endpoint: String) -> CloudFilesError? {
        switch error {
        case let error as HTTPClientError where error == .connectTimeout:
            return CloudFilesError.timeout.connectFailure(to: endpoint, because: "timed out")
        case ChannelError.connectTimeout:
            return CloudFilesError.timeout.connectFailure(to: endpoint, because: "timed out")
        case let error as NIOConnectionError:
            // Every address was tried: the first refusal, unreachable route or timeout tells.
            let failures = error.connectionErrors.map(\.error)
            if !failures.isEmpty {
                if failures.allSatisfy({ errno(of: $0) == ECONNREFUSED }) {
                    return CloudFilesError.connectionRefused.connectFailure(to: endpoint, because: "connection refused")
                }
                for failure in failures {
                    if let mapped = connectFailure(failure, endpoint: endpoint) { return mapped }
                }
                return CloudFilesError.network.connectFailure(to: endpoint, because: describe(failures[0]))
            }
            if let dns = error.dnsAError ?? error.dnsAAAAError {
                return connectFailure(dns, endpoint: endpoint)
                    ?? CloudFilesError.network.connectFailure(to: endpoint, because: "DNS error: \(describe(dns))")
            }
            return nil
        case let error as SocketAddressError.UnknownHost:
            // A name server that cannot answer now may answer later; a name that does not
            // exist (or has no address) will not appear on a second try.
            if error.errorCode == Int(EAI_AGAIN) {
                return CloudFilesError.network.connectFailure(
                    to: endpoint, because: "name lookup failed for now: \(error.errorDescription.lowercased())")
            }
            return CloudFilesError.unknownHost.connectFailure(to: endpoint, because: "unknown host")
        case let error as IOError:
            switch error.errnoCode {
            case ECONNREFUSED:
                return CloudFilesError.connectionRefused.connectFailure(to: endpoint, because: "connection refused")
            case ENETUNREACH, EHOSTUNREACH, EADDRNOTAVAIL:
                return CloudFilesError.network.connectFailure(to: endpoint, because: strerrorText(error.errnoCode))
            default:
                return nil
            }
        default:
            return nil
        }
    }

    /// `host:port` of a URL, with the scheme's default port, and an IPv6 address in brackets.
    static func endpoint(of url: String) -> String? {
        guard let components = URLComponents(string: url), var host = components.host, !host.isEmpty else {
            return nil
        }
        if host.contains(":"), !host.hasPrefix("[") { host = "[\(host)]" }
        let port = components.port ?? (components.scheme?.lowercased() == "https" ? 443 : 80)
        return "\(host):\(port)"
    }

    /// The POSIX error number of a NIO error, if it carries one.
    private static func errno(of error: any Error) -> Int32? {
        (error as? IOError)?.errnoCode
    }

    /// A transport error in a few words: the system's text for a POSIX error (NIO's own
    /// description of an `IOError` has an unbalanced parenthesis), else the error's.
    static func describe(_ error: any Error) -> String {
        if let error = error as? IOError { return strerrorText(error.errnoCode) }
        if let error = error as? HTTPClientError { return error.shortDescription.lowercased() }
        return RequestLog.shortDescription(error)
    }

    private static func strerrorText(_ code: Int32) -> String {
        String(cString: strerror(code)).lowercased()
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
