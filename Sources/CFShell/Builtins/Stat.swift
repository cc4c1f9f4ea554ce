import CFShellLanguage
import CloudFiles
import Foundation

/// `stat`: show the account, a container or an object: totals, type, dates and metadata.
enum Stat: Builtin {
    static let spec = CommandSpec(
        "stat", "[-h] [--json] [PATH]",
        summary: "Show the account, a container or an object: totals, type, dates and metadata.",
        details: "Without PATH, stat shows the working folder's container, or the account at the root.",
        options: [CommonOptions.human, CommonOptions.json],
        operands: 0...1,
        examples: [
            "stat  # the account, or the working container", "stat -h /backups", "stat --json /backups/db.sql.gz",
        ])

    static func completion(at position: Int) -> CompletionSlots.Slot {
        .remote(.any)
    }

    static func run(_ arguments: ParsedArguments<Argument>, in shell: isolated Shell) async throws {
        let client = try await shell.connectedClient()
        let human = arguments.has("-h")
        var path = shell.remoteDirectory
        if let operand = arguments.operands.first {
            path = try await shell.singleRemotePath(operand, purpose: "stat")
        } else if path.container != nil {
            path = RemotePath(container: path.container)
        }
        let fields: [(String, JSONValue)]
        switch path.inContainer {
        case nil:
            fields = try await accountFields(client)
        case let place? where place.name.isEmpty:
            fields = try await containerFields(place.container, client)
        case let place? where path.isFolder && arguments.operands.first?.exact?.isObject != true:
            fields = try await folderFields(place, client)
        case let place?:
            do {
                fields = try await objectFields(place, client)
            } catch let error as CloudFilesError where error == .notFound {
                // `stat c/dir` for a pseudo-folder written without its slash.
                let folder = try await folderFields(
                    ObjectPath(container: place.container, name: path.asFolder.name), client)
                guard case .int(let count)? = folder.first(where: { $0.0 == "objects" })?.1, count > 0 else {
                    throw error
                }
                fields = folder
            }
        }
        if arguments.has("--json") {
            shell.stdout.line(JSONValue.object(fields).pretty())
            return
        }
        let rows = fields.compactMap { key, value -> [String]? in
            let text: String
            switch value {
            case .null: return nil
            case .string(let string) where key == "delete_at": text = Self.expiryText(string)
            case .string(let string): text = string
            case .int(let number):
                text = key == "bytes" || key == "size" ? Format.size(number, human: human) : String(number)
            case .number: text = value.serialized()
            case .bool(let flag): text = flag ? "yes" : "no"
            case .object(let members) where key == "large_object":
                text = Self.largeObjectText(members)
            case .object(let members):
                return members.isEmpty
                    ? nil
                    : [Self.label(key) + ":", members.map { "\($0.0)=\(Self.plain($0.1))" }.joined(separator: " ")]
            case .array: text = value.serialized()
            }
            return [Self.label(key) + ":", text]
        }
        for line in Format.table(rows) { shell.stdout.line(line) }
    }

