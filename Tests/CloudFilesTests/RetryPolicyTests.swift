import Foundation
import Testing

@testable import CloudFiles

@Suite("RetryPolicy and error values")
struct RetryPolicyTests {
    @Test("backoff doubles, stays within bounds, and stops after maxAttempts")
    func backoff() throws {
        let policy = RetryPolicy(maxAttempts: 6, baseDelay: .milliseconds(100), maxDelay: .milliseconds(1000))
        for attempt in 1...5 {
            let ceiling = min(Duration.milliseconds(100) * (1 << (attempt - 1)), .milliseconds(1000))
            for _ in 0..<50 {
                let delay = try #require(policy.delay(afterAttempt: attempt))
                #expect(delay >= ceiling / 2 && delay <= ceiling)
            }
        }
        #expect(policy.delay(afterAttempt: 6) == nil)
        #expect(RetryPolicy.none.delay(afterAttempt: 1) == nil)
    }

    @Test("Retry-After is honoured, in seconds or as a date, and refused when too long")
    func retryAfter() throws {
        let policy = RetryPolicy(maxRetryAfter: .seconds(10))
        let delay = try #require(policy.delay(afterAttempt: 1, retryAfter: .seconds(3)))
        #expect(delay >= .seconds(3) && delay <= .milliseconds(3250))
        #expect(policy.delay(afterAttempt: 1, retryAfter: .seconds(11)) == nil)
        #expect(RetryPolicy.parseRetryAfter("2") == .seconds(2))
        let now = Date(timeIntervalSince1970: 784_111_770)  // Sun, 06 Nov 1994 08:49:30 GMT
        #expect(RetryPolicy.parseRetryAfter("Sun, 06 Nov 1994 08:49:37 GMT", now: now) == .seconds(7))
        #expect(RetryPolicy.parseRetryAfter("soon") == nil)
    }

    @Test(
        "5xx, 408, 429 and 498 are retried; 4xx and 501 are not",
        arguments: [
            (500, true), (502, true), (503, true), (504, true), (408, true), (429, true), (498, true),
            (400, false), (401, false), (404, false), (409, false), (422, false), (501, false),
        ])
    func retryableStatuses(status: Int, retryable: Bool) {
        #expect(RetryPolicy.isRetryable(status: status) == retryable)
    }

    /// One row of the retry decision's table.
    struct Decision: Sendable, CustomStringConvertible {
        var name: String
        var failure: @Sendable () -> RetryPolicy.Failure
        var bodyCanBeSentAgain = true
        var retried: Bool
        var description: String { name }
    }

    @Test(
        "one function decides what is sent again",
        arguments: [
            Decision(name: "503", failure: { .status(503, retryAfter: nil) }, retried: true),
            Decision(name: "500", failure: { .status(500, retryAfter: nil) }, retried: true),
            Decision(name: "408", failure: { .status(408, retryAfter: nil) }, retried: true),
            Decision(name: "429", failure: { .status(429, retryAfter: "1") }, retried: true),
            Decision(name: "498", failure: { .status(498, retryAfter: nil) }, retried: true),
            Decision(name: "501", failure: { .status(501, retryAfter: nil) }, retried: false),
            Decision(name: "505", failure: { .status(505, retryAfter: nil) }, retried: false),
            Decision(name: "404", failure: { .status(404, retryAfter: nil) }, retried: false),
            Decision(name: "401", failure: { .status(401, retryAfter: nil) }, retried: false),
            Decision(
                name: "503 with a Retry-After over the cap", failure: { .status(503, retryAfter: "121") },
                retried: false),
            Decision(
                name: "503, one-shot body", failure: { .status(503, retryAfter: nil) }, bodyCanBeSentAgain: false,
                retried: false),
            Decision(name: "network", failure: { .transport(CloudFilesError.network) }, retried: true),
            Decision(name: "timeout", failure: { .transport(CloudFilesError.timeout) }, retried: true),
            Decision(
                name: "network, one-shot body", failure: { .transport(CloudFilesError.network) },
                bodyCanBeSentAgain: false, retried: false),
            Decision(name: "TLS failure", failure: { .transport(CloudFilesError.tlsFailure) }, retried: false),
            Decision(
                name: "connection refused", failure: { .transport(CloudFilesError.connectionRefused) },
                retried: false),
            Decision(name: "unknown host", failure: { .transport(CloudFilesError.unknownHost) }, retried: false),
            Decision(
                name: "connect timeout",
                failure: { .transport(CloudFilesError.timeout.connectFailure(to: "h:443", because: "timed out")) },
                retried: true),
            Decision(
                name: "invalid response", failure: { .transport(CloudFilesError.invalidResponse) }, retried: false),
            Decision(name: "cancelled", failure: { .transport(CancellationError()) }, retried: false),
            Decision(name: "checksum mismatch", failure: { .checksumMismatch }, retried: true),
        ])
    func retryDecision(_ row: Decision) throws {
        let policy = RetryPolicy(maxAttempts: 3, baseDelay: .milliseconds(100), maxDelay: .milliseconds(400))
        let delay = policy.retryDelay(after: row.failure(), attempt: 1, bodyCanBeSentAgain: row.bodyCanBeSentAgain)
        #expect((delay != nil) == row.retried)
        // However retryable, nothing is sent again once the attempts are spent.
        #expect(policy.retryDelay(after: row.failure(), attempt: 3, bodyCanBeSentAgain: row.bodyCanBeSentAgain) == nil)
    }

