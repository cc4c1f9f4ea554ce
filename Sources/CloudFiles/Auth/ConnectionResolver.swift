import Foundation

/// Turns what a user said (`connect` options), the environment and `clouds.yaml` into an
/// ``AuthProvider``.
///
/// Precedence, field by field: options, then `OS_*` variables, then `ST_*` variables, then
/// the cloud's entry in `clouds.yaml` (with `secure.yaml`). A cloud is read only when one is
/// named, by `connect NAME` or `OS_CLOUD`; when one is, `ST_*` variables are ignored, since
/// they belong to python-swiftclient's own v1.0 set-up rather than to a cloud.
///
/// Everything is a parameter, so tests resolve without touching the process environment.
public struct ConnectionResolver: Sendable {
    /// The environment to read (`OS_*`, `ST_*`, `OS_CLOUD`, `XDG_CONFIG_HOME`, `HOME`, …).
    public var environment: [String: String]
    /// The folder `./clouds.yaml` is looked for in.
    public var currentDirectory: String
    /// Where to keep Keystone and Rackspace tokens between runs; `nil` keeps none. v1.0
    /// tokens are never cached, since their expiry is unknown.
    public var tokenCache: TokenCacheFile?

    /// Creates a resolver.
    ///
    /// - Parameters:
    ///   - environment: the process environment by default.
    ///   - currentDirectory: the process's working folder by default.
    ///   - tokenCache: a file to keep tokens in between runs; by default, with an `appName`,
    ///     the XDG one when the environment has `APPNAME_TOKEN_CACHE=1` (`MYAPP_TOKEN_CACHE`
    ///     for `myapp`), else none.
    ///   - appName: the program's name, for its folder in the XDG cache folder and the
    ///     variable that turns the default token cache on; `nil` keeps no default cache.
    public init(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        currentDirectory: String = FileManager.default.currentDirectoryPath,
        tokenCache: TokenCacheFile? = nil,
        appName: String? = nil
    ) {
        self.environment = environment
        self.currentDirectory = currentDirectory
        self.tokenCache =
            tokenCache
            ?? appName.flatMap { appName in
                environment[Self.tokenCacheVariable(appName: appName)] == "1"
                    ? TokenCacheFile.standard(environment: environment, appName: appName) : nil
            }
    }

    /// The variable that turns an application's token cache on: its name in capitals, with
    /// anything but letters and digits as `_`, then `_TOKEN_CACHE` (`my-app`: `MY_APP_TOKEN_CACHE`).
    static func tokenCacheVariable(appName: String) -> String {
        String(appName.uppercased().map { $0.isASCII && ($0.isLetter || $0.isNumber) ? $0 : "_" }) + "_TOKEN_CACHE"
    }

    /// The options after layering the environment and `clouds.yaml` under them.
    ///
    /// - Parameter options: what the user gave on `connect`.
    /// - Returns: the effective options.
    /// - Throws: `.invalidArgument` when a named cloud is missing or a file is malformed.
    public func layered(_ options: ConnectionOptions) throws -> ConnectionOptions {
        let env = ConnectionOptions.fromEnvironment(environment)
        guard let cloud = options.cloud ?? env.cloud else {
            return options.overriding(env)
        }
        let config = try CloudsConfig.load(environment: environment, currentDirectory: currentDirectory)
        let paths = CloudsConfig.searchPaths(environment: environment, currentDirectory: currentDirectory)
        var file = try config.options(forCloud: cloud, searched: paths.clouds)
        file.cloud = cloud
        var osOnly = ConnectionOptions.fromEnvironment(environment.filter { !$0.key.hasPrefix("ST_") })
        osOnly.cloud = cloud
        return options.overriding(osOnly).overriding(file)
    }

    /// The provider for the options, after layering (see ``layered(_:)``).
    ///
    /// - Parameter options: what the user gave on `connect`.
    /// - Returns: the provider to build a ``CloudFilesClient`` with.
    /// - Throws: `.invalidArgument` saying what is missing.
    public func provider(for options: ConnectionOptions) throws -> any AuthProvider {
        let effective = try layered(options)
        let provider = try effective.makeProvider()
        guard let tokenCache, let key = effective.tokenCacheKey else { return provider }
        return CachedAuthProvider(provider, cache: tokenCache, key: key)
    }
}

