import Foundation
import NIOCore

/// What a cluster says about itself in `GET /info`: limits and middlewares.
public struct Capabilities: Sendable {
    /// Static large objects (`slo`).
    public struct SLO: Sendable, Hashable {
        /// The most segments in one manifest (default 1000).
        public var maxManifestSegments: Int
        /// The largest manifest body in bytes.
        public var maxManifestSize: Int?
        /// The smallest segment allowed, except the last.
        public var minSegmentSize: Int64?
    }

    /// Bulk delete (`bulk_delete`).
    public struct BulkDelete: Sendable, Hashable {
        /// The most items in one request (default 10000).
        public var maxDeletesPerRequest: Int
        /// After this many failures the server stops the request.
        public var maxFailedDeletes: Int?
    }

    /// Temporary URLs (`tempurl`).
    public struct TempURL: Sendable, Hashable {
        /// The HMAC digests the cluster accepts (`allowed_digests`); only `sha1` for a
        /// middleware too old to list them.
        public var allowedDigests: [String]
        /// Digests the cluster still accepts but means to drop (`deprecated_digests`).
        public var deprecatedDigests: [String]
        /// The methods a temp URL may be made for (`methods`).
        public var methods: [String]

        public init(allowedDigests: [String], deprecatedDigests: [String] = [], methods: [String] = []) {
            self.allowedDigests = allowedDigests
            self.deprecatedDigests = deprecatedDigests
            self.methods = methods
        }
    }

    /// Symlinks (`symlink`).
    public struct Symlink: Sendable, Hashable {
        /// How many links in a row a read follows.
        public var symloopMax: Int?
        /// Whether static links (`X-Symlink-Target-Etag`) are supported.
        public var staticLinks: Bool
    }

    /// Bulk upload of archives (`bulk_upload`).
    public struct BulkUpload: Sendable, Hashable {
        /// The most containers one archive may create.
        public var maxContainersPerExtraction: Int?
        /// After this many failures the server stops the extraction.
        public var maxFailedExtractions: Int?
    }

    /// The Swift version, if published.
    public var version: String?
    /// The largest single object (or segment) in bytes.
    public var maxFileSize: Int64
    /// The longest object name in bytes.
    public var maxObjectNameLength: Int
    /// The longest container name in bytes.
    public var maxContainerNameLength: Int
    /// The most entries one object-listing page may return.
    public var containerListingLimit: Int
    /// The most entries one container-listing page may return.
    public var accountListingLimit: Int
    /// The longest metadata name in bytes, without its `X-…-Meta-` prefix.
    public var maxMetaNameLength: Int?
    /// The longest metadata value in bytes.
    public var maxMetaValueLength: Int?
    /// The most metadata items per resource.
    public var maxMetaCount: Int?
    /// The most bytes of metadata per resource.
    public var maxMetaOverallSize: Int?
    /// Static large object support, if the cluster has the middleware.
    public var slo: SLO?
    /// Bulk delete support, if the cluster has the middleware.
    public var bulkDelete: BulkDelete?
    /// The longest account name, in bytes.
    public var maxAccountNameLength: Int?
    /// The longest request header line, in bytes.
    public var maxHeaderSize: Int?
    /// Temporary URL support, if the cluster has the middleware.
    public var tempURL: TempURL?
    /// Whether the cluster has object versioning (`object_versioning`: `X-Versions-Enabled`).
    public var objectVersioning: Bool
    /// Whether the cluster has the legacy versioned writes (`versioned_writes`:
    /// `X-History-Location`, `X-Versions-Location`).
    public var legacyVersionedWrites: Bool
    /// Symlink support, if the cluster has the middleware.
    public var symlink: Symlink?
    /// Bulk upload support, if the cluster has the middleware.
    public var bulkUpload: BulkUpload?
    /// The JSON of `GET /info` as the server sent it.
    public var json: Data
    /// Every top-level section (`swift`, `slo`, `tempurl`, …), sorted. Dynamic large
    /// objects are not listed: Swift always has them.
    public var sections: [String]

