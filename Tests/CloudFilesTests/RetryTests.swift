import CFSHTestSupport
import CloudFiles
import Foundation
import NIOCore
import Testing

/// Faults injected by scripts/fault-proxy.py in front of the real server.
@Suite("Retries against injected faults", .timeLimit(.minutes(5)))
struct RetryTests {
    static let fast = CloudFilesClient.Configuration(
        retryPolicy: RetryPolicy(maxAttempts: 4, baseDelay: .milliseconds(50)))

    /// Runs `body` with a client (fast retries) that goes through the fault proxy, and a new
    /// container named with `prefix`, deleted afterwards.
    static func withFaultProxy(_ prefix: String, _ body: (CloudFilesClient, String) async throws -> Void) async throws {
        try await TestServer.withClient(authURL: TestServer.faultProxyAuthURL, configuration: fast) { client in
            try await TestServer.withContainer(client, prefix: prefix) { container in try await body(client, container)
            }
        }
    }

    @Test("5xx, 408, 429 and 498 are retried until the request succeeds", arguments: [500, 503, 408, 429, 498])
    func retriedStatus(status: Int) async throws {
        try await Self.withFaultProxy("cf-retry") { client, container in
            try await client.uploadObject("o", in: container, bytes: .init(string: "ok"))
            try await FaultProxy.add(.init(match: container + "/o", method: "GET", status: status, times: 2))
            #expect(try await client.contents("o", in: container) == .init(string: "ok"))
            #expect(try await FaultProxy.hits(container + "/o") >= 3)
            try await FaultProxy.clear(container + "/o")
        }
    }

    @Test("retries are bounded: the last 503 is reported as a server error with the attempt count")
    func bounded() async throws {
        try await Self.withFaultProxy("cf-bounded") { client, container in
            try await FaultProxy.add(.init(match: container + "/x", status: 503, times: 10))
            do {
                _ = try await client.objectInfo("x", in: container)
                Issue.record("no error")
            } catch let error as CloudFilesError {
                #expect(error == .server)
                #expect(!error.isNetworkError)
                #expect(error.status == 503)
                #expect(error.attempts == 4)
                #expect(error.transactionID == "tx-injected-fault")
                #expect(error.description.contains("after 4 attempts"))
            }
            #expect(try await FaultProxy.hits(container + "/x") == 4)
            try await FaultProxy.clear(container + "/x")
        }
    }

    @Test("Retry-After is honoured")
    func retryAfter() async throws {
        try await Self.withFaultProxy("cf-after") { client, container in
            try await client.uploadObject("o", in: container, bytes: .init(string: "ok"))
            try await FaultProxy.add(.init(match: container + "/o", status: 429, times: 1, retry_after: "1"))
            let start = ContinuousClock.now
            _ = try await client.objectInfo("o", in: container)
            #expect(ContinuousClock.now - start >= .seconds(1))
            try await FaultProxy.clear(container + "/o")
        }
    }

    @Test("a dropped connection is a network error, retried; a file upload is sent again")
    func dropped() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let md5 = try folder.writePattern("f", size: 2_500_000)
        try await Self.withFaultProxy("cf-drop") { client, container in
            try await FaultProxy.add(.init(match: container + "/f", method: "PUT", times: 2, drop: true))
            let result = try await client.uploadObject("f", in: container, fromFile: folder.file("f"))
            #expect(result.etag == md5)
            #expect(try await FaultProxy.hits(container + "/f") == 3)
            try await FaultProxy.clear(container + "/f")
        }
    }

    @Test("a one-shot stream is not sent again after a failure")
    func oneShotNotRetried() async throws {
        try await Self.withFaultProxy("cf-oneshot") { client, container in
            try await FaultProxy.add(.init(match: container + "/s", method: "PUT", status: 503, times: 1))
            do {
                try await client.uploadObject("s", in: container, from: Chunks(buffers: [.pattern(10_000)]))
                Issue.record("no error")
            } catch let error as CloudFilesError {
                #expect(error == .server)
                #expect(error.attempts == 1)
            }
            #expect(try await FaultProxy.hits(container + "/s") == 1)
            try await FaultProxy.clear(container + "/s")
        }
    }

    @Test("without a server at all the error is a refused connection, a network error, not retried")
    func noServer() async throws {
        // The default policy: a refusal is final, so it fails at once rather than after 6 tries.
        let client = CloudFilesClient(
            auth: .token(storageURL: URL(string: "http://127.0.0.1:9/v1/AUTH_x")!, token: "t"))
        defer { Task { try await client.shutdown() } }
        let started = ContinuousClock.now
        do {
            _ = try await client.accountInfo()
            Issue.record("no error")
        } catch let error as CloudFilesError {
            #expect(error == .connectionRefused)
            #expect(error.isNetworkError)
            #expect(error.isConnectFailure)
            #expect(error.status == nil)
            #expect(error.attempts == 1)
            #expect(error.description == "cannot connect to 127.0.0.1:9 (connection refused)")
        }
        #expect(ContinuousClock.now - started < .seconds(3))
    }

    @Test("a host name that does not exist is an unknown host, at once, during authentication too")
    func unknownHost() async throws {
        let client = CloudFilesClient(
            auth: .v1(authURL: URL(string: "http://no-such-host-cfsh.invalid/auth/v1.0")!, user: "u", key: "k"))
        defer { Task { try await client.shutdown() } }
        let started = ContinuousClock.now
        do {
            _ = try await client.session()
            Issue.record("no error")
        } catch let error as CloudFilesError {
            #expect(error == .unknownHost)
            #expect(error.description == "cannot connect to no-such-host-cfsh.invalid:80 (unknown host)")
        }
        #expect(ContinuousClock.now - started < .seconds(3))
    }

    @Test("cancelling a task that waits for a hanging authentication ends the wait at once")
    func cancelledAuthentication() async throws {
        let hole = try Blackhole()
        defer { hole.close() }
        let client = CloudFilesClient(
            auth: .v1(authURL: URL(string: "http://127.0.0.1:\(hole.port)/auth/v1.0")!, user: "u", key: "k"))
        defer { Task { try await client.shutdown() } }
        let task = Task { try await client.session() }
        try await Task.sleep(for: .milliseconds(300))
        let started = ContinuousClock.now
        task.cancel()
        await #expect(throws: CancellationError.self) { try await task.value }
        #expect(ContinuousClock.now - started < .seconds(2))
    }
}
