import Foundation
import NIOHTTP1

/// Rackspace identity v2.0: `POST …/v2.0/tokens` with an API key
/// (`RAX-KSKEY:apiKeyCredentials`) or a password; the reply holds the token, its expiry and
/// a v2 catalog whose Cloud Files endpoints have a `publicURL` and a ServiceNet `internalURL`.
///
/// Identity URLs: `https://identity.api.rackspacecloud.com/v2.0/` (US) and
/// `https://lon.identity.api.rackspacecloud.com/v2.0/` (UK).
public struct RackspaceAuthProvider: AuthProvider {
    /// The US identity endpoint.
    public static let usIdentityURL = URL(string: "https://identity.api.rackspacecloud.com/v2.0/")!
    /// The UK identity endpoint.
    public static let ukIdentityURL = URL(string: "https://lon.identity.api.rackspacecloud.com/v2.0/")!

    /// What proves the user.
    public enum Credential: Sendable, Hashable {
        /// The account's API key (Rackspace's usual way).
        case apiKey(String)
        /// The account password.
        case password(String)

        var secret: String {
            switch self {
            case .apiKey(let key), .password(let key): return key
            }
        }
    }

    /// The identity URL, with or without `/v2.0`.
    public var authURL: URL
    /// The Rackspace username.
    public var username: String
    /// The API key or password.
    public var credential: Credential
    /// The region (`DFW`, `ORD`, `IAD`, `LON`, `SYD`, `HKG`); the account's default region
    /// (`RAX-AUTH:defaultRegion`) when `nil`.
    public var region: String?
    /// `internal` is ServiceNet, Rackspace's free private network between its servers.
    public var interface: EndpointInterface

    /// Creates a Rackspace provider.
    ///
    /// - Parameters:
    ///   - authURL: the identity URL; the US one by default.
    ///   - username: the Rackspace username.
    ///   - credential: the API key or the password.
    ///   - region: the region; the account's default region when `nil`.
    ///   - interface: `public`, or `internal` for ServiceNet.
    public init(
        authURL: URL = RackspaceAuthProvider.usIdentityURL,
        username: String,
        credential: Credential,
        region: String? = nil,
        interface: EndpointInterface = .public
    ) {
        self.authURL = authURL
        self.username = username
        self.credential = credential
        self.region = region
        self.interface = interface
    }

    /// `Rackspace USER at URL`, without the key.
    public var summary: String {
        "Rackspace identity v2.0 \(username) at \(authURL.absoluteString)"
    }

    /// The JSON body of the token request.
    var requestBody: [String: Any] {
        switch credential {
        case .apiKey(let key):
            return ["auth": ["RAX-KSKEY:apiKeyCredentials": ["username": username, "apiKey": key]]]
        case .password(let password):
            return ["auth": ["passwordCredentials": ["username": username, "password": password]]]
        }
    }

    /// Asks for a token and picks the Cloud Files endpoint from the catalog.
    ///
    /// - Throws: `.authenticationFailed` when the key or password is refused or the reply
    ///   has no token; `.invalidArgument` when the region or interface is not in the catalog.
    public func authenticate(using context: AuthContext) async throws -> AuthSession {
        let url = IdentityJSON.url(authURL, appending: Self.tokensPath(for: authURL))
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "application/json")
        headers.add(name: "Accept", value: "application/json")
        let reply = try await context.perform(
            method: .POST, url: url, headers: headers,
            body: IdentityJSON.body(requestBody))
        guard (200..<300).contains(reply.status.code) else {
            var text: String
            switch (reply.status.code, credential) {
            case (401, .apiKey): text = "Rackspace identity refused the API key of \(username)"
            case (401, .password): text = "Rackspace identity refused the password of \(username)"
            case (404, _):
                text = "no identity v2.0 token service at \(authURL.absoluteString) (404); check the auth URL"
            default: text = "Rackspace authentication failed: \(reply.status.code) \(reply.status.reasonPhrase)"
            }
            if reply.status.code != 404,
                let message = IdentityJSON.serverMessage(reply.body, hiding: [credential.secret])
            {
                text += ": \(message)"
            }
            throw reply.authenticationError(text, method: .POST, url: url)
        }
        guard let access = IdentityJSON.object(reply.body)?["access"] as? [String: Any],
            let tokenJSON = access["token"] as? [String: Any],
            let token = tokenJSON["id"] as? String, !token.isEmpty
        else {
            throw reply.authenticationError(
                "the identity service answered \(reply.status.code) without access.token.id; is \(url) a v2.0 URL?",
                method: .POST, url: url)
        }
        let expiresAt = (tokenJSON["expires"] as? String).flatMap(HTTPDate.parseISO8601)
        let defaultRegion = (access["user"] as? [String: Any])?["RAX-AUTH:defaultRegion"] as? String
        let catalog: ServiceCatalog
        do {
            catalog = try ServiceCatalog(
                identityV2: IdentityJSON.data(access["serviceCatalog"] ?? []) ?? Data("[]".utf8))
        } catch {
            throw CloudFilesError.invalidResponse.with(message: "the identity service's catalog could not be read")
        }
        let endpoint = try catalog.select(
            region: region, interface: interface,
            defaultRegion: defaultRegion.flatMap { $0.isEmpty ? nil : $0 })
        guard let storageURL = URL(string: endpoint.url), storageURL.scheme != nil else {
            throw CloudFilesError.invalidResponse.with(
                message: "the catalog's object-store URL is not a URL: \(endpoint.url)")
        }
        return AuthSession(
            storageURL: storageURL, token: token, expiresAt: expiresAt,
            endpoint: AuthEndpoint(
                region: endpoint.region, interface: endpoint.interface.rawValue,
                serviceName: endpoint.serviceName))
    }

    /// `/tokens` after a URL that names `/v2.0`, else `/v2.0/tokens`.
    static func tokensPath(for authURL: URL) -> String {
        let components = authURL.path.split(separator: "/")
        if components.last == "tokens" { return "/tokens" }
        return components.last == "v2.0" || components.last == "v2" ? "/tokens" : "/v2.0/tokens"
    }
}

extension RackspaceAuthProvider: CustomStringConvertible, CustomReflectable {
    /// The ``summary``: interpolating a provider never shows its key.
    public var description: String { summary }

    /// A mirror without the key, so that `dump()` cannot leak it.
    public var customMirror: Mirror {
        Mirror(
            self, children: ["summary": summary, "region": region as Any, "interface": interface],
            displayStyle: .struct)
    }
}

extension AuthProvider where Self == RackspaceAuthProvider {
    /// Rackspace Cloud Files with a username and API key:
    /// `.rackspace(username: "me", apiKey: key)`, or `authURL: RackspaceAuthProvider.ukIdentityURL`.
    public static func rackspace(
        authURL: URL = RackspaceAuthProvider.usIdentityURL,
        username: String,
        apiKey: String,
        region: String? = nil,
        interface: EndpointInterface = .public
    ) -> RackspaceAuthProvider {
        RackspaceAuthProvider(
            authURL: authURL, username: username, credential: .apiKey(apiKey),
            region: region, interface: interface)
    }
}
