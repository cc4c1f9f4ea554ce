import CFSHTestSupport
import CloudFiles
import Foundation
import Logging
import NIOCore
import Testing

/// The local Swift server the integration tests talk to (`scripts/swift-server start`), through
/// the library (its address and accounts are in CFSHTestSupport).
enum TestServer {
    /// tempauth v1.0 on the main proxy; `CFSH_TEST_AUTH_URL` overrides.
    static let authURL = URL(string: LocalServer.authURL)!
    /// The same accounts with 4-second tokens (scripts/swift-server).
    static let shortTokenAuthURL = URL(string: LocalServer.shortTokenAuthURL)!
    /// scripts/fault-proxy.py in front of the main proxy.
    static let faultProxyAuthURL = URL(string: LocalServer.faultProxyAuthURL)!

    /// A client for `test:tester`, after checking that the server answers.
    static func client(
        authURL: URL = authURL, user: String = LocalServer.user, key: String = LocalServer.key,
        configuration: CloudFilesClient.Configuration = .init(),
        logger: Logger = Logger(label: "test")
    ) async throws -> CloudFilesClient {
        let client = CloudFilesClient(
            auth: .v1(authURL: authURL, user: user, key: key), configuration: configuration, logger: logger)
        do {
            _ = try await client.session()
        } catch let error as CloudFilesError where error.isNetworkError {
            try? await client.shutdown()
            throw ServerUnreachable(url: authURL, underlying: error)
        }
        return client
    }

    /// Fails with a message saying how to start the server when it is not reachable.
    static func requireServer() async throws {
        try await client().shutdown()
    }

    /// Runs `body` with a fresh client for `test:tester`, and shuts it down after.
    static func withClient<T>(
        authURL: URL = authURL,
        configuration: CloudFilesClient.Configuration = .init(),
        logger: Logger = Logger(label: "test"),
        _ body: (CloudFilesClient) async throws -> T
    ) async throws -> T {
        try await client(authURL: authURL, configuration: configuration, logger: logger).use(body)
    }

    /// Runs `body` with a new, uniquely named container, and deletes it and everything in it
    /// afterwards, whether `body` failed or not.
    static func withContainer<T>(
        _ client: CloudFilesClient, prefix: String = "cf-test",
        _ body: (String) async throws -> T
    ) async throws -> T {
        let name = uniqueName(prefix)
        try await client.createContainer(name)
        do {
            let result = try await body(name)
            try await empty(name, client)
            return result
        } catch {
            try? await empty(name, client)
            throw error
        }
    }

    static func uniqueName(_ prefix: String) -> String {
        prefix + "-" + UUID().uuidString.prefix(8).lowercased()
    }

    /// Deletes every object of a container, then the container.
    static func empty(_ container: String, _ client: CloudFilesClient) async throws {
        var names: [String] = []
        for try await entry in client.listObjects(in: container) {
            if case .object(let record) = entry { names.append(record.name) }
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for name in names {
                group.addTask {
                    do {
                        try await client.deleteObject(name, in: container)
                    } catch let error as CloudFilesError where error == .notFound {}
                }
            }
            try await group.waitForAll()
        }
        // Listings are eventually consistent: a 409 right after the deletes is retried.
        for attempt in 1...20 {
            do {
                try await client.deleteContainer(container)
                return
            } catch let error as CloudFilesError where error == .containerNotEmpty && attempt < 20 {
                try await Task.sleep(for: .milliseconds(200))
            } catch let error as CloudFilesError where error == .notFound {
                return
            }
        }
    }
}

/// The error a test reports when the local server is down, saying how to start it.
struct ServerUnreachable: Error, CustomStringConvertible {
    let url: URL
    let underlying: CloudFilesError
    var description: String {
        "the local Swift server at \(url.absoluteString) is not reachable (\(underlying)); start it with `scripts/swift-server start`"
    }
}

extension ByteBuffer {
    /// A buffer of `count` pseudo-random bytes (deterministic per seed).
    static func pattern(_ count: Int, seed: UInt64 = 1) -> ByteBuffer {
        var buffer = ByteBuffer()
        buffer.reserveCapacity(count)
        var state = seed &* 0x9E37_79B9_7F4A_7C15 | 1
        for _ in 0..<count {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            buffer.writeInteger(UInt8(truncatingIfNeeded: state))
        }
        return buffer
    }
}

extension CloudFilesClient {
    /// Runs `body` with this client, and shuts it down after, whether `body` failed or not.
    func use<T>(_ body: (CloudFilesClient) async throws -> T) async throws -> T {
        do {
            let result = try await body(self)
            try await shutdown()
            return result
        } catch {
            try? await shutdown()
            throw error
        }
    }

    /// The whole body of a small object, for assertions.
    func contents(_ name: String, in container: String, range: ByteRange? = nil) async throws -> ByteBuffer {
        let download = try await getObject(name, in: container, range: range)
        var result = ByteBuffer()
        for try await chunk in download.body {
            var chunk = chunk
            result.writeBuffer(&chunk)
        }
        return result
    }
}
