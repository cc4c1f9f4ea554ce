@testable import CloudFiles
import Foundation
import Testing

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

    @Test("5xx, 408, 429 and 498 are retried; 4xx and 501 are not", arguments: [
        (500, true), (502, true), (503, true), (504, true), (408, true), (429, true), (498, true),
        (400, false), (401, false), (404, false), (409, false), (422, false), (501, false),
    ])
    func retryableStatuses(status: Int, retryable: Bool) {
        #expect(RetryPolicy.isRetryable(status: status) == retryable)
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
        let listing = try #require(HTTPDate.parseListing("2024-05-01T10:20:30.250000"))
        #expect(abs(listing.timeIntervalSince1970 - 1_714_558_830.25) < 0.0001)
        let header = try #require(HTTPDate.parse("Wed, 01 May 2024 10:20:30 GMT"))
        #expect(header.timeIntervalSince1970 == 1_714_558_830)
        #expect(HTTPDate.parseListing("garbage") == nil)
    }

    @Test("the session's description never shows the token")
    func sessionRedaction() {
        let session = AuthSession(storageURL: URL(string: "http://h/v1/AUTH_x/")!, token: "AUTH_tk-secret")
        #expect(!session.description.contains("AUTH_tk-secret"))
        #expect(session.storageURL.absoluteString == "http://h/v1/AUTH_x")
    }

    @Test("the cluster's /info lives at the root of the storage URL", arguments: [
        ("http://127.0.0.1:8080/v1/AUTH_test", "http://127.0.0.1:8080/info"),
        ("https://storage101.dfw1.clouddrive.com/v1/MossoCloudFS_abc", "https://storage101.dfw1.clouddrive.com/info"),
        ("https://example.com/swift/v1/AUTH_x", "https://example.com/swift/info"),
        ("https://example.com/object-store", "https://example.com/info"),
    ])
    func infoURL(storage: String, info: String) {
        #expect(CloudFilesClient.infoURL(for: URL(string: storage)!) == info)
    }
}
