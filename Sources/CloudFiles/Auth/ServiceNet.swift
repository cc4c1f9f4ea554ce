import Foundation

/// v1.0 auth on ServiceNet: the storage host gets an `snet-` prefix
/// (`storage101.dfw1.clouddrive.com` → `snet-storage101.dfw1.clouddrive.com`), as
/// python-cloudfiles did, so traffic stays on Rackspace's private network.
///
/// Catalog-based auth (Keystone, Rackspace v2.0) does not need this: its `internal`
/// interface already names the private URL.
public struct ServiceNetAuthProvider<Base: AuthProvider>: AuthProvider {
    /// The provider whose storage URL is rewritten.
    public var base: Base

    /// Wraps a provider.
    public init(_ base: Base) {
        self.base = base
    }

    /// The base provider's summary, marked as ServiceNet.
    public var summary: String { base.summary + " (ServiceNet)" }

    /// Authenticates with the base provider and rewrites the storage host.
    public func authenticate(using context: AuthContext) async throws -> AuthSession {
        var session = try await base.authenticate(using: context)
        session.storageURL = Self.serviceNetURL(session.storageURL)
        var endpoint = session.endpoint ?? AuthEndpoint()
        endpoint.interface = EndpointInterface.internal.rawValue
        session.endpoint = endpoint
        return session
    }

    /// `url` with `snet-` before its host, unless it is there already.
    public static func serviceNetURL(_ url: URL) -> URL {
        guard var components = URLComponents(url: url, resolvingAgainstBaseURL: false),
            let host = components.host, !host.hasPrefix("snet-")
        else { return url }
        components.host = "snet-" + host
        return components.url ?? url
    }
}

extension ServiceNetAuthProvider: CustomStringConvertible {
    /// The ``summary``.
    public var description: String { summary }
}

/// Authenticates with another provider but sends storage requests to a given URL
/// (`OS_STORAGE_URL` or `--storage-url` together with credentials, as python-swiftclient allows).
public struct StorageURLOverrideAuthProvider<Base: AuthProvider>: AuthProvider {
    /// The provider that obtains the token.
    public var base: Base
    /// The storage URL used instead of the one the base provider finds.
    public var storageURL: URL

    /// Wraps a provider.
    public init(_ base: Base, storageURL: URL) {
        self.base = base
        self.storageURL = storageURL
    }

    /// The base provider's summary and the storage URL.
    public var summary: String { base.summary + ", storage \(storageURL.absoluteString)" }

    /// Authenticates with the base provider and replaces the storage URL.
    public func authenticate(using context: AuthContext) async throws -> AuthSession {
        var session = try await base.authenticate(using: context)
        session.storageURL = storageURL
        return session
    }
}

extension StorageURLOverrideAuthProvider: CustomStringConvertible {
    /// The ``summary``.
    public var description: String { summary }
}
