import Foundation
import NIOHTTP1

/// Auth v1.0 (Swift tempauth, swauth, Rackspace's legacy endpoint): `GET` the auth URL
/// with `X-Auth-User` and `X-Auth-Key`, and read `X-Storage-Url` and `X-Auth-Token` from
/// the reply. When the reply has `X-Auth-Token-Expires` (tempauth, swauth: seconds left),
/// the token is refreshed before it runs out; otherwise it is used until a 401.
public struct V1AuthProvider: AuthProvider {
    /// The auth URL, for example `http://127.0.0.1:8080/auth/v1.0`.
    public var authURL: URL
    /// The user, for tempauth `account:user`.
    public var user: String
    /// The key. Never printed.
    public var key: String

    /// Creates a v1.0 provider.
    public init(authURL: URL, user: String, key: String) {
        self.authURL = authURL
        self.user = user
        self.key = key
    }

    /// `v1.0 USER at AUTH_URL`, without the key.
    public var summary: String { "v1.0 \(user) at \(authURL.absoluteString)" }

    /// Authenticates with `X-Auth-User` and `X-Auth-Key`.
    ///
    /// - Throws: `.authenticationFailed` when the server refuses the key, or answers 2xx
    ///   without a storage URL and token (as some providers do for a wrong auth URL).
    public func authenticate(using context: AuthContext) async throws -> AuthSession {
        var headers = HTTPHeaders()
        headers.add(name: "X-Auth-User", value: user)
        headers.add(name: "X-Auth-Key", value: key)
        let url = authURL.absoluteString
        let reply = try await context.perform(method: .GET, url: url, headers: headers)
        guard (200..<300).contains(reply.status.code) else {
            throw reply.authenticationError(
                "v1.0 authentication of \(user) failed: \(reply.status.code) \(reply.status.reasonPhrase)",
                method: .GET, url: url)
        }
        guard let storage = reply.headers.first(name: "x-storage-url"),
            let storageURL = URL(string: storage), storageURL.scheme != nil,
            let token = reply.headers.first(name: "x-auth-token") ?? reply.headers.first(name: "x-storage-token"),
            !token.isEmpty
        else {
            throw reply.authenticationError(
                "v1.0 authentication of \(user) answered \(reply.status.code) without X-Storage-Url and X-Auth-Token; is \(url) an auth URL?",
                method: .GET, url: url)
        }
        // tempauth and swauth say how long the token lives; others say nothing. A lifetime
        // that is negative, not finite or past ten years is nonsense: treat it as unknown.
        let expiresAt = reply.headers.first(name: "x-auth-token-expires")
            .flatMap { WireNumber.seconds($0) }
            .flatMap { (0...315_360_000).contains($0) ? Date(timeIntervalSinceNow: $0) : nil }
        return AuthSession(storageURL: storageURL, token: token, expiresAt: expiresAt)
    }
}

/// A pre-authenticated session: a storage URL and a token obtained elsewhere
/// (`OS_STORAGE_URL` with `OS_AUTH_TOKEN`). It cannot re-authenticate, so a 401 is final.
public struct TokenAuthProvider: AuthProvider {
    /// The account's storage URL.
    public var storageURL: URL
    /// The token. Never printed.
    public var token: String
    /// The token's expiry, when known.
    public var expiresAt: Date?

    /// Creates a provider that always returns the same session.
    public init(storageURL: URL, token: String, expiresAt: Date? = nil) {
        self.storageURL = storageURL
        self.token = token
        self.expiresAt = expiresAt
    }

    /// `token for STORAGE_URL`, without the token.
    public var summary: String { "token for \(storageURL.absoluteString)" }

    /// Returns the given session without any request.
    public func authenticate(using context: AuthContext) async throws -> AuthSession {
        AuthSession(storageURL: storageURL, token: token, expiresAt: expiresAt)
    }
}

extension AuthProvider where Self == V1AuthProvider {
    /// Auth v1.0 with a user and key, for example tempauth's
    /// `.v1(authURL: URL(string: "http://127.0.0.1:8080/auth/v1.0")!, user: "test:tester", key: "testing")`.
    public static func v1(authURL: URL, user: String, key: String) -> V1AuthProvider {
        V1AuthProvider(authURL: authURL, user: user, key: key)
    }
}

extension AuthProvider where Self == TokenAuthProvider {
    /// A storage URL and a token obtained elsewhere; no authentication request is sent.
    public static func token(storageURL: URL, token: String, expiresAt: Date? = nil) -> TokenAuthProvider {
        TokenAuthProvider(storageURL: storageURL, token: token, expiresAt: expiresAt)
    }
}
