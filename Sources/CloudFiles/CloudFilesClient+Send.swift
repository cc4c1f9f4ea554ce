import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1

extension CloudFilesClient {
    /// Sends a storage request with the current token, retrying as the policy allows and
    /// re-authenticating once after a 401.
    ///
    /// - Returns: the reply, for a 2xx status; its body is unread.
    /// - Throws: a ``CloudFilesError`` for any other status, with the request's context.
    func send(_ request: StorageRequest) async throws -> StorageResponse {
        var reauthenticated = false
        return try await configuration.retryPolicy.run(
            bodyCanBeSentAgain: request.body.canBeSentAgain, logger: logger
        ) { attempt in
            let session = try await tokens.session()
            let url = request.url(storageURL: session.storageURL)
            let path = request.path(storageURL: session.storageURL)
            var http = HTTPClientRequest(url: url)
            http.method = request.method
            http.headers = request.headers
            if request.sendsToken { http.headers.replaceOrAdd(name: "X-Auth-Token", value: session.token) }
            http.headers.replaceOrAdd(name: "User-Agent", value: configuration.userAgent)
            http.body = request.httpBody()
            switch request.body {
            case .replayable(let length?, _), .oneShot(let length?, _):
                http.headers.replaceOrAdd(name: "Content-Length", value: String(length))
            case .bytes(let buffer):
                http.headers.replaceOrAdd(name: "Content-Length", value: String(buffer.readableBytes))
            default:
                break
            }

            let started = ContinuousClock.now
            let response: HTTPClientResponse
            do {
                response = try await httpClient.execute(http, deadline: .distantFuture, logger: logger.forTransport)
            } catch {
                RequestLog.finished(
                    logger, method: request.method, url: url, status: nil, headers: nil,
                    started: started, error: error)
                let mapped = TransportError.map(error, method: request.method.rawValue, path: path, url: url)
                let final = (mapped as? CloudFilesError)?.with(attempts: attempt.number) ?? mapped
                return .failure(
                    .transport(mapped), request: "\(request.method.rawValue) \(url)", final: .failure(final))
            }
            RequestLog.finished(
                logger, method: request.method, url: url, status: response.status,
                headers: response.headers, started: started)
            let status = Int(response.status.code)
            let reply = StorageResponse(
                status: response.status, headers: response.headers, body: response.body,
                method: request.method, path: path)

            if (200..<300).contains(status) { return .success(reply) }

            // A DELETE whose earlier attempt may have worked: the object being gone is success.
            if status == 404, request.method == .DELETE, attempt.outcomeUnknown {
                return .success(reply)
            }

            if status == 401, request.sendsToken {
                // Whatever happens next, this token is dead for every request.
                await tokens.invalidate(token: session.token)
                if !reauthenticated, request.body.canBeSentAgain {
                    reauthenticated = true
                    _ = await reply.errorBody()
                    // A re-authentication is not a retry.
                    logger.debug("401 on \(request.method.rawValue) \(url): authenticating again")
                    return .again
                }
            }

            // The body is read a few KiB at most, whether or not the request is sent again:
            // a server must not keep us reading an endless 503.
            return .failure(
                .status(status, retryAfter: response.headers.first(name: "retry-after")),
                request: "\(request.method.rawValue) \(url)",
                final: .failure(await failure(reply, attempts: attempt.number)))
        }
    }

    /// The error for a non-2xx reply, with a message from its body when the body says more
    /// than the status.
    private func failure(_ reply: StorageResponse, attempts: Int) async -> CloudFilesError {
        let status = Int(reply.status.code)
        var message = "\(status) \(reply.status.reasonPhrase)"
        if let body = await reply.errorBody() {
            let text = Self.plainText(String(buffer: body))
            if !text.isEmpty, text.lowercased() != reply.status.reasonPhrase.lowercased() {
                message += ": " + String(text.prefix(300))
            }
        }
        return CloudFilesError.forStatus(status, method: reply.method.rawValue)
            .with(message: message)
            .with(status: status, method: reply.method.rawValue, path: reply.path, transactionID: reply.transactionID)
            .with(attempts: attempts)
    }

    /// Swift's error bodies are small HTML pages; keep their words.
    static func plainText(_ html: String) -> String {
        var text = ""
        var inTag = false
        for character in html {
            if character == "<" {
                inTag = true
                text.append(" ")
                continue
            }
            if character == ">" {
                inTag = false
                continue
            }
            if !inTag { text.append(character) }
        }
        return text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }
}
