import CFSHTestSupport
import CloudFiles
import Foundation
import Testing

@Suite("Debug logging", .timeLimit(.minutes(5)))
struct LoggingTests {
    @Test("each request logs method, URL, status, duration and transaction id, and never the token or key")
    func debugLines() async throws {
        let log = LogCapture()
        try await TestServer.withClient(logger: log.logger(level: .trace)) { client in
            let token = try await client.session().token
            try await TestServer.withContainer(client) { container in
                try await client.uploadObject("a b", in: container, bytes: .init(string: "x"))
                _ = try await client.objectInfo("a b", in: container)
                await #expect(throws: CloudFilesError.notFound) {
                    try await client.objectInfo("missing", in: container)
                }
                let lines = log.lines
                let head = try #require(lines.first { $0.contains("HEAD ") && $0.contains("/\(container)/a%20b") })
                #expect(head.hasPrefix("debug: HEAD http://127.0.0.1:8080/v1/AUTH_test/"))
                #expect(head.contains("→ 200 in "))
                #expect(head.contains(" ms [tx"))
                #expect(lines.contains { $0.contains("/missing → 404") })
                #expect(lines.contains { $0.contains("PUT ") && $0.contains("→ 201") })
                #expect(lines.contains { $0.contains("GET http://127.0.0.1:8080/auth/v1.0 → 200") })
                #expect(!log.text.contains(token))
                #expect(!log.text.contains(LocalServer.key))
                #expect(log.text.contains("<redacted>") || !log.text.contains("X-Auth-Token:"))
            }
        }
    }

    @Test("at info level nothing is logged for successful requests")
    func quietByDefault() async throws {
        let log = LogCapture()
        try await TestServer.withClient(logger: log.logger(level: .info)) { client in
            _ = try await client.accountInfo()
        }
        #expect(log.lines.isEmpty)
    }
}
