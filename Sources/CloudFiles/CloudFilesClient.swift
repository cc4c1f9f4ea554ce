import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix

/// An asynchronous client for one OpenStack Swift / Rackspace Cloud Files account.
///
/// The client owns an `HTTPClient` with a keep-alive connection pool shared by every
/// request, and one token cache shared by every request. Create one per account, use it
/// from as many tasks as you like, and call ``shutdown()`` when done:
///
/// ```swift
/// let client = CloudFilesClient(auth: .v1(authURL: url, user: "test:tester", key: "testing"))
/// defer { Task { try await client.shutdown() } }
/// for try await container in client.listContainers() { print(container.name) }
/// ```
///
/// Operations live in extensions named for what they act on: `+Account`, `+Container`,
/// `+Object`, `+Upload`, `+Download`, and the listings.
public final class CloudFilesClient: Sendable {
    /// The `User-Agent` sent when the configuration names none of its own.
    public static let defaultUserAgent = "CloudFiles/0.1"

    /// Settings of a client: retries, timeouts, connection pool and transfer sizes.
    public struct Configuration: Sendable {
        /// When and how often failed requests are sent again.
        public var retryPolicy: RetryPolicy
        /// How long to wait for a TCP (and TLS) connection.
        public var connectTimeout: Duration
        /// How long a reply may stay silent before the request fails.
        public var readTimeout: Duration
        /// How many connections to one host may be open at once. Parallel transfers need
        /// at least as many as they run at the same time.
        public var maxConnectionsPerHost: Int
        /// How long an idle keep-alive connection stays in the pool.
        public var idleConnectionTimeout: Duration
        /// Size of the chunks read from files for uploads and written to files for
        /// downloads. Memory per transfer is a small multiple of this.
        public var transferChunkSize: Int
        /// How long before a token's known expiry to refresh it in the background.
        public var tokenRefreshMargin: Duration
        /// How uploads from files are checked end to end. See ``UploadChecksum``.
        public var uploadChecksum: UploadChecksum
        /// How many objects a listing asks for per page, unless a listing says otherwise.
        /// Swift's default and maximum is 10000.
        public var listingPageSize: Int
        /// The `User-Agent` sent with every request, storage and identity alike: an
        /// application names itself here (for example `myapp-CloudFiles/0.1`).
        public var userAgent: String

        /// The defaults: 6 tries with jittered backoff, 10 s connect and 120 s read
        /// timeouts, 32 connections per host, 256 KiB chunks, refresh 5 minutes early.
        public init(
            retryPolicy: RetryPolicy = .default,
            connectTimeout: Duration = .seconds(10),
            readTimeout: Duration = .seconds(120),
            maxConnectionsPerHost: Int = 32,
            idleConnectionTimeout: Duration = .seconds(60),
            transferChunkSize: Int = 256 << 10,
            tokenRefreshMargin: Duration = .seconds(300),
            uploadChecksum: UploadChecksum = .streaming,
            listingPageSize: Int = 10_000,
            userAgent: String = CloudFilesClient.defaultUserAgent
        ) {
            self.retryPolicy = retryPolicy
            self.connectTimeout = connectTimeout
            self.readTimeout = readTimeout
            self.maxConnectionsPerHost = maxConnectionsPerHost
            self.idleConnectionTimeout = idleConnectionTimeout
            self.transferChunkSize = transferChunkSize
            self.tokenRefreshMargin = tokenRefreshMargin
            self.uploadChecksum = uploadChecksum
            self.listingPageSize = listingPageSize
            self.userAgent = userAgent
        }
    }

    /// The settings this client was created with.
    public let configuration: Configuration
    /// The logger every request logs to (debug: one line per request; never a secret).
    public let logger: Logger
    /// The auth provider this client was created with.
    public let authProvider: any AuthProvider

    let httpClient: HTTPClient
    let tokens: TokenCache
    let capabilitiesCache = CapabilitiesCache()

    /// Creates a client. No request is sent until the first operation.
    ///
    /// - Parameters:
    ///   - auth: how to log in, for example `.v1(authURL:user:key:)` or
    ///     `.token(storageURL:token:)`.
    ///   - configuration: retries, timeouts and pool size.
    ///   - logger: where requests are logged (debug level).
    public init(
        auth: some AuthProvider,
        configuration: Configuration = Configuration(),
        logger: Logger = Logger(label: "CloudFiles")
    ) {
        self.configuration = configuration
        self.logger = logger
        self.authProvider = auth
        var pool = HTTPClient.Configuration.ConnectionPool(
            idleTimeout: .nanoseconds(configuration.idleConnectionTimeout.nanoseconds),
            concurrentHTTP1ConnectionsPerHostSoftLimit: max(1, configuration.maxConnectionsPerHost)
        )
        // A failed connection attempt fails the request at once, and the RetryPolicy decides:
        // left to itself, AsyncHTTPClient tries again silently until the connect timeout, so
        // a TLS certificate failure (final, never retried) took 10 s per request to surface,
        // and a dead server 6 x 10 s instead of the policy's half a minute.
        pool.retryConnectionEstablishment = false
        var http = HTTPClient.Configuration(
            // Swift never redirects, and following one would carry the token to another host.
            redirectConfiguration: .disallow,
            timeout: .init(
                connect: .nanoseconds(configuration.connectTimeout.nanoseconds),
                read: .nanoseconds(configuration.readTimeout.nanoseconds)
            ),
            connectionPool: pool,
            decompression: .disabled
        )
        http.httpVersion = .automatic
        self.httpClient = HTTPClient(
            eventLoopGroup: HTTPClient.defaultEventLoopGroup,
            configuration: http,
            backgroundActivityLogger: logger.forTransport
        )
        self.tokens = TokenCache(
            provider: auth,
            context: AuthContext(
                httpClient: httpClient, logger: logger,
                requestTimeout: configuration.connectTimeout + configuration.readTimeout,
                retryPolicy: configuration.retryPolicy, userAgent: configuration.userAgent),
            refreshMargin: configuration.tokenRefreshMargin
        )
    }

    /// Closes every connection. Call it once, after the last operation has finished.
    public func shutdown() async throws {
        try await httpClient.shutdown()
    }

    deinit {
        // A safety net for a forgotten shutdown(): AsyncHTTPClient traps in debug builds
        // when its client is released while running. Shutting down again is harmless.
        httpClient.shutdown { _ in }
    }

    /// The current session (storage URL, expiry, endpoint), authenticating if needed.
    /// `stat` uses it; the token in it must not be shown.
    public func session() async throws -> AuthSession {
        try await tokens.session()
    }

    /// The account's storage URL, authenticating if needed.
    public func storageURL() async throws -> URL {
        try await tokens.session().storageURL
    }
}
