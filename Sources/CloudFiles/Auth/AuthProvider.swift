import AsyncHTTPClient
import Foundation
import Logging

/// Something that can log in to a Swift cluster and hand back a storage URL and a token.
///
/// Providers are plain `Sendable` values: they hold credentials and know one identity
/// protocol, nothing else. Caching, sharing the token between concurrent requests,
/// refreshing it before it expires and re-authenticating after a 401 all happen in the
/// client's single token cache, so a provider never needs to remember anything.
///
/// Use the presets (`.v1(authURL:user:key:)`, `.token(storageURL:token:)`, and the
/// Keystone and Rackspace providers in this folder) or conform your own type.
public protocol AuthProvider: Sendable {
    /// Authenticates once and returns a fresh session.
    ///
    /// - Parameter context: the client's shared HTTP client and logger.
    /// - Returns: the storage URL and token to use for storage requests.
    /// - Throws: ``CloudFilesError`` (`.authenticationFailed`, `.unauthorized`,
    ///   `.network`, …). Messages must never contain the secret.
    func authenticate(using context: AuthContext) async throws -> AuthSession

    /// A short, secret-free description for `stat` and debug logs, for example
    /// `"v1.0 test:tester at http://127.0.0.1:8080/auth/v1.0"`.
    var summary: String { get }
}

extension AuthProvider {
    /// The type name, for providers that do not describe themselves.
    public var summary: String { String(describing: Self.self) }
}

/// The endpoint a session chose from a service catalog, shown by `stat`.
public struct AuthEndpoint: Sendable, Hashable {
    /// The region of the endpoint (`RegionOne`, `DFW`, …), when the identity service names one.
    public var region: String?
    /// The interface: `public`, `internal` (ServiceNet) or `admin`.
    public var interface: String?
    /// The catalog entry's service name, for example `swift` or `cloudFiles`.
    public var serviceName: String?

    /// Creates an endpoint description.
    public init(region: String? = nil, interface: String? = nil, serviceName: String? = nil) {
        self.region = region
        self.interface = interface
        self.serviceName = serviceName
    }
}

/// The result of one authentication: where the account lives and the token that opens it.
///
/// `description` never shows the token, so a session can be logged or printed safely.
public struct AuthSession: Sendable, CustomStringConvertible {
    /// The account's storage URL, for example `http://127.0.0.1:8080/v1/AUTH_test`.
    public var storageURL: URL
    /// The token sent as `X-Auth-Token`. Never log or print it.
    public var token: String
    /// When the token stops working, if the identity service said so (v1.0 does not).
    public var expiresAt: Date?
    /// The catalog endpoint chosen, if the identity service has a catalog.
    public var endpoint: AuthEndpoint?

    /// Creates a session.
    ///
    /// - Parameters:
    ///   - storageURL: the account URL; a trailing `/` is removed.
    ///   - token: the auth token.
    ///   - expiresAt: the token's expiry, when known; a time outside the years 1 to 9999
    ///     (an identity service's nonsense) is taken as unknown.
    ///   - endpoint: the catalog endpoint chosen, when there was a catalog.
    public init(storageURL: URL, token: String, expiresAt: Date? = nil, endpoint: AuthEndpoint? = nil) {
        var text = storageURL.absoluteString
        while text.hasSuffix("/") { text.removeLast() }
        self.storageURL = URL(string: text) ?? storageURL
        self.token = token
        self.expiresAt = WireNumber.plausible(expiresAt)
        self.endpoint = endpoint
    }

    /// The session without its token: storage URL, expiry and endpoint.
    public var description: String {
        var parts = ["storageURL: \(storageURL.absoluteString)", "token: <redacted>"]
        if let expiresAt { parts.append("expiresAt: \(expiresAt)") }
        if let region = endpoint?.region { parts.append("region: \(region)") }
        if let interface = endpoint?.interface { parts.append("interface: \(interface)") }
        return "AuthSession(" + parts.joined(separator: ", ") + ")"
    }
}

/// What a provider may use while authenticating: the client's HTTP client and logger.
///
/// Send identity requests through ``perform(_:)`` so they get the same debug logging
/// (with secrets redacted), timeouts and error mapping as storage requests.
public struct AuthContext: Sendable {
    /// The client's shared HTTP client. Do not shut it down.
    public let httpClient: HTTPClient
    /// The client's logger.
    public let logger: Logger
    /// How long one identity request may take, start to end.
    public let requestTimeout: Duration
    /// When identity requests are sent again (5xx, 408, 429, 498, dropped connections).
    public let retryPolicy: RetryPolicy
    /// The `User-Agent` sent with identity requests that do not set their own.
    public let userAgent: String

    /// Creates a context; the client does this, tests may too.
    public init(
        httpClient: HTTPClient, logger: Logger, requestTimeout: Duration = .seconds(60),
        retryPolicy: RetryPolicy = .default, userAgent: String = CloudFilesClient.defaultUserAgent
    ) {
        self.httpClient = httpClient
        self.logger = logger
        self.requestTimeout = requestTimeout
        self.retryPolicy = retryPolicy
        self.userAgent = userAgent
    }
}
