import Foundation

/// The `object-store` endpoints of an identity service's catalog (Keystone v3 or
/// Rackspace v2.0), and the rule that picks one by region and interface.
public struct ServiceCatalog: Sendable, Equatable {
    /// One object-store URL of the catalog.
    public struct Endpoint: Sendable, Hashable {
        /// The region, when the catalog names one (some Rackspace endpoints do not).
        public var region: String?
        /// Public, internal (ServiceNet) or admin.
        public var interface: EndpointInterface
        /// The storage URL, for example `https://storage101.dfw1.clouddrive.com/v1/MossoCloudFS_…`.
        public var url: String
        /// The catalog entry's name (`swift`, `cloudFiles`).
        public var serviceName: String?

        /// Creates an endpoint.
        public init(region: String?, interface: EndpointInterface, url: String, serviceName: String? = nil) {
            self.region = region
            self.interface = interface
            self.url = url
            self.serviceName = serviceName
        }
    }

    /// Every object-store endpoint, in catalog order.
    public var endpoints: [Endpoint]

    /// Creates a catalog from endpoints already found.
    public init(endpoints: [Endpoint]) {
        self.endpoints = endpoints
    }

    /// The regions that have an object-store endpoint, in catalog order, without repeats.
    public var regions: [String] {
        var seen = Set<String>()
        return endpoints.compactMap(\.region).filter { seen.insert($0).inserted }
    }

    /// Picks the endpoint to use.
    ///
    /// With a region, only that region's endpoints count (compared without case when no
    /// exact match exists). Without one, the identity service's default region is used if it
    /// has endpoints (Rackspace's `RAX-AUTH:defaultRegion`); otherwise the catalog must have a
    /// single region, or the error lists the regions to choose from.
    ///
    /// - Parameters:
    ///   - region: the region asked for, if any.
    ///   - interface: the interface asked for.
    ///   - defaultRegion: the identity service's default region, if it names one.
    /// - Returns: the chosen endpoint.
    /// - Throws: `.invalidArgument` naming the regions or interfaces available, or
    ///   `.invalidResponse` when the catalog has no object-store endpoint at all.
    public func select(
        region: String?,
        interface: EndpointInterface,
        defaultRegion: String? = nil
    ) throws -> Endpoint {
        guard !endpoints.isEmpty else {
            throw CloudFilesError.invalidResponse.with(
                message: "the service catalog has no object-store (Swift) endpoint for this user")
        }
        let candidates: [Endpoint]
        if let region {
            var inRegion = endpoints.filter { $0.region == region }
            if inRegion.isEmpty {
                inRegion = endpoints.filter { $0.region?.caseInsensitiveCompare(region) == .orderedSame }
            }
            guard !inRegion.isEmpty else {
                throw CloudFilesError.invalidArgument.with(
                    message: "the service catalog has no object-store endpoint in region '\(region)'; "
                        + "available regions: \(Self.list(regions))")
            }
            candidates = inRegion
        } else if let defaultRegion, endpoints.contains(where: { $0.region == defaultRegion }) {
            candidates = endpoints.filter { $0.region == defaultRegion }
        } else if regions.count > 1 {
            throw CloudFilesError.invalidArgument.with(
                message: "the service catalog has object-store endpoints in \(regions.count) regions: "
                    + "\(Self.list(regions)); choose one with --region (or OS_REGION_NAME)")
        } else {
            candidates = endpoints
        }
        guard let chosen = candidates.first(where: { $0.interface == interface }) else {
            let available = EndpointInterface.allCases.filter { i in candidates.contains { $0.interface == i } }
            let place = candidates.first?.region.map { "region '\($0)'" } ?? "the catalog"
            throw CloudFilesError.invalidArgument.with(
                message: "\(place) has no \(interface.rawValue) object-store endpoint; available interfaces: "
                    + Self.list(available.map(\.rawValue)))
        }
        return chosen
    }

    private static func list(_ names: [String]) -> String {
        names.isEmpty ? "none" : names.joined(separator: ", ")
    }
}

// MARK: - Parsing

extension ServiceCatalog {
    private struct V3Service: Decodable {
        var type: String
        var name: String?
        var endpoints: [V3Endpoint]
    }

    private struct V3Endpoint: Decodable {
        var interface: String
        var region: String?
        var region_id: String?
        var url: String
    }

    private struct V2Service: Decodable {
        var type: String
        var name: String?
        var endpoints: [V2Endpoint]
    }

    private struct V2Endpoint: Decodable {
        var region: String?
        var publicURL: String?
        var internalURL: String?
        var adminURL: String?
    }

    /// The object-store endpoints of a Keystone v3 `token.catalog` array.
    ///
    /// - Parameter json: the `catalog` array, as JSON data.
    /// - Throws: `DecodingError` when the JSON is not a v3 catalog.
    public init(keystoneV3 json: Data) throws {
        let services = try JSONDecoder().decode([V3Service].self, from: json)
        var endpoints: [Endpoint] = []
        for service in services where service.type == "object-store" {
            for endpoint in service.endpoints {
                guard let interface = EndpointInterface(parsing: endpoint.interface) else { continue }
                endpoints.append(
                    Endpoint(
                        region: endpoint.region_id ?? endpoint.region, interface: interface,
                        url: endpoint.url, serviceName: service.name))
            }
        }
        self.init(endpoints: endpoints)
    }

    /// The object-store endpoints of a v2.0 `access.serviceCatalog` array (Rackspace).
    ///
    /// Each v2 endpoint becomes up to three: its `publicURL`, `internalURL` (ServiceNet)
    /// and `adminURL`.
    ///
    /// - Parameter json: the `serviceCatalog` array, as JSON data.
    /// - Throws: `DecodingError` when the JSON is not a v2 catalog.
    public init(identityV2 json: Data) throws {
        let services = try JSONDecoder().decode([V2Service].self, from: json)
        var endpoints: [Endpoint] = []
        for service in services where service.type == "object-store" {
            for endpoint in service.endpoints {
                let urls: [(EndpointInterface, String?)] = [
                    (.public, endpoint.publicURL), (.internal, endpoint.internalURL), (.admin, endpoint.adminURL),
                ]
                for case (let interface, let url?) in urls where !url.isEmpty {
                    endpoints.append(
                        Endpoint(
                            region: endpoint.region, interface: interface, url: url,
                            serviceName: service.name))
                }
            }
        }
        self.init(endpoints: endpoints)
    }
}