extension ConnectionOptions {
    /// What to ask for when a secret is missing (`"Password for demo"`), or `nil` when none is.
    ///
    /// `connect` on a terminal asks with this text when the secret is the only thing missing,
    /// and puts the answer where ``withPromptedSecret(_:)`` says.
    public var missingSecretPrompt: String? {
        guard let prompt = secretPrompt else { return nil }
        switch inferredAuthVersion {
        case .v1, .v2:
            return (key ?? password) == nil ? prompt : nil
        case .v3:
            if applicationCredentialID != nil || applicationCredentialName != nil {
                return applicationCredentialSecret == nil ? prompt : nil
            }
            return (password ?? key) == nil && token == nil ? prompt : nil
        }
    }

    /// What `connect --password-prompt` asks for with these options (`"Password for demo"`,
    /// `"API key for me"`, `"Key for account:user"`, `"Application credential secret"`), or
    /// `nil` when they authenticate without a secret (a storage URL with a token, or no auth URL).
    public var secretPrompt: String? {
        if storageURL != nil, token != nil { return nil }
        guard authURL != nil else { return nil }
        let who = user ?? userID ?? ""
        switch inferredAuthVersion {
        case .v1: return "Key for \(who)"
        case .v2: return key == nil && password != nil ? "Password for \(who)" : "API key for \(who)"
        case .v3:
            if applicationCredentialID != nil || applicationCredentialName != nil {
                return "Application credential secret"
            }
            if token != nil, user == nil, userID == nil { return nil }
            return "Password for \(who)"
        }
    }

    /// These options with a secret the user typed at the prompt, put where ``secretPrompt``
    /// asked for it: the key (v1.0, Rackspace API key), the password, or the application
    /// credential's secret.
    ///
    /// - Parameter secret: the answer, without its newline.
    /// - Returns: the options with the secret in place.
    public func withPromptedSecret(_ secret: String) -> ConnectionOptions {
        var options = self
        switch inferredAuthVersion {
        case .v1:
            options.key = secret
        case .v2:
            if key == nil && password != nil { options.password = secret } else { options.key = secret }
        case .v3:
            if applicationCredentialID != nil || applicationCredentialName != nil {
                options.applicationCredentialSecret = secret
            } else {
                options.password = secret
                options.key = nil
            }
        }
        return options
    }

    /// The key of these options' token in a ``TokenCacheFile``: `nil` for v1.0 and for a
    /// token given with its storage URL, which have nothing worth caching.
    ///
    /// The key covers every secret the login would send (password, key, application
    /// credential secret, token), so that a different secret never finds the token a right
    /// one obtained: it has to go to the identity service, and fail there.
    public var tokenCacheKey: String? {
        guard let authURL, !(storageURL != nil && token != nil), inferredAuthVersion != .v1 else { return nil }
        let who = user ?? userID ?? applicationCredentialID ?? applicationCredentialName
        return TokenCacheFile.key([
            inferredAuthVersion.rawValue, authURL, who, userDomainID ?? userDomainName,
            applicationCredentialID ?? applicationCredentialName,
            projectID ?? projectName, projectDomainID ?? projectDomainName,
            region, (interface ?? .public).rawValue, storageURL,
            password, key, applicationCredentialSecret, token,
        ])
    }

    /// The provider these options describe, without layering anything under them.
    ///
    /// - With ``storageURL`` and ``token``: the token is used as is, nothing is sent.
    /// - Otherwise ``authURL`` is needed, and ``inferredAuthVersion`` picks v1.0
    ///   (``key``, ServiceNet with `internal`), Rackspace v2.0 (API ``key`` or ``password``),
    ///   or Keystone v3 (application credential, then password, then ``token``).
    /// - ``storageURL`` without a token replaces the storage URL the identity service gives.
    ///
    /// - Throws: `.invalidArgument` saying which option or variable is missing.
    public func makeProvider() throws -> any AuthProvider {
        if let storageURL, let token {
            return TokenAuthProvider(storageURL: try Self.url(storageURL, "storage URL"), token: token)
        }
        guard let authURL else {
            throw CloudFilesError.invalidArgument.with(
                message: storageURL != nil
                    ? "a storage URL needs a token too (--token or OS_AUTH_TOKEN)"
                    : "not connected: give --auth-url (or OS_AUTH_URL / ST_AUTH), name a cloud from clouds.yaml "
                        + "(connect NAME or OS_CLOUD), or give --storage-url with --token")
        }
        let url = try Self.url(authURL, "auth URL")
        let base: any AuthProvider
        switch inferredAuthVersion {
        case .v1: base = try v1Provider(url)
        case .v2: base = try rackspaceProvider(url)
        case .v3: base = try keystoneProvider(url)
        }
        if let storageURL {
            return StorageURLOverrideAuthProvider(
                AnyAuthProvider(base), storageURL: try Self.url(storageURL, "storage URL"))
        }
        return base
    }

