import Foundation
import NIOCore
import NIOFoundationCompat
import NIOHTTP1

/// How a container keeps the older versions of its objects.
public enum ContainerVersioning: Sendable, Hashable {
    /// No versioning was ever set up.
    case none
    /// Swift's object versioning (`X-Versions-Enabled`): versions live in a hidden container
    /// and are reached with `?versions` and `?version-id=`. `enabled` is `false` once it was
    /// turned off; the versions already kept stay, and can still be read and deleted.
    case objectVersioning(enabled: Bool)
    /// The older `versioned_writes` mode (`X-History-Location`): each overwrite or delete
    /// copies the previous object into `archive`; a delete leaves a delete marker there.
    case history(archive: String)
    /// The oldest mode (`X-Versions-Location`): as ``history(archive:)``, but a delete
    /// brings the previous version back instead of leaving a marker.
    case versionsLocation(archive: String)

    /// Whether new writes are versioned now.
    public var isOn: Bool {
        switch self {
        case .none: return false
        case .objectVersioning(let enabled): return enabled
        case .history, .versionsLocation: return true
        }
    }

    /// The archive container of the legacy modes, `nil` for the others.
    public var archive: String? {
        switch self {
        case .history(let archive), .versionsLocation(let archive): return archive
        case .none, .objectVersioning: return nil
        }
    }

    /// Reads the mode from a container's headers.
    init(headers: HTTPHeaders) {
        if let enabled = headers.first(name: "x-versions-enabled") {
            self = .objectVersioning(enabled: enabled.trimmingCharacters(in: .whitespaces).lowercased() == "true")
        } else if let archive = headers.first(name: "x-history-location").flatMap(Self.archiveName) {
            self = .history(archive: archive)
        } else if let archive = headers.first(name: "x-versions-location").flatMap(Self.archiveName) {
            self = .versionsLocation(archive: archive)
        } else {
            self = .none
        }
    }

    /// The header's value is the (percent-encoded) archive container's name.
    private static func archiveName(_ value: String) -> String? {
        let name = value.removingPercentEncoding ?? value
        return name.isEmpty ? nil : name
    }
}

/// Which versioning a client turns on.
public enum VersioningMethod: Sendable, Hashable {
    /// `X-Versions-Enabled: true`, where `/info` lists `object_versioning`.
    case objectVersioning
    /// `X-History-Location: ARCHIVE`, the legacy mode.
    case history(archive: String)
}

/// One version of an object, as a versions listing gives it.
public struct ObjectVersion: Sendable, Hashable {
    /// The object's name.
    public var name: String
    /// The version's id: for object versioning the `version_id` the server gives (`null` for
    /// an object written before versioning was on); for the legacy modes the timestamp that
    /// ends the archived copy's name, or `current` for the object in the container itself.
    public var versionID: String
    /// Its size in bytes (0 when the server sends no usable number).
    public var bytes: Int64
    /// Its ETag, without quotes.
    public var hash: String
    /// Its content type.
    public var contentType: String
    /// When it was written.
    public var lastModified: Date?
    /// Whether it is the current version (`is_latest`).
    public var isLatest: Bool

    /// Whether this version is a delete marker: what a plain `DELETE` leaves in a versioned
    /// container (content type `application/x-deleted;swift_versions_deleted=1`).
    public var isDeleteMarker: Bool {
        contentType.split(separator: ";").first?.trimmingCharacters(in: .whitespaces) == "application/x-deleted"
    }

    /// Creates a version record.
    public init(
        name: String, versionID: String, bytes: Int64, hash: String, contentType: String, lastModified: Date?,
        isLatest: Bool
    ) {
        self.name = name
        self.versionID = versionID
        self.bytes = bytes
        self.hash = hash
        self.contentType = contentType
        self.lastModified = lastModified
        self.isLatest = isLatest
    }
}