    /// Parses the JSON of `GET /info`; missing limits get Swift's defaults.
    public init(json: Data) throws {
        guard let root = try? JSONSerialization.jsonObject(with: json) as? [String: Any] else {
            throw CloudFilesError.invalidResponse.with(message: "/info did not return a JSON object")
        }
        let swift = root["swift"] as? [String: Any] ?? [:]
        // Through the text, so that 1e300 or -1 is no limit rather than a trap or nonsense.
        func int(_ dict: [String: Any], _ key: String) -> Int? {
            ((dict[key] as? NSNumber)?.stringValue ?? dict[key] as? String)
                .flatMap { WireNumber.count($0) }.flatMap { Int(exactly: $0) }
        }
        version = swift["version"] as? String
        maxFileSize = Int64(int(swift, "max_file_size") ?? 5_368_709_122)
        maxObjectNameLength = int(swift, "max_object_name_length") ?? Names.maxObjectNameBytes
        maxContainerNameLength = int(swift, "max_container_name_length") ?? Names.maxContainerNameBytes
        containerListingLimit = int(swift, "container_listing_limit") ?? 10_000
        accountListingLimit = int(swift, "account_listing_limit") ?? 10_000
        maxMetaNameLength = int(swift, "max_meta_name_length")
        maxMetaValueLength = int(swift, "max_meta_value_length")
        maxMetaCount = int(swift, "max_meta_count")
        maxMetaOverallSize = int(swift, "max_meta_overall_size")
        if let slo = root["slo"] as? [String: Any] {
            self.slo = SLO(
                maxManifestSegments: int(slo, "max_manifest_segments") ?? 1000,
                maxManifestSize: int(slo, "max_manifest_size"),
                minSegmentSize: int(slo, "min_segment_size").map(Int64.init))
        }
        if let bulk = root["bulk_delete"] as? [String: Any] {
            bulkDelete = BulkDelete(
                maxDeletesPerRequest: int(bulk, "max_deletes_per_request") ?? 10_000,
                maxFailedDeletes: int(bulk, "max_failed_deletes"))
        }
        maxAccountNameLength = int(swift, "max_account_name_length")
        maxHeaderSize = int(swift, "max_header_size")
        // Short lists of short words; anything else in them is the server's noise.
        func words(_ dict: [String: Any], _ key: String) -> [String] {
            let values = (dict[key] as? [Any] ?? []).prefix(32).compactMap { $0 as? String }
            return values.filter {
                !$0.isEmpty && $0.utf8.count <= 64 && !$0.unicodeScalars.contains(where: Names.needsEscape)
            }
        }
        if let tempurl = root["tempurl"] as? [String: Any] {
            // A middleware too old to list its digests accepts only sha1; a list of the
            // wrong type is read as empty, so that nothing is signed on a guess.
            func list(_ key: String, default value: [String]) -> [String] {
                tempurl[key] == nil ? value : words(tempurl, key)
            }
            tempURL = TempURL(
                allowedDigests: list("allowed_digests", default: ["sha1"]),
                deprecatedDigests: list("deprecated_digests", default: []),
                methods: list("methods", default: ["GET", "HEAD", "PUT", "POST", "DELETE"]))
        }
        objectVersioning = root["object_versioning"] != nil
        legacyVersionedWrites = root["versioned_writes"] != nil
        if let symlink = root["symlink"] as? [String: Any] {
            self.symlink = Symlink(
                symloopMax: int(symlink, "symloop_max"), staticLinks: (symlink["static_links"] as? Bool) ?? false)
        }
        if let bulk = root["bulk_upload"] as? [String: Any] {
            bulkUpload = BulkUpload(
                maxContainersPerExtraction: int(bulk, "max_containers_per_extraction"),
                maxFailedExtractions: int(bulk, "max_failed_extractions"))
        }
        self.json = json
        sections = root.keys.sorted()
    }
}