    @Test("the decision waits as the server's Retry-After says, else backs off")
    func retryDecisionDelay() throws {
        let policy = RetryPolicy(maxAttempts: 3, baseDelay: .milliseconds(100), maxDelay: .milliseconds(400))
        let asked = try #require(policy.retryDelay(after: .status(429, retryAfter: "2"), attempt: 1))
        #expect(asked >= .seconds(2) && asked <= .milliseconds(2250))
        let backoff = try #require(policy.retryDelay(after: .transport(CloudFilesError.network), attempt: 2))
        #expect(backoff >= .milliseconds(100) && backoff <= .milliseconds(200))
    }

    @Test("errors compare by kind, and describe the request and transaction id")
    func errors() {
        let error = CloudFilesError.notFound
            .with(message: "object 'a' not found")
            .with(status: 404, method: "GET", path: "/v1/AUTH_test/c/a", transactionID: "tx123")
        #expect(error == .notFound)
        #expect(error != .containerNotEmpty)
        #expect(error.description == "object 'a' not found (404 GET /v1/AUTH_test/c/a) [X-Trans-Id: tx123]")
        #expect(CloudFilesError.network.isNetworkError)
        #expect(!CloudFilesError.server.isNetworkError)
        #expect(error.kind == "notFound")
    }

    @Test("listing and header dates parse without a DateFormatter")
    func dates() throws {
        let listing = try #require(HTTPDate.parseISO8601("2024-05-01T10:20:30.250000"))
        #expect(abs(listing.timeIntervalSince1970 - 1_714_558_830.25) < 0.0001)
        let header = try #require(HTTPDate.parse("Wed, 01 May 2024 10:20:30 GMT"))
        #expect(header.timeIntervalSince1970 == 1_714_558_830)
        #expect(HTTPDate.parseISO8601("garbage") == nil)
    }

    @Test("the session's description never shows the token")
    func sessionRedaction() {
        let session = AuthSession(storageURL: URL(string: "http://h/v1/AUTH_x/")!, token: "AUTH_tk-secret")
        #expect(!session.description.contains("AUTH_tk-secret"))
        #expect(session.storageURL.absoluteString == "http://h/v1/AUTH_x")
    }

    @Test(
        "the cluster's /info lives at the root of the storage URL",
        arguments: [
            ("http://127.0.0.1:8080/v1/AUTH_test", "http://127.0.0.1:8080/info"),
            (
                "https://storage101.dfw1.clouddrive.com/v1/MossoCloudFS_abc",
                "https://storage101.dfw1.clouddrive.com/info"
            ),
            ("https://example.com/swift/v1/AUTH_x", "https://example.com/swift/info"),
            ("https://example.com/object-store", "https://example.com/info"),
        ])
    func infoURL(storage: String, info: String) {
        #expect(CloudFilesClient.infoURL(for: URL(string: storage)!) == info)
    }

    @Test("a connect timeout is tried twice in all, a refusal once; other timeouts up to maxAttempts")
    func connectTimeoutBound() {
        let policy = RetryPolicy(maxAttempts: 6, baseDelay: .milliseconds(1))
        let connect = CloudFilesError.timeout.connectFailure(to: "10.0.0.1:443", because: "timed out")
        #expect(policy.retryDelay(after: .transport(connect), attempt: 1) != nil)
        #expect(policy.retryDelay(after: .transport(connect), attempt: 2) == nil)
        #expect(policy.retryDelay(after: .transport(CloudFilesError.timeout), attempt: 5) != nil)
        #expect(policy.retryDelay(after: .transport(CloudFilesError.connectionRefused), attempt: 1) == nil)
        #expect(connect.description == "cannot connect to 10.0.0.1:443 (timed out)")
        #expect(connect.isNetworkError && connect.isConnectFailure)
        #expect(CloudFilesError.connectionRefused.isNetworkError)
    }

    @Test(
        "the host and port of a failed connection come from the URL",
        arguments: [
            ("http://127.0.0.1:8099/auth/v1.0", "127.0.0.1:8099"),
            ("https://example.invalid/v3", "example.invalid:443"),
            ("http://example.invalid/v1", "example.invalid:80"), ("http://[::1]:8080/auth", "[::1]:8080"),
        ])
    func endpoint(url: String, expected: String) {
        #expect(TransportError.endpoint(of: url) == expected)
    }
}
