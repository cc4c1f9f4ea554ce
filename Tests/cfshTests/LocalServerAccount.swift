import CFSHTestSupport
import Foundation
import Testing

/// The main test account seen through `curl` and the server's JSON listings: an independent
/// check of what cfsh did, at a few milliseconds a call. python-swiftclient's CLI answered
/// the same questions at about half a CPU-second a call (Python start-up and imports), which
/// made the suites that check many names spend most of their time there.
extension LocalServer {
    /// The object names in `container`, in listing order (empty when it does not exist),
    /// exactly as the server stores them, page by page.
    static func objectNames(_ container: String, prefix: String? = nil) async throws -> [String] {
        var names: [String] = []
        var marker = ""
        while true {
            var query = "format=json&limit=10000&marker=" + queryEncoded(marker)
            if let prefix { query += "&prefix=" + queryEncoded(prefix) }
            let reply = try await storage("GET", pathEncoded(container) + "?" + query)
            if reply.status == 404 { return names }
            guard reply.status == 200 || reply.status == 204 else {
                Issue.record("listing \(container) got HTTP \(reply.status)")
                throw CancellationError()
            }
            guard !reply.body.isEmpty,
                let page = try JSONSerialization.jsonObject(with: reply.body) as? [[String: Any]],
                !page.isEmpty
            else { return names }
            let pageNames = page.compactMap { $0["name"] as? String }
            names += pageNames
            guard let last = pageNames.last, page.count >= 10_000 else { return names }
            marker = last
        }
    }

    /// Whether the container exists.
    static func containerExists(_ container: String) async throws -> Bool {
        let status = try await storage("HEAD", pathEncoded(container)).status
        return status == 204 || status == 200
    }

    /// Deletes a container and everything in it, whatever state a test left it in, with bulk
    /// delete (names with `..` or `//` included, which python-swiftclient cannot delete).
    static func removeContainer(_ container: String) async {
        guard let names = try? await objectNames(container) else { return }
        for start in stride(from: 0, to: names.count, by: 1000) {
            let lines = names[start..<min(names.count, start + 1000)]
                .map { "/" + pathEncoded(container) + "/" + pathEncoded($0) }
            _ = try? await storage(
                "POST", "?bulk-delete", headers: ["Content-Type: text/plain", "Accept: application/json"],
                body: Data(lines.joined(separator: "\n").utf8))
        }
        _ = try? await storage("DELETE", pathEncoded(container))
    }

    /// One request to the account's storage URL, authenticated as the main test account,
    /// authenticating again once on a 401.
    static func storage(
        _ method: String, _ path: String, headers: [String] = [], body: Data? = nil
    ) async throws -> (status: Int, body: Data) {
        for attempt in 0..<2 {
            let session = try await AccountSession.shared.current(renew: attempt > 0)
            var arguments = [
                "-s", "--path-as-is", "-X", method, "-H", "X-Auth-Token: " + session.token,
                "-w", "\n%{http_code}", "-o", "-",
            ]
            if method == "HEAD" {
                arguments = [
                    "-s", "-I", "-H", "X-Auth-Token: " + session.token, "-w", "\n%{http_code}", "-o", "/dev/null",
                ]
            }
            for header in headers { arguments += ["-H", header] }
            var bodyFile: String?
            if let body {
                let file = FileManager.default.temporaryDirectory.appendingPathComponent(
                    "cfsh-curl-\(UUID().uuidString)"
                ).path
                try body.write(to: URL(fileURLWithPath: file))
                bodyFile = file
                arguments += ["--data-binary", "@" + file]
            }
            defer { if let bodyFile { try? FileManager.default.removeItem(atPath: bodyFile) } }
            let joined = path.hasPrefix("?") ? session.storageURL + path : session.storageURL + "/" + path
            let result = try await shell("/usr/bin/curl", arguments + [joined])
            var output = Data(result.stdout.utf8)
            guard let newline = output.lastIndex(of: UInt8(ascii: "\n")),
                let status = Int(String(decoding: output[output.index(after: newline)...], as: UTF8.self))
            else {
                Issue.record("curl \(method) \(path) failed: \(result)")
                throw CancellationError()
            }
            output = output[..<newline]
            if status == 401 && attempt == 0 { continue }
            return (status, Data(output))
        }
        return (401, Data())
    }

    /// `text` percent-encoded for a path segment of a Swift URL: every byte but unreserved
    /// characters and `/`, so that `..`, `//`, spaces and control characters reach the server
    /// as they are.
    static func pathEncoded(_ text: String) -> String {
        percentEncoded(text, keeping: "/")
    }

    static func queryEncoded(_ text: String) -> String {
        percentEncoded(text, keeping: "")
    }

    private static func percentEncoded(_ text: String, keeping extra: String) -> String {
        var encoded = ""
        for byte in text.utf8 {
            let scalar = Unicode.Scalar(byte)
            let unreserved =
                (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
                || "-._~".utf8.contains(byte)
            if unreserved || extra.utf8.contains(byte) {
                encoded.unicodeScalars.append(scalar)
            } else {
                encoded += String(format: "%%%02X", byte)
            }
        }
        return encoded
    }
}

/// The main test account's storage URL and token, fetched once and shared by every test.
actor AccountSession {
    static let shared = AccountSession()

    private var session: (storageURL: String, token: String)?

    func current(renew: Bool = false) async throws -> (storageURL: String, token: String) {
        if let session, !renew { return session }
        let result = try await LocalServer.shell(
            "/usr/bin/curl",
            [
                "-sSi", "-H", "X-Auth-User: " + LocalServer.user, "-H", "X-Auth-Key: " + LocalServer.key,
                LocalServer.authURL,
            ])
        func header(_ name: String) -> String? {
            result.stdout.split(separator: "\r\n").first { $0.lowercased().hasPrefix(name + ": ") }
                .map { String($0.dropFirst(name.count + 2)) }
        }
        guard let url = header("x-storage-url"), let token = header("x-auth-token") else {
            Issue.record(
                "the local Swift server at \(LocalServer.authURL) did not authenticate the test account: \(result)")
            throw CancellationError()
        }
        session = (url, token)
        return (url, token)
    }
}
