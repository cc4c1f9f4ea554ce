import Foundation
import NIOHTTP1

/// Keystone v3: `POST …/v3/auth/tokens` with a password, an application credential or a
/// token; the token comes back in `X-Subject-Token`, its expiry in `token.expires_at`, and
/// the storage URL is the catalog's `object-store` endpoint for the region and interface.
public struct KeystoneV3AuthProvider: AuthProvider {
    /// A Keystone domain, by id (`default`) or by name (`Default`).
    public enum Domain: Sendable, Hashable {
        /// A domain id.
        case id(String)
        /// A domain name.
        case name(String)
        /// The domain every Keystone has, id `default`.
        public static let `default` = Domain.id("default")

        var json: [String: Any] {
            switch self {
            case .id(let id): return ["id": id]
            case .name(let name): return ["name": name]
            }
        }
    }

    /// A Keystone user: an id is unique, a name is unique within its domain.
    public enum User: Sendable, Hashable {
        /// A user id.
        case id(String)
        /// A user name in a domain.
        case name(String, domain: Domain)

        var json: [String: Any] {
            switch self {
            case .id(let id): return ["id": id]
            case .name(let name, let domain): return ["name": name, "domain": domain.json]
            }
        }

        var label: String {
            switch self {
            case .id(let id): return "user id \(id)"
            case .name(let name, _): return name
            }
        }
    }

    /// How to prove who you are.
    public enum Method: Sendable, Hashable {
        /// A user and password.
        case password(user: User, password: String)
        /// An application credential by id, and its secret.
        case applicationCredential(id: String, secret: String)
        /// An application credential by name (names are unique per user), and its secret.
        case applicationCredentialName(String, user: User, secret: String)
        /// An existing token, exchanged for a new one (for example to scope it to a project).
        case token(String)
    }

    /// Which project the token is for. Application credentials carry their own project, so
    /// Keystone refuses a scope with them and it is not sent.
    public enum Scope: Sendable, Hashable {
        /// The user's default project (no scope in the request).
        case defaultProject
        /// A project by id.
        case projectID(String)
        /// A project by name, in a domain.
        case project(name: String, domain: Domain)
    }

    /// The identity URL: `https://keystone.example.com/v3`, or the server root (`/v3` is added).
    public var authURL: URL
    /// The credentials.
    public var method: Method
    /// The project.
    public var scope: Scope
    /// The catalog region; `nil` works only when the catalog has a single one.
    public var region: String?
    /// The catalog interface.
    public var interface: EndpointInterface

    /// Creates a Keystone v3 provider.
    ///
    /// - Parameters:
    ///   - authURL: the identity URL, with or without `/v3`.
    ///   - method: password, application credential or token.
    ///   - scope: the project; the user's default project when not given.
    ///   - region: the catalog region.
    ///   - interface: `public` by default.
    public init(
        authURL: URL,
        method: Method,
        scope: Scope = .defaultProject,
        region: String? = nil,
        interface: EndpointInterface = .public
    ) {
        self.authURL = authURL
        self.method = method
        self.scope = scope
        self.region = region
        self.interface = interface
    }

    /// `Keystone v3 USER (project P) at URL`, without any secret.
    public var summary: String {
        var text = "Keystone v3 "
        switch method {
        case .password(let user, _): text += user.label
        case .applicationCredential(let id, _): text += "application credential \(id)"
        case .applicationCredentialName(let name, let user, _):
            text += "application credential \(name) of \(user.label)"
        case .token: text += "token"
        }
        switch scope {
        case .defaultProject: break
        case .projectID(let id): text += " (project id \(id))"
        case .project(let name, _): text += " (project \(name))"
        }
        return text + " at \(authURL.absoluteString)"
    }

    var secrets: [String] {
        switch method {
        case .password(_, let password): return [password]
        case .applicationCredential(_, let secret), .applicationCredentialName(_, _, let secret): return [secret]
        case .token(let token): return [token]
        }
    }

    /// The JSON body of the token request.
    var requestBody: [String: Any] {
        var identity: [String: Any]
        switch method {
        case .password(let user, let password):
            var userJSON = user.json
            userJSON["password"] = password
            identity = ["methods": ["password"], "password": ["user": userJSON]]
        case .applicationCredential(let id, let secret):
            identity = [
                "methods": ["application_credential"],
                "application_credential": ["id": id, "secret": secret],
            ]
        case .applicationCredentialName(let name, let user, let secret):
            identity = [
                "methods": ["application_credential"],
                "application_credential": ["name": name, "user": user.json, "secret": secret],
            ]
        case .token(let token):
            identity = ["methods": ["token"], "token": ["id": token]]
        }
        var auth: [String: Any] = ["identity": identity]
        switch (method, scope) {
        case (.applicationCredential, _), (.applicationCredentialName, _), (_, .defaultProject): break
        case (_, .projectID(let id)): auth["scope"] = ["project": ["id": id]]
        case (_, .project(let name, let domain)): auth["scope"] = ["project": ["name": name, "domain": domain.json]]
        }
        return ["auth": auth]
    }