/// Where one version of an object can be read: the object itself with a `version-id`
/// (object versioning), or an archived copy (the legacy modes).
public struct ObjectVersionLocation: Sendable, Hashable {
    /// The container to read.
    public var container: String
    /// The object to read.
    public var name: String
    /// The `version-id` to send, or `nil` to read the object as it is.
    public var versionID: String?
}

extension ContainerInfo {
    /// How the container keeps versions, from its headers.
    public var versioning: ContainerVersioning {
        var fields = HTTPHeaders()
        for header in headers { fields.add(name: header.name, value: header.value) }
        return ContainerVersioning(headers: fields)
    }
}

extension CloudFilesClient {
    /// The longest version id accepted from a user.
    static let maxVersionIDLength = 64

    /// Turns versioning on for a container.
    ///
    /// - Parameters:
    ///   - container: the container; it must exist.
    ///   - method: `nil` to choose: object versioning where `/info` lists it, else the
    ///     legacy mode, which then needs `archive`.
    ///   - archive: the archive container for the legacy mode; created if missing.
    /// - Returns: the method used.
    /// - Throws: `.invalidArgument` when the cluster has no object versioning and no archive
    ///   was given, or the archive is the container itself; `.badRequest` when the server
    ///   refuses (object versioning cannot be turned on over a legacy mode).
    @discardableResult
    public func enableVersioning(
        on container: String, method: VersioningMethod? = nil, archive: String? = nil
    ) async throws -> VersioningMethod {
        try Names.validateContainer(container)
        var chosen = method
        if chosen == nil {
            let hasObjectVersioning = (try? await capabilities().objectVersioning) ?? false
            if hasObjectVersioning && archive == nil {
                chosen = .objectVersioning
            } else if let archive {
                chosen = .history(archive: archive)
            } else {
                throw CloudFilesError.invalidArgument.with(
                    message:
                        "the cluster does not list object_versioning in /info: name an archive container for the legacy X-History-Location mode"
                )
            }
        }
        switch chosen! {
        case .objectVersioning:
            try await postContainer(container, ["X-Versions-Enabled": "true"])
        case .history(let archive):
            try Names.validateContainer(archive)
            guard archive != container else {
                throw CloudFilesError.invalidArgument.with(
                    message: "the archive container must not be \(Names.quoted(container)) itself")
            }
            try await createContainer(archive)
            try await postContainer(container, ["X-History-Location": Names.encodeContainer(archive)])
        }
        return chosen!
    }

    /// Turns versioning off for a container, whichever mode it uses. The versions already
    /// kept stay where they are.
    ///
    /// - Returns: the mode the container had.
    @discardableResult
    public func disableVersioning(on container: String) async throws -> ContainerVersioning {
        let mode = try await containerInfo(container).versioning
        switch mode {
        case .none: break
        case .objectVersioning: try await postContainer(container, ["X-Versions-Enabled": "false"])
        case .history: try await postContainer(container, ["X-Remove-History-Location": "1"])
        case .versionsLocation: try await postContainer(container, ["X-Remove-Versions-Location": "1"])
        }
        return mode
    }