    private func v1Provider(_ url: URL) throws -> any AuthProvider {
        guard let user else { throw missing("a user", "--user, ST_USER or OS_USERNAME", version: "v1.0") }
        guard let secret = key ?? password else {
            throw missing("a key", "--key, ST_KEY, or --password-prompt", version: "v1.0")
        }
        let provider = V1AuthProvider(authURL: url, user: user, key: secret)
        switch interface {
        case .internal?: return ServiceNetAuthProvider(provider)
        case .admin?: throw CloudFilesError.invalidArgument.with(message: "v1.0 auth has no admin interface")
        case .public?, nil: return provider
        }
    }

    private func rackspaceProvider(_ url: URL) throws -> any AuthProvider {
        guard let user else { throw missing("a username", "--user or OS_USERNAME", version: "v2.0") }
        let credential: RackspaceAuthProvider.Credential
        if let key {
            credential = .apiKey(key)
        } else if let password {
            credential = .password(password)
        } else {
            throw missing("an API key or a password", "--key, --password or --password-prompt", version: "v2.0")
        }
        return RackspaceAuthProvider(
            authURL: url, username: user, credential: credential,
            region: region, interface: interface ?? .public)
    }

    private func keystoneProvider(_ url: URL) throws -> any AuthProvider {
        let userDomain: KeystoneV3AuthProvider.Domain =
            userDomainID.map { .id($0) } ?? userDomainName.map { .name($0) } ?? .default
        let keystoneUser: KeystoneV3AuthProvider.User? =
            userID.map { .id($0) } ?? user.map { .name($0, domain: userDomain) }
        let method: KeystoneV3AuthProvider.Method
        if applicationCredentialID != nil || applicationCredentialName != nil {
            guard let secret = applicationCredentialSecret else {
                throw missing(
                    "the application credential's secret",
                    "--application-credential-secret or OS_APPLICATION_CREDENTIAL_SECRET", version: "v3")
            }
            if let id = applicationCredentialID {
                method = .applicationCredential(id: id, secret: secret)
            } else if let name = applicationCredentialName, let keystoneUser {
                method = .applicationCredentialName(name, user: keystoneUser, secret: secret)
            } else {
                throw missing(
                    "the user of the application credential named \(applicationCredentialName ?? "")",
                    "--user (with --user-domain) or --user-id", version: "v3")
            }
        } else if let keystoneUser, let secret = password ?? key {
            method = .password(user: keystoneUser, password: secret)
        } else if let token {
            method = .token(token)
        } else if keystoneUser == nil {
            throw missing("a user", "--user or OS_USERNAME (or --user-id), or an application credential", version: "v3")
        } else {
            throw missing(
                "a password", "OS_PASSWORD, clouds.yaml/secure.yaml, --password-prompt or --password",
                version: "v3")
        }
        let projectDomain: KeystoneV3AuthProvider.Domain =
            projectDomainID.map { .id($0) } ?? projectDomainName.map { .name($0) } ?? userDomain
        let scope: KeystoneV3AuthProvider.Scope =
            projectID.map { .projectID($0) } ?? projectName.map { .project(name: $0, domain: projectDomain) }
            ?? .defaultProject
        return KeystoneV3AuthProvider(
            authURL: url, method: method, scope: scope, region: region,
            interface: interface ?? .public)
    }

    private func missing(_ what: String, _ how: String, version: String) -> CloudFilesError {
        CloudFilesError.invalidArgument.with(message: "auth \(version) needs \(what): give \(how)")
    }

    private static func url(_ text: String, _ name: String) throws -> URL {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(),
            scheme == "http" || scheme == "https", url.host != nil
        else {
            throw CloudFilesError.invalidArgument.with(message: "the \(name) is not an http(s) URL: \(text)")
        }
        return url
    }
}

/// A provider of any type behind one concrete type, for wrappers such as
/// ``StorageURLOverrideAuthProvider`` whose base is chosen at run time.
public struct AnyAuthProvider: AuthProvider, CustomStringConvertible {
    /// The wrapped provider.
    public let base: any AuthProvider

    /// Wraps a provider.
    public init(_ base: any AuthProvider) {
        self.base = base
    }

    /// The wrapped provider's summary.
    public var summary: String { base.summary }

    /// The ``summary``.
    public var description: String { summary }

    /// Authenticates with the wrapped provider.
    public func authenticate(using context: AuthContext) async throws -> AuthSession {
        try await base.authenticate(using: context)
    }
}