    /// `2027-01-31T18:00:00.000Z (in 6d 23h)`: when the expirer deletes the object.
    static func expiryText(_ iso: String, now: Date = Date()) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        guard let date = formatter.date(from: iso) else { return iso }
        let seconds = Int64(max(-1e15, min(1e15, date.timeIntervalSince(now))).rounded())
        guard seconds > 0 else { return iso + " (due: the server deletes it any moment)" }
        let parts: [(Int64, String)] = [
            (seconds / 86_400, "d"), (seconds % 86_400 / 3600, "h"), (seconds % 3600 / 60, "m"), (seconds % 60, "s"),
        ]
        let shown = parts.drop { $0.0 == 0 }.prefix(2).filter { $0.0 > 0 }.map { "\($0.0)\($0.1)" }
        return iso + " (in " + shown.joined(separator: " ") + ")"
    }

    private static func label(_ key: String) -> String {
        let acronyms = ["url": "URL", "acl": "ACL", "etag": "ETag"]
        let words = key.split(separator: "_").map { acronyms[String($0)] ?? String($0) }
        guard let first = words.first else { return key }
        return ([first.prefix(1).uppercased() + first.dropFirst()] + words.dropFirst()).joined(separator: " ")
    }

    /// `static, 13 segments in 'c_segments'`, `dynamic, 3 segments in 'c_segments' (manifest c_segments/big/)`.
    private static func largeObjectText(_ members: [(String, JSONValue)]) -> String {
        let fields = Dictionary(members, uniquingKeysWith: { first, _ in first })
        var text = Self.plain(fields["type"] ?? .null)
        if case .int(let count)? = fields["segments"] { text += ", \(count) segment\(count == 1 ? "" : "s")" }
        if case .array(let containers)? = fields["segment_containers"], !containers.isEmpty {
            text += " in " + containers.map { Names.quoted(Self.plain($0)) }.joined(separator: ", ")
        }
        if case .string(let manifest)? = fields["manifest"] { text += " (manifest \(manifest))" }
        return text
    }

    private static func plain(_ value: JSONValue) -> String {
        if case .string(let text) = value { return text }
        return value.serialized()
    }

    private static func metadata(_ values: [String: String]) -> JSONValue {
        // Temp URL keys are secrets (whoever holds one signs URLs): shown as set, never their value.
        let secret: Set<String> = ["temp-url-key", "temp-url-key-2"]
        return .object(
            values.sorted { $0.key < $1.key }.map { ($0.key, .string(secret.contains($0.key) ? "<hidden>" : $0.value)) }
        )
    }

    private static func accountFields(_ client: CloudFilesClient) async throws -> [(String, JSONValue)] {
        let info = try await client.accountInfo()
        let session = try await client.session()
        let storageURL = session.storageURL
        return [
            ("account", .string(storageURL.lastPathComponent)),
            ("storage_url", .string(storageURL.absoluteString)),
            ("auth", .string(client.authProvider.summary)),
            // The catalog's choice and the token's expiry; never the token itself.
            ("region", .optional(session.endpoint?.region)),
            ("interface", .optional(session.endpoint?.interface)),
            ("token_expires", Format.isoDate(session.expiresAt)),
            ("containers", .int(info.containerCount)),
            ("objects", .int(info.objectCount)),
            ("bytes", .int(info.bytesUsed)),
            ("quota_bytes", info.quotaBytes.map(JSONValue.int) ?? .null),
            ("metadata", Self.metadata(info.metadata)),
        ]
    }

    private static func containerFields(
        _ container: String, _ client: CloudFilesClient
    ) async throws -> [(String, JSONValue)] {
        let info = try await client.containerInfo(container)
        return [
            ("container", .string(container)),
            ("objects", .int(info.objectCount)),
            ("bytes", .int(info.bytesUsed)),
            // Both dates when the server sends them (Swift does, for a container HEAD).
            ("created", Format.isoDate(info.created)),
            ("last_modified", Format.isoDate(info.lastModified)),
            ("storage_policy", .optional(info.storagePolicy)),
            ("read_acl", .optional(info.readACL)),
            ("write_acl", .optional(info.writeACL)),
            ("metadata", Self.metadata(info.metadata)),
        ]
    }

    private static func folderFields(
        _ folder: ObjectPath, _ client: CloudFilesClient
    ) async throws -> [(String, JSONValue)] {
        var count: Int64 = 0
        var bytes: Int64 = 0
        for try await entry in client.listObjects(in: folder.container, ObjectListingOptions(prefix: folder.name)) {
            if case .object(let record) = entry {
                count += 1
                // Listing sizes come from the server: add them without trapping.
                bytes = WireNumber.sum([bytes, record.bytes]) ?? bytes
            }
        }
        return [
            ("folder", .string(folder.remotePath.description)),
            ("objects", .int(count)),
            ("bytes", .int(bytes)),
        ]
    }

    private static func objectFields(
        _ path: ObjectPath, _ client: CloudFilesClient
    ) async throws -> [(String, JSONValue)] {
        // The link itself, when it is one (the same reply as a plain HEAD for anything else).
        let info = try await client.objectInfo(path.name, in: path.container, followingSymlinks: false)
        var largeObject: JSONValue = .null
        if info.isStaticLargeObject || info.dynamicManifest != nil {
            // One more request (the manifest, or the listing of a dynamic one's segments) to count them.
            let segments = try? await client.largeObjectSegments(path.name, in: path.container)
            var containers: [String] = []
            for segment in segments ?? [] where !containers.contains(segment.container) {
                containers.append(segment.container)
            }
            largeObject = .object([
                ("type", .string(info.isStaticLargeObject ? "static" : "dynamic")),
                ("segments", segments.map { .int(Int64($0.count)) } ?? .null),
                ("segment_containers", .array(containers.map(JSONValue.string))),
                ("manifest", .optional(info.dynamicManifest.map { $0.removingPercentEncoding ?? $0 })),
            ])
        }
        var fields: [(String, JSONValue)] = [
            ("object", .string(path.remotePath.description)),
            ("size", info.totalLength.map(JSONValue.int) ?? .null),
            ("content_type", .optional(info.contentType)),
            ("etag", .optional(info.etag)),
            ("last_modified", Format.isoDate(info.lastModified)),
            ("file_modified", Format.isoDate(info.modificationDate)),
            ("large_object", largeObject),
            ("delete_at", Format.isoDate(info.deleteAt)),
            ("metadata", Self.metadata(info.metadata.filter { $0.key != "mtime" })),
        ]
        fields += await Link.statFields(info, path, client)
        return fields
    }
}