    private func postContainer(_ container: String, _ fields: [String: String]) async throws {
        let headers = HTTPHeaders(fields.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
        do {
            let reply = try await send(StorageRequest(.POST, .container(container), headers: headers))
            try await reply.drain()
        } catch let error as CloudFilesError where error == .notFound {
            throw error.with(message: "container \(Names.quoted(container)) not found")
        }
    }

    /// Lists the versions of one object, newest first.
    ///
    /// With object versioning this is `GET container?versions&prefix=NAME`, page by page
    /// (`marker` and `version_marker`), keeping only entries of exactly `name`; delete
    /// markers are included. In the legacy modes it lists the archived copies
    /// (`ARCHIVE/<3 hex digits of the name's length><name>/<timestamp>`) and, first, the
    /// object itself when it exists, as the version `current`.
    ///
    /// - Parameters:
    ///   - name: the object.
    ///   - container: its container.
    ///   - versioning: the container's mode when already known (saves a `HEAD`).
    /// - Throws: `.invalidArgument` when the container has never been versioned;
    ///   `.invalidResponse` when the server's pages do not advance.
    public func objectVersions(
        of name: String, in container: String, versioning: ContainerVersioning? = nil
    ) async throws -> [ObjectVersion] {
        try Names.validateContainer(container)
        try Names.validateObject(name)
        let mode: ContainerVersioning
        if let versioning { mode = versioning } else { mode = try await containerInfo(container).versioning }
        switch mode {
        case .none:
            throw Self.notVersioned(container)
        case .objectVersioning:
            return try await listVersions(of: name, in: container)
        case .history(let archive), .versionsLocation(let archive):
            return try await legacyVersions(of: name, in: container, archive: archive)
        }
    }

    /// Whether a container with object versioning holds any version or delete marker
    /// (`GET ?versions&limit=1`); `false` for any other container.
    public func containerHasVersions(_ container: String) async throws -> Bool {
        guard case .objectVersioning = try await containerInfo(container).versioning else { return false }
        let reply = try await send(
            StorageRequest(.GET, .container(container), query: [("versions", nil), ("format", "json"), ("limit", "1")]))
        return !(try await decodeVersions(reply)).isEmpty
    }

    private static func notVersioned(_ container: String) -> CloudFilesError {
        CloudFilesError.invalidArgument.with(
            message:
                "container \(Names.quoted(container)) is not versioned (no X-Versions-Enabled or X-History-Location)")
    }

    private func listVersions(of name: String, in container: String) async throws -> [ObjectVersion] {
        var versions: [ObjectVersion] = []
        var marker: (name: String, version: String)?
        let pageSize = max(1, configuration.listingPageSize)
        while true {
            var query: [(String, String?)] = [
                ("versions", nil), ("format", "json"), ("prefix", name), ("limit", String(pageSize)),
            ]
            if let marker { query += [("marker", marker.name), ("version_marker", marker.version)] }
            let reply: StorageResponse
            do {
                reply = try await send(StorageRequest(.GET, .container(container), query: query))
            } catch let error as CloudFilesError where error == .notFound {
                throw error.with(message: "container \(Names.quoted(container)) not found")
            }
            let page = try await decodeVersions(reply)
            guard let last = page.last else { return versions }
            // Swift lists a name's versions together, right after the prefix itself: the
            // first other name ends this object's versions.
            for entry in page {
                guard entry.name == name else { return versions }
                versions.append(entry)
            }
            let next = (name: last.name, version: last.versionID)
            if let marker, marker == next {
                throw reply.error(
                    .invalidResponse, "the server's versions listing does not advance past \(Names.quoted(name))")
            }
            marker = next
            if page.count < pageSize { return versions }
        }
    }

    private func decodeVersions(_ reply: StorageResponse) async throws -> [ObjectVersion] {
        if reply.status == .noContent {
            try await reply.drain()
            return []
        }
        let body = try await reply.collect(upTo: 64 * 1024 * 1024)
        if body.readableBytes == 0 { return [] }
        do {
            return try JSONDecoder().decode([VersionJSON].self, from: body).map(\.version)
        } catch {
            throw reply.error(.invalidResponse, "the versions listing is not the JSON expected: \(error)")
        }
    }

    private func legacyVersions(
        of name: String, in container: String, archive: String
    ) async throws
        -> [ObjectVersion]
    {
        var versions: [ObjectVersion] = []
        let prefix = Self.legacyPrefix(of: name)
        // The archived copies' names end in a timestamp: reverse order is newest first.
        for try await entry in listObjects(in: archive, ObjectListingOptions(prefix: prefix, reverse: true)) {
            guard case .object(let record) = entry else { continue }
            let id = String(record.name.dropFirst(prefix.count))
            guard !id.isEmpty, !id.contains("/") else { continue }
            versions.append(
                ObjectVersion(
                    name: name, versionID: id, bytes: max(0, record.bytes), hash: record.hash,
                    contentType: record.contentType, lastModified: record.lastModified, isLatest: false))
        }
        if let info = try? await objectInfo(name, in: container) {
            versions.insert(
                ObjectVersion(
                    name: name, versionID: "current", bytes: info.contentLength ?? 0, hash: info.etag ?? "",
                    contentType: info.contentType ?? "", lastModified: info.lastModified, isLatest: true),
                at: 0)
        }
        return versions
    }

    /// The legacy archive's prefix for an object: its name's UTF-8 length in three hex digits,
    /// the name, and `/`.
    static func legacyPrefix(of name: String) -> String {
        let length = String(name.utf8.count, radix: 16)
        return String(repeating: "0", count: max(0, 3 - length.count)) + length + name + "/"
    }

    /// Checks a version id typed by a user: digits, letters, `.` and `_` (Swift's
    /// timestamps, `null`), at most 64 characters.
    static func validateVersionID(_ id: String) throws {
        guard !id.isEmpty, id.utf8.count <= maxVersionIDLength,
            id.utf8.allSatisfy({ $0.isASCIIAlphanumeric || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "_") })
        else {
            throw CloudFilesError.invalidArgument.with(
                message: "\(Names.quoted(id)) is not a version id (see ls --versions for the ids)")
        }
    }

