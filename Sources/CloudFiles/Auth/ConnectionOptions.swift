import Foundation

/// Which identity protocol a connection authenticates with.
public enum AuthVersion: String, Sendable, Hashable, CaseIterable {
    /// Swift's v1.0 auth (tempauth, swauth, Rackspace's legacy auth): user and key headers.
    case v1 = "1"
    /// Identity v2.0 as Rackspace runs it: an API key or a password, and a v2 catalog.
    case v2 = "2"
    /// Keystone v3: password, application credential or token, and a v3 catalog.
    case v3 = "3"

    /// Reads the spellings python-swiftclient accepts: `1`, `1.0`, `v1`, `2`, `2.0`, `3`, `3.0`, `v3`.
    ///
    /// - Parameter text: the version as a user typed it.
    /// - Returns: `nil` when the text names no known version.
    public init?(parsing text: String) {
        var text = text.trimmingCharacters(in: .whitespaces).lowercased()
        if text.hasPrefix("v") { text.removeFirst() }
        switch text {
        case "1", "1.0": self = .v1
        case "2", "2.0": self = .v2
        case "3", "3.0": self = .v3
        default: return nil
        }
    }
}

/// Which of a catalog's endpoints to use: the Internet-facing one, the private network one
/// (Rackspace's ServiceNet), or the operator's.
public enum EndpointInterface: String, Sendable, Hashable, CaseIterable {
    /// The default: reachable from anywhere.
    case `public`
    /// The provider's private network (ServiceNet on Rackspace); free of bandwidth charges there.
    case `internal`
    /// The operator's endpoint, rarely open to customers.
    case admin

    /// Reads `public`, `internal`, `admin` and the v2 spellings `publicURL`, `internalURL`, `adminURL`.
    ///
    /// - Parameter text: the interface as a user or a catalog wrote it.
    /// - Returns: `nil` for anything else.
    public init?(parsing text: String) {
        var text = text.trimmingCharacters(in: .whitespaces).lowercased()
        if text.hasSuffix("url") { text.removeLast(3) }
        self.init(rawValue: text)
    }
}

/// Everything a user can say about how to connect, from any source: `connect` options,
/// `OS_*`/`ST_*` environment variables, or a `clouds.yaml` entry.
///
/// Every field is optional so that sources can be layered with ``overriding(_:)``:
/// options over the environment over files. ``resolve(environment:)`` turns the result into
/// an ``AuthProvider``. `description` and `dump()` never show a secret.
public struct ConnectionOptions: Sendable, Equatable {
    /// A `clouds.yaml` entry to read (`connect NAME`, or `OS_CLOUD`).
    public var cloud: String?
    /// The identity endpoint: a v1.0 auth URL, a Rackspace v2.0 URL, or a Keystone URL.
    public var authURL: String?
    /// The identity protocol; inferred when `nil` (see ``inferredAuthVersion``).
    public var authVersion: AuthVersion?
    /// An OpenStack auth type (`v3password`, `v3applicationcredential`, `v1password`, …).
    public var authType: String?
    /// The user name (v1.0 `account:user`, Rackspace username, Keystone user name).
    public var user: String?
    /// The Keystone user id, instead of a name and domain.
    public var userID: String?
    /// An API key (Rackspace) or a v1.0 key; Keystone takes it as the password.
    public var key: String?
    /// A password (Keystone, or Rackspace password credentials).
    public var password: String?
    /// The Keystone project (tenant) name.
    public var projectName: String?
    /// The Keystone project (tenant) id.
    public var projectID: String?
    /// The domain name of the user; `Default` when neither it nor ``userDomainID`` is given.
    public var userDomainName: String?
    /// The domain id of the user.
    public var userDomainID: String?
    /// The domain name of the project; the user's domain when not given.
    public var projectDomainName: String?
    /// The domain id of the project.
    public var projectDomainID: String?
    /// The catalog region (`RegionOne`, `DFW`, …).
    public var region: String?
    /// The catalog interface; `internal` with v1.0 means the `snet-` storage host.
    public var interface: EndpointInterface?
    /// A Keystone application credential id.
    public var applicationCredentialID: String?
    /// A Keystone application credential name (needs the user too).
    public var applicationCredentialName: String?
    /// The application credential's secret.
    public var applicationCredentialSecret: String?
    /// A storage URL to use as is: with ``token``, no authentication at all.
    public var storageURL: String?
    /// An existing token: with ``storageURL`` it is used as is, with a Keystone ``authURL``
    /// it is exchanged for a scoped token and a catalog.
    public var token: String?

