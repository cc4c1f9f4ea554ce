import Foundation

extension ConnectionOptions {
    /// Reads the variables python-swiftclient and the OpenStack tools read.
    ///
    /// `OS_*` variables win over their `ST_*` counterparts (`OS_AUTH_URL` over `ST_AUTH`,
    /// `OS_PASSWORD` over `ST_KEY` for the password, …). Empty variables count as unset.
    ///
    /// - Parameter environment: the process environment, or a test's dictionary.
    /// - Returns: the options the environment sets; `cloud` comes from `OS_CLOUD`.
    public static func fromEnvironment(_ environment: [String: String]) -> ConnectionOptions {
        func value(_ names: [String]) -> String? {
            for name in names {
                if let value = environment[name], !value.isEmpty { return value }
            }
            return nil
        }
        func value(_ names: String...) -> String? { value(names) }
        var options = ConnectionOptions()
        for option in sharedTextOptions { options[keyPath: option.field] = value(option.environment) }
        options.cloud = value("OS_CLOUD")
        options.authVersion = value("OS_AUTH_VERSION", "OS_IDENTITY_API_VERSION", "ST_AUTH_VERSION")
            .flatMap(AuthVersion.init(parsing:))
        options.authType = value("OS_AUTH_TYPE")
        options.region = value("OS_REGION_NAME")
        options.interface = value("OS_INTERFACE", "OS_ENDPOINT_TYPE").flatMap(EndpointInterface.init(parsing:))
        options.storageURL = value("OS_STORAGE_URL")
        return options
    }

    /// A text option that both the environment and a `clouds.yaml` entry's `auth` map set,
    /// with the names each gives it; in each list the first one set wins.
    struct SharedTextOption {
        var field: WritableKeyPath<ConnectionOptions, String?>
        var environment: [String]
        var cloudsAuth: [String]
    }

    /// The credentials and identity options, as python-swiftclient's variables and
    /// openstacksdk's `clouds.yaml` keys name them.
    static var sharedTextOptions: [SharedTextOption] {
        [
            .init(field: \.authURL, environment: ["OS_AUTH_URL", "ST_AUTH"], cloudsAuth: ["auth_url"]),
            .init(field: \.user, environment: ["OS_USERNAME", "ST_USER"], cloudsAuth: ["username", "user_name"]),
            .init(field: \.userID, environment: ["OS_USER_ID"], cloudsAuth: ["user_id"]),
            .init(field: \.key, environment: ["ST_KEY"], cloudsAuth: ["api_key"]),
            .init(field: \.password, environment: ["OS_PASSWORD"], cloudsAuth: ["password"]),
            .init(
                field: \.projectName, environment: ["OS_PROJECT_NAME", "OS_TENANT_NAME"],
                cloudsAuth: ["project_name", "tenant_name"]),
            .init(
                field: \.projectID, environment: ["OS_PROJECT_ID", "OS_TENANT_ID"],
                cloudsAuth: ["project_id", "tenant_id"]),
            .init(field: \.userDomainName, environment: ["OS_USER_DOMAIN_NAME"], cloudsAuth: ["user_domain_name"]),
            .init(field: \.userDomainID, environment: ["OS_USER_DOMAIN_ID"], cloudsAuth: ["user_domain_id"]),
            .init(
                field: \.projectDomainName, environment: ["OS_PROJECT_DOMAIN_NAME"],
                cloudsAuth: ["project_domain_name"]),
            .init(field: \.projectDomainID, environment: ["OS_PROJECT_DOMAIN_ID"], cloudsAuth: ["project_domain_id"]),
            .init(
                field: \.applicationCredentialID, environment: ["OS_APPLICATION_CREDENTIAL_ID"],
                cloudsAuth: ["application_credential_id"]),
            .init(
                field: \.applicationCredentialName, environment: ["OS_APPLICATION_CREDENTIAL_NAME"],
                cloudsAuth: ["application_credential_name"]),
            .init(
                field: \.applicationCredentialSecret, environment: ["OS_APPLICATION_CREDENTIAL_SECRET"],
                cloudsAuth: ["application_credential_secret"]),
            .init(field: \.token, environment: ["OS_AUTH_TOKEN"], cloudsAuth: ["token"]),
        ]
    }

    /// The auth version to use: the one given, else inferred the way python-swiftclient
    /// infers it, with one change for today's clouds (see below).
    ///
    /// In order: an explicit ``authVersion``; the version an OpenStack ``authType`` implies
    /// (`v1password`, `v2password`, `v3password`, `v3applicationcredential`); the version at
    /// the end of ``authURL`` (`…/v1.0`, `…/v2.0`, `…/v3`); `3` when an application credential
    /// or any domain is given; `1` when a URL, a user and a key are all given (the `ST_*`
    /// triple); otherwise `3`. python-swiftclient picks `2.0` in that last case, but Keystone
    /// removed v2.0 in 2017, so a password without a versioned URL means Keystone v3 today.
    /// Rackspace's v2.0 is reached through its `…/v2.0/` URL or `--auth-version 2`.
    public var inferredAuthVersion: AuthVersion {
        if let authVersion { return authVersion }
        switch authType?.lowercased() {
        case "v1password": return .v1
        case "v2password": return .v2
        case "v3password", "v3applicationcredential", "v3token", "password", "token", "application_credential":
            return .v3
        default: break
        }
        if let version = authURL.flatMap(Self.versionInURL) { return version }
        let domains = [userDomainName, userDomainID, projectDomainName, projectDomainID]
        if applicationCredentialID != nil || applicationCredentialName != nil
            || domains.contains(where: { $0 != nil })
        {
            return .v3
        }
        if authURL != nil, user != nil, key != nil { return .v1 }
        return .v3
    }

    /// The version named by the last path component of an auth URL, if any.
    static func versionInURL(_ text: String) -> AuthVersion? {
        guard let components = URLComponents(string: text) else { return nil }
        let last = components.path.split(separator: "/").last.map(String.init)?.lowercased()
        switch last {
        case "v1.0", "v1": return .v1
        case "v2.0", "v2": return .v2
        case "v3": return .v3
        default: return nil
        }
    }
}