    /// Where to read one version of an object.
    ///
    /// - Parameters:
    ///   - versionID: an id from ``objectVersions(of:in:versioning:)``.
    ///   - versioning: the container's mode when already known (saves a `HEAD`).
    /// - Throws: `.invalidArgument` for an id that is not one, or a container never versioned.
    public func versionLocation(
        of name: String, in container: String, versionID: String, versioning: ContainerVersioning? = nil
    ) async throws -> ObjectVersionLocation {
        try Names.validateContainer(container)
        try Names.validateObject(name)
        try Self.validateVersionID(versionID)
        let mode: ContainerVersioning
        if let versioning { mode = versioning } else { mode = try await containerInfo(container).versioning }
        switch mode {
        case .none:
            throw Self.notVersioned(container)
        case .objectVersioning:
            return ObjectVersionLocation(container: container, name: name, versionID: versionID)
        case .history(let archive), .versionsLocation(let archive):
            if versionID == "current" { return ObjectVersionLocation(container: container, name: name, versionID: nil) }
            return ObjectVersionLocation(
                container: archive, name: Self.legacyPrefix(of: name) + versionID, versionID: nil)
        }
    }

    /// Deletes one version of an object and nothing else: no delete marker is written and
    /// the other versions stay. With object versioning it is `DELETE ?version-id=ID` (on the
    /// current version, the object then answers with the previous one, or 404); in the
    /// legacy modes it deletes the archived copy (the `current` id is refused: a plain
    /// delete of a versioned object is not a deletion of one version).
    ///
    /// A delete marker is a version too, and is deleted the same way.
    ///
    /// - Throws: `.notFound` when there is no such version; `.invalidArgument` for a bad id
    ///   or a container never versioned.
    public func deleteObjectVersion(
        _ name: String, in container: String, versionID: String, versioning: ContainerVersioning? = nil
    ) async throws {
        let location = try await versionLocation(
            of: name, in: container, versionID: versionID, versioning: versioning)
        if location.versionID == nil && location.container == container {
            throw CloudFilesError.invalidArgument.with(
                message: "in the legacy versioning mode the current object has no version id to delete by")
        }
        let request = StorageRequest(
            .DELETE, .object(container: location.container, name: location.name),
            query: location.versionID.map { [("version-id", $0)] } ?? [])
        let reply = try await versionRequest(request, location, versionID)
        try await reply.drain()
    }

