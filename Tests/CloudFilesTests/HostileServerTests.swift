import CFSHTestSupport
import CloudFiles
import Foundation
import Logging
import NIOCore
import Testing

/// The client against scripts/hostile-server.py: whatever a server sends, the client
/// answers with an error or a clamped value, in bounded time and memory, and never traps.
@Suite("Hostile server replies", .serialized, .timeLimit(.minutes(1)))
struct HostileServerTests {
    static func withServer<T>(
        _ mode: String, tls: Bool = false, policy: RetryPolicy = .default,
        _ body: (CloudFilesClient, HostileServer) async throws -> T
    ) async throws -> T {
        let server = try HostileServer(mode: mode, tls: tls)
        defer { server.stop() }
        let client = CloudFilesClient(
            auth: .v1(authURL: server.authURL, user: LocalServer.user, key: LocalServer.key),
            configuration: .init(retryPolicy: policy), logger: Logger(label: "hostile"))
        do {
            let result = try await body(client, server)
            try? await client.shutdown()
            return result
        } catch {
            try? await client.shutdown()
            throw error
        }
    }

    @Test(
        "a download keeps the file and ignores an X-Object-Meta-Mtime that is no time",
        arguments: ["nan", "1e300", "-1e300", "inf", "-inf", "9223372036854775807", "1e19", "0x1p70", ""])
    func hostileMtime(value: String) async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try await Self.withServer("mtime:\(value)") { client, _ in
            let info = try await client.objectInfo("f.txt", in: "c")
            #expect(info.modificationDate == nil, "\(value) read as \(String(describing: info.modificationDate))")
            let result = try await client.downloadObject("f.txt", in: "c", toFile: folder.file("f.txt"))
            #expect(result.bytes == 21)
            let contents = try folder.contents()
            #expect(contents == ["f.txt"])
        }
    }

    @Test(
        "a Last-Modified year past any calendar is no date",
        arguments: ["9223372036854775807", "-9223372036854775808", "99999999999", "0"])
    func hostileLastModified(year: String) async throws {
        try await Self.withServer("last-modified-year:\(year)") { client, _ in
            let info = try await client.objectInfo("f.txt", in: "c")
            #expect(info.lastModified == nil)
        }
    }

    @Test("Retry-After: 1e300 fails the request at once instead of trapping or waiting")
    func hostileRetryAfter() async throws {
        try await Self.withServer("retry-after") { client, server in
            let started = ContinuousClock.now
            let error = await #expect(throws: CloudFilesError.self) { try await client.objectInfo("f.txt", in: "c") }
            #expect(error?.status == 503)
            #expect(ContinuousClock.now - started < .seconds(10))
            let requests = try server.stats().requests
            #expect(requests == 2, "one auth, one HEAD")
        }
    }

    @Test("a 503 with an endless body is read a few KiB per try, then the connection is closed")
    func endless503() async throws {
        let policy = RetryPolicy(maxAttempts: 3, baseDelay: .milliseconds(50), maxDelay: .milliseconds(100))
        try await Self.withServer("endless-503", policy: policy) { client, server in
            let started = ContinuousClock.now
            let error = await #expect(throws: CloudFilesError.self) {
                for try await _ in client.listObjects(in: "c") {}
            }
            #expect(error?.status == 503)
            let elapsed = ContinuousClock.now - started
            // The server counts what its socket accepted, so kernel buffers come on top of
            // what the client read.
            let sent = try server.stats().bytes_sent
            #expect(elapsed < .seconds(10), "\(elapsed), \(sent) bytes sent")
            #expect(sent < 64 << 20, "the server sent \(sent) bytes")
        }
    }

    @Test(
        "a listing whose marker does not advance stops with an error", arguments: ["repeat-marker", "unsorted-listing"])
    func stuckListing(mode: String) async throws {
        try await Self.withServer(mode) { client, _ in
            var pages = 0
            let error = await #expect(throws: CloudFilesError.self) {
                for try await _ in client.listObjects(in: "c", .init(pageSize: 2)).pages {
                    pages += 1
                    if pages > 100 {
                        Issue.record("still listing after \(pages) pages")
                        return
                    }
                }
            }
            #expect(error == .invalidResponse, "\(String(describing: error))")
            var containers = 0
            await #expect(throws: CloudFilesError.self) {
                for try await _ in client.listContainers(.init(pageSize: 1)) {
                    containers += 1
                    if containers > 100 {
                        Issue.record("still listing after \(containers) containers")
                        return
                    }
                }
            }
        }
    }

    @Test("a static large object whose segment sizes overflow Int64 downloads by its body or fails cleanly")
    func sloOverflow() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try await Self.withServer("slo-overflow") { client, _ in
            await #expect(throws: CloudFilesError.self) { try await client.largeObjectSegments("f.txt", in: "c") }
            do {
                let result = try await client.downloadObject("f.txt", in: "c", toFile: folder.file("f.txt"))
                #expect(result.bytes == 21)
            } catch let error as CloudFilesError {
                let contents = try folder.contents()
                #expect(contents.isEmpty, "\(error)")
            }
        }
    }

    @Test("counts and sizes past Int64 in headers and listings never trap")
    func countOverflow() async throws {
        try await Self.withServer("count-overflow") { client, _ in
            _ = try? await client.accountInfo()
            _ = try? await client.containerInfo("c")
            var total: Int64 = 0
            for try await record in client.listContainers() { total = total &+ record.bytesUsed }
            for try await _ in client.listObjects(in: "c") {}
            _ = try? await client.objectInfo("f.txt", in: "c")
        }
    }

    @Test(
        "X-Auth-Token-Expires that is no number of seconds leaves the expiry unknown",
        arguments: ["1e300", "-1e300", "nan", "inf", "99999999999999999999"])
    func tokenExpires(value: String) async throws {
        try await Self.withServer("token-expires:\(value)") { client, _ in
            let session = try await client.session()
            if let expiry = session.expiresAt {
                #expect(expiry.timeIntervalSinceNow.isFinite && abs(expiry.timeIntervalSinceNow) < 400 * 86_400 * 365)
            }
            _ = "\(session)"
            _ = try await client.objectInfo("f.txt", in: "c")
        }
    }

    @Test(
        "a Keystone expires_at with an absurd offset or year leaves the expiry unknown",
        arguments: [
            "2030-01-01T00:00:00.000000+99999999999999999:00", "2030-01-01T00:00:00.000000-9223372036854775807:00",
            "2030-01-01T00:00:00+00:99999999999999999999", "9999-12-31T23:59:59.999999-23:59",
        ])
    func keystoneExpires(value: String) async throws {
        let server = try HostileServer(mode: "keystone-expires:\(value)")
        defer { server.stop() }
        let client = CloudFilesClient(
            auth: .keystoneV3(
                authURL: server.keystoneURL,
                method: .password(user: .name("tester", domain: .name("Default")), password: "testing")),
            logger: Logger(label: "hostile"))
        do {
            let session = try await client.session()
            #expect(session.expiresAt == nil, "\(session)")
            _ = try await client.objectInfo("f.txt", in: "c")
        } catch {
            try? await client.shutdown()
            throw error
        }
        try await client.shutdown()
    }

    @Test("a TLS certificate failure is final: one connection, no retries")
    func tlsFailure() async throws {
        try await Self.withServer("normal", tls: true) { client, server in
            let started = ContinuousClock.now
            let error = await #expect(throws: CloudFilesError.self) { try await client.session() }
            let elapsed = ContinuousClock.now - started
            #expect(elapsed < .seconds(5), "\(elapsed)")
            let connections = try server.stats().connections
            #expect(connections == 1, "\(String(describing: error))")
            #expect(error?.message.lowercased().contains("certificate") == true, "\(String(describing: error))")
        }
    }

    @Test("a streaming upload whose stored ETag differs fails and deletes nothing")
    func badETagDeletesNothing() async throws {
        try await Self.withServer("bad-etag") { client, server in
            let chunks = [ByteBuffer(string: "hello "), ByteBuffer(string: "world\n")]
            let body = AsyncStream<ByteBuffer> { continuation in
                for chunk in chunks { continuation.yield(chunk) }
                continuation.finish()
            }
            let error = await #expect(throws: CloudFilesError.self) {
                try await client.uploadObject("f.txt", in: "c", from: body)
            }
            #expect(error == .checksumMismatch)
            let paths = try server.stats().paths
            #expect(!paths.contains { $0.hasPrefix("DELETE") }, "\(paths)")
        }
    }
}
