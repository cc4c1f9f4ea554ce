import AsyncHTTPClient
import CFSHTestSupport
import Foundation
import NIOCore

/// Rules for scripts/fault-proxy.py (port 8090), which sits in front of the real proxy and
/// injects the faults a test asks for on paths containing a unique string.
enum FaultProxy {
    static let controlURL = LocalServer.faultProxyControlURL

    /// A fault for the next `times` requests whose path contains `match`.
    struct Rule: Encodable {
        var match: String
        var method: String?
        var status: Int?
        var times: Int = 1
        var retry_after: String?
        var drop: Bool?
        var truncate_after: Int?
        var corrupt_at: Int?
    }

    static func add(_ rule: Rule) async throws {
        var request = HTTPClientRequest(url: controlURL)
        request.method = .POST
        request.body = .bytes(ByteBuffer(data: try JSONEncoder().encode(rule)))
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
        _ = try await response.body.collect(upTo: 1 << 20)
        guard response.status == .ok else {
            throw FaultProxyError(message: "adding a rule answered \(response.status)")
        }
    }

    /// Starts counting requests with `match` in their path, from zero.
    static func startCounting(_ match: String) async throws {
        try await clear(match)
        try await add(Rule(match: match, times: 0))
    }

    /// How many requests with `match` in their path the proxy has seen.
    static func hits(_ match: String) async throws -> Int {
        let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: controlURL), timeout: .seconds(10))
        let body = try await response.body.collect(upTo: 1 << 20)
        let json = try JSONSerialization.jsonObject(with: Data(body.readableBytesView)) as? [String: Any]
        return (json?["hits"] as? [String: Any])?[match] as? Int ?? 0
    }

    /// Removes the rules and counts of `match`.
    static func clear(_ match: String) async throws {
        var request = HTTPClientRequest(url: controlURL + "?match=" + match)
        request.method = .DELETE
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
        _ = try await response.body.collect(upTo: 1 << 20)
    }
}

struct FaultProxyError: Error, CustomStringConvertible {
    var message: String
    var description: String { "fault proxy (scripts/fault-proxy.py on 8090): \(message)" }
}