extension Capabilities {
    /// Checks user metadata against the cluster's limits before it is sent: each name's
    /// and value's length in bytes (`max_meta_name_length`, `max_meta_value_length`), the
    /// number of keys (`max_meta_count`) and their total size, names plus values
    /// (`max_meta_overall_size`), as Swift counts them. Limits the cluster does not publish
    /// are not checked.
    ///
    /// - Parameter metadata: the complete metadata the resource will have (for an
    ///   account or container: what it has merged with the changes).
    /// - Throws: `.invalidArgument` naming the key and the limit.
    public func checkMetadata(_ metadata: [String: String]) throws {
        for (key, value) in metadata.sorted(by: { $0.key < $1.key }) {
            if let limit = maxMetaNameLength, key.utf8.count > limit {
                throw CloudFilesError.invalidArgument.with(
                    message:
                        "metadata name '\(String(key.prefix(40)) + (key.count > 40 ? "…" : ""))' is \(key.utf8.count) bytes; the cluster allows at most \(limit) (max_meta_name_length)"
                )
            }
            if let limit = maxMetaValueLength, value.utf8.count > limit {
                throw CloudFilesError.invalidArgument.with(
                    message:
                        "the value of metadata '\(key)' is \(value.utf8.count) bytes; the cluster allows at most \(limit) (max_meta_value_length)"
                )
            }
        }
        if let limit = maxMetaCount, metadata.count > limit {
            throw CloudFilesError.invalidArgument.with(
                message: "\(metadata.count) metadata keys; the cluster allows at most \(limit) (max_meta_count)")
        }
        let total = metadata.reduce(0) { $0 + $1.key.utf8.count + $1.value.utf8.count }
        if let limit = maxMetaOverallSize, total > limit {
            throw CloudFilesError.invalidArgument.with(
                message:
                    "the metadata would total \(total) bytes (names and values); the cluster allows at most \(limit) (max_meta_overall_size)"
            )
        }
    }
}

extension CloudFilesClient {
    /// Reads the cluster's capabilities (`GET /info` at the root of the storage URL's
    /// host; no token is sent). The first answer is kept for the life of the client, so
    /// later calls (every `put` asks for the segment limits) cost no request; pass
    /// `refresh` to ask again.
    ///
    /// - Throws: `.notFound` when the cluster does not publish `/info`.
    public func capabilities(refresh: Bool = false) async throws -> Capabilities {
        if !refresh, let known = capabilitiesCache.value { return known }
        let reply = try await send(StorageRequest(.GET, .clusterInfo))
        let body = try await reply.collect(upTo: 4 * 1024 * 1024)
        do {
            let capabilities = try Capabilities(json: Data(body.readableBytesView))
            capabilitiesCache.value = capabilities
            return capabilities
        } catch let error as CloudFilesError {
            throw reply.error(error, error.message)
        }
    }

    /// The cluster root of a storage URL: everything before its `/v1/` (or `/v1.0/`)
    /// segment, or the scheme and host.
    static func infoURL(for storageURL: URL) -> String {
        let text = storageURL.absoluteString
        for marker in ["/v1/", "/v1.0/"] {
            if let range = text.range(of: marker, options: .backwards) {
                return String(text[..<range.lowerBound]) + "/info"
            }
        }
        var components = URLComponents(url: storageURL, resolvingAgainstBaseURL: false)
        components?.path = "/info"
        components?.query = nil
        return components?.string ?? text + "/info"
    }
}

/// The capabilities a client has read, shared by its tasks.
final class CapabilitiesCache: @unchecked Sendable {
    // `stored` is only touched while holding `lock`.
    private let lock = NSLock()
    private var stored: Capabilities?

    var value: Capabilities? {
        get { lock.withLock { stored } }
        set { lock.withLock { stored = newValue } }
    }
}