    /// Makes an older version the current one by copying it over the object on the server
    /// (`PUT` with `X-Copy-From`, the source read at `?version-id=`). Every version stays,
    /// and with versioning on the copy is itself a new version.
    ///
    /// - Returns: the new current object's ETag.
    /// - Throws: `.notFound` when there is no such version (a delete marker included).
    @discardableResult
    public func restoreObjectVersion(
        _ name: String, in container: String, versionID: String, versioning: ContainerVersioning? = nil
    ) async throws -> String {
        let location = try await versionLocation(
            of: name, in: container, versionID: versionID, versioning: versioning)
        var headers = HTTPHeaders()
        headers.add(
            name: "X-Copy-From",
            value: "/" + Names.encodeContainer(location.container) + "/" + Names.encodeObject(location.name))
        let request = StorageRequest(
            .PUT, .object(container: container, name: name),
            query: location.versionID.map { [("version-id", $0)] } ?? [], headers: headers,
            body: .bytes(ByteBuffer()))
        let reply = try await versionRequest(request, location, versionID)
        try await reply.drain()
        return reply.headers.first(name: "etag")?.trimmingCharacters(in: CharacterSet(charactersIn: "\"")) ?? ""
    }

    /// The headers of one version (`HEAD`, with `?version-id=` where it applies).
    public func versionInfo(_ location: ObjectVersionLocation) async throws -> ObjectInfo {
        let request = StorageRequest(
            .HEAD, .object(container: location.container, name: location.name),
            query: location.versionID.map { [("version-id", $0)] } ?? [])
        let reply = try await versionRequest(request, location, location.versionID ?? location.name)
        try await reply.drain()
        return ObjectInfo(container: location.container, name: location.name, headers: reply.headers)
    }

    private func versionRequest(
        _ request: StorageRequest, _ location: ObjectVersionLocation, _ versionID: String
    ) async throws -> StorageResponse {
        do {
            return try await send(request)
        } catch let error as CloudFilesError where error == .notFound {
            throw error.with(
                message:
                    "no version \(Names.quoted(versionID)) of \(Names.quoted(location.name)) (or it is a delete marker, which has no content)"
            )
        }
    }
}

/// A JSON number (or numeric string) from a hostile server: a non-negative integer that fits,
/// else `nil`; never a decoding error and never a trap.
struct LooseCount: Decodable {
    var value: Int64?

    init(from decoder: any Decoder) throws {
        let single = try decoder.singleValueContainer()
        if let number = try? single.decode(Int64.self) {
            value = number >= 0 ? number : nil
        } else if let text = try? single.decode(String.self) {
            value = WireNumber.count(text)
        } else {
            value = nil
        }
    }
}

/// A value of any JSON type, read as a string when it is one.
struct LooseString: Decodable {
    var value: String?

    init(from decoder: any Decoder) throws {
        value = try? decoder.singleValueContainer().decode(String.self)
    }
}

struct VersionJSON: Decodable {
    var name: LooseString?
    var version_id: LooseString?
    var bytes: LooseCount?
    var hash: LooseString?
    var content_type: LooseString?
    var last_modified: LooseString?
    var is_latest: LooseBool?

    var version: ObjectVersion {
        ObjectVersion(
            name: name?.value ?? "", versionID: version_id?.value ?? "null", bytes: bytes?.value ?? 0,
            hash: hash?.value ?? "", contentType: content_type?.value ?? "application/octet-stream",
            lastModified: last_modified?.value.flatMap(HTTPDate.parseISO8601),
            isLatest: is_latest?.value ?? false)
    }
}

extension UInt8 {
    fileprivate var isASCIIAlphanumeric: Bool {
        (48...57).contains(self) || (65...90).contains(self) || (97...122).contains(self)
    }
}

/// A JSON boolean, or `false` for anything else.
struct LooseBool: Decodable {
    var value: Bool

    init(from decoder: any Decoder) throws {
        value = (try? decoder.singleValueContainer().decode(Bool.self)) ?? false
    }
}