    /// Asks Keystone for a token and picks the object-store endpoint from its catalog.
    ///
    /// - Throws: `.authenticationFailed` when Keystone refuses the credentials or answers
    ///   without a token; `.invalidArgument` when the region or interface is not in the
    ///   catalog (the message lists what is); `.network` when Keystone cannot be reached.
    public func authenticate(using context: AuthContext) async throws -> AuthSession {
        let url = IdentityJSON.url(authURL, appending: Self.tokensPath(for: authURL))
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "application/json")
        headers.add(name: "Accept", value: "application/json")
        let reply = try await context.perform(
            method: .POST, url: url, headers: headers,
            body: IdentityJSON.body(requestBody))
        guard (200..<300).contains(reply.status.code) else {
            throw reply.authenticationError(refusal(reply), method: .POST, url: url)
        }
        guard let token = reply.headers.first(name: "x-subject-token"), !token.isEmpty,
            let body = IdentityJSON.object(reply.body)?["token"] as? [String: Any]
        else {
            throw reply.authenticationError(
                "Keystone answered \(reply.status.code) without a token (X-Subject-Token); is \(url) a Keystone v3 URL?",
                method: .POST, url: url)
        }
        let expiresAt = (body["expires_at"] as? String).flatMap(HTTPDate.parseISO8601)
        guard let catalogJSON = body["catalog"].flatMap(IdentityJSON.data) else {
            throw reply.authenticationError(
                "Keystone gave a token without a service catalog: the token has no project scope; "
                    + "give a project (--project or OS_PROJECT_NAME)",
                method: .POST, url: url)
        }
        let catalog: ServiceCatalog
        do {
            catalog = try ServiceCatalog(keystoneV3: catalogJSON)
        } catch {
            throw CloudFilesError.invalidResponse.with(message: "Keystone's service catalog could not be read")
        }
        let endpoint = try catalog.select(region: region, interface: interface)
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

    /// `/auth/tokens` after a URL that names `/v3`, else `/v3/auth/tokens`.
    static func tokensPath(for authURL: URL) -> String {
        let components = authURL.path.split(separator: "/")
        if components.suffix(2) == ["auth", "tokens"] { return "/auth/tokens" }
        return components.last == "v3" ? "/auth/tokens" : "/v3/auth/tokens"
    }

    private func refusal(_ reply: AuthResponse) -> String {
        let who: String
        switch method {
        case .password(let user, _): who = "the password of \(user.label)"
        case .applicationCredential(let id, _): who = "application credential \(id)"
        case .applicationCredentialName(let name, let user, _): who = "application credential \(name) of \(user.label)"
        case .token: who = "the token"
        }
        var text: String
        switch reply.status.code {
        case 401: text = "Keystone refused \(who)"
        case 404: text = "no Keystone v3 token service at \(authURL.absoluteString) (404); check the auth URL"
        default: text = "Keystone authentication failed: \(reply.status.code) \(reply.status.reasonPhrase)"
        }
        if let message = IdentityJSON.serverMessage(reply.body, hiding: secrets), reply.status.code != 404 {
            text += ": \(message)"
        }
        return text
    }
}

extension KeystoneV3AuthProvider: CustomStringConvertible, CustomReflectable {
    /// The ``summary``: interpolating a provider never shows its secret.
    public var description: String { summary }

    /// A mirror without the credentials, so that `dump()` cannot leak them.
    public var customMirror: Mirror {
        Mirror(
            self, children: ["summary": summary, "region": region as Any, "interface": interface],
            displayStyle: .struct)
    }
}

extension AuthProvider where Self == KeystoneV3AuthProvider {
    /// Keystone v3, for example
    /// `.keystoneV3(authURL: url, method: .password(user: .name("demo", domain: .default), password: pw),
    /// scope: .project(name: "demo", domain: .default), region: "RegionOne")`.
    public static func keystoneV3(
        authURL: URL,
        method: KeystoneV3AuthProvider.Method,
        scope: KeystoneV3AuthProvider.Scope = .defaultProject,
        region: String? = nil,
        interface: EndpointInterface = .public
    ) -> KeystoneV3AuthProvider {
        KeystoneV3AuthProvider(authURL: authURL, method: method, scope: scope, region: region, interface: interface)
    }
}