    /// Creates options with every field unset.
    public init() {}

    /// These options, with every unset field taken from `lower`.
    ///
    /// - Parameter lower: a source of lower precedence (the environment under options, files
    ///   under the environment).
    /// - Returns: the layered options.
    public func overriding(_ lower: ConnectionOptions) -> ConnectionOptions {
        var merged = self
        for field in Self.stringFields where merged[keyPath: field] == nil {
            merged[keyPath: field] = lower[keyPath: field]
        }
        merged.authVersion = authVersion ?? lower.authVersion
        merged.interface = interface ?? lower.interface
        return merged
    }

    /// True when no field is set.
    public var isEmpty: Bool { self == ConnectionOptions() }

    static var stringFields: [WritableKeyPath<ConnectionOptions, String?>] {
        [
            \.cloud, \.authURL, \.authType, \.user, \.userID, \.key, \.password, \.projectName,
            \.projectID, \.userDomainName, \.userDomainID, \.projectDomainName, \.projectDomainID,
            \.region, \.applicationCredentialID, \.applicationCredentialName,
            \.applicationCredentialSecret, \.storageURL, \.token,
        ]
    }

    /// The fields whose values must never be shown.
    static var secretFields: [WritableKeyPath<ConnectionOptions, String?>] {
        [
            \.key, \.password, \.applicationCredentialSecret, \.token,
        ]
    }

    /// The secrets these options hold, so that callers can scrub them from text they show.
    public var secrets: [String] {
        Self.secretFields.compactMap { self[keyPath: $0] }.filter { !$0.isEmpty }
    }
}

extension ConnectionOptions: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    private var redactedFields: [(String, String)] {
        var fields: [(String, String)] = []
        func add(_ name: String, _ value: String?, secret: Bool = false) {
            guard let value else { return }
            fields.append((name, secret ? "<redacted>" : value))
        }
        add("cloud", cloud)
        add("authURL", authURL)
        add("authVersion", authVersion?.rawValue)
        add("authType", authType)
        add("user", user)
        add("userID", userID)
        add("key", key, secret: true)
        add("password", password, secret: true)
        add("projectName", projectName)
        add("projectID", projectID)
        add("userDomainName", userDomainName)
        add("userDomainID", userDomainID)
        add("projectDomainName", projectDomainName)
        add("projectDomainID", projectDomainID)
        add("region", region)
        add("interface", interface?.rawValue)
        add("applicationCredentialID", applicationCredentialID)
        add("applicationCredentialName", applicationCredentialName)
        add("applicationCredentialSecret", applicationCredentialSecret, secret: true)
        add("storageURL", storageURL)
        add("token", token, secret: true)
        return fields
    }

    /// The set fields, secrets shown as `<redacted>`.
    public var description: String {
        "ConnectionOptions(" + redactedFields.map { "\($0.0): \($0.1)" }.joined(separator: ", ") + ")"
    }

    /// The same as ``description``: secrets stay hidden in debug output too.
    public var debugDescription: String { description }

    /// A mirror without secrets, so that `dump()` cannot leak them.
    public var customMirror: Mirror {
        Mirror(
            self, children: redactedFields.map { (label: String?.some($0.0), value: $0.1 as Any) },
            displayStyle: .struct)
    }
}
