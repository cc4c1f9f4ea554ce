import CFShellLanguage
import CloudFiles
import Foundation

/// `meta`: show or change the metadata of the account, a container or an object, and an
/// object's content type and expiry.
enum Meta: Builtin {
    static let spec = CommandSpec(
        "meta",
        "[--json] [PATH [KEY=VALUE…]] [--remove KEY]… [--content-type TYPE] "
            + "[--delete-after AGE | --delete-at DATE | --no-expiry]",
        summary: "Show or change metadata of the account, a container or an object, and an object's type and expiry.",
        details: """
            PATH is '/' for the account, a container, or an object; without PATH, the working \
            container, or the account at the root. With nothing to change, meta prints the \
            metadata, one KEY=VALUE a line (--json: an object). Each KEY=VALUE after PATH sets a \
            key (an empty VALUE stores an empty value); --remove KEY, repeatable, removes one. \
            Keys are ASCII letters, digits, '-' and '.', read back in lower case; values hold no \
            line break; both are checked against the cluster's limits from /info \
            (max_meta_name_length, max_meta_value_length, max_meta_count, max_meta_overall_size) \
            and nothing is sent when one is passed.
            Swift replaces ALL of an object's metadata on each change, and drops its expiry, \
            Content-Disposition, Content-Encoding and a dynamic large object's manifest unless \
            they are sent again: meta reads the object first and sends back every key and header \
            you did not name, so they are kept. Two changes at the same moment can lose one. A \
            symlink is refused (Swift applies the change to the link, not the target): change the \
            target.
            For an object, --content-type sets its type, and --delete-after AGE (30d, 12h, 90m, \
            45s, 1d12h), --delete-at DATE (2027-01-31, 2027-01-31T18:00 in UTC, or with Z or an \
            offset) or --no-expiry set when the server deletes it; an expiry not changed is kept. \
            A date in the past, or more than 100 years away, is refused. The values of \
            temp-url-key and temp-url-key-2 are shown as (hidden).
            """,
        options: [
            CommandSpec.Option("--remove", value: "KEY", help: "remove the metadata KEY (repeatable)"),
            CommandSpec.Option("--content-type", value: "TYPE", help: "an object: set its Content-Type"),
            CommandSpec.Option(
                "--delete-after", value: "AGE", help: "an object: the server deletes it AGE from now (30d, 12h, 45s)"),
            CommandSpec.Option("--delete-at", value: "DATE", help: "an object: the server deletes it at DATE (UTC)"),
            CommandSpec.Option("--no-expiry", help: "an object: remove its expiry"),
            CommonOptions.json,
        ],
        operands: 0...Int.max,
        examples: [
            "meta /backups/db.sql.gz owner=ops tier=cold --remove draft",
            "meta /backups/db.sql.gz --delete-after 30d",
            "meta /site/index.html --content-type 'text/html; charset=utf-8'",
        ])

    static func completion(at position: Int) -> CompletionSlots.Slot {
        position == 0 ? .remote(.any) : .none
    }

    static func completion(at position: Int, precedingWords: [String]) -> CompletionSlots.Slot {
        // `meta PATH --remove <Tab>`: the path's current keys.
        if precedingWords.last == "--remove" {
            // PATH: the first word that is neither an option nor an option's value.
            var path = ""
            var words = precedingWords.dropFirst().makeIterator()
            while let word = words.next() {
                if word.hasPrefix("-") {
                    if spec.option(named: word)?.valueName != nil { _ = words.next() }
                    continue
                }
                path = word
                break
            }
            return .metadataKey(path: path)
        }
        return completion(at: position)
    }

    /// Keys shown as `(hidden)`: they sign temporary URLs.
    static let secretKeys: Set<String> = ["temp-url-key", "temp-url-key-2"]

    static func run(_ arguments: ParsedArguments<Argument>, in shell: isolated Shell) async throws {
        var set: [String: String] = [:]
        for operand in arguments.operands.dropFirst() {
            let (key, value) = try MetadataWords.assignment(operand.text, what: "each word after PATH")
            set[key] = value
        }
        var remove: [String] = []
        for key in arguments.values("--remove") {
            try MetadataWords.checkKey(key)
            if set[key.lowercased()] != nil {
                throw ShellError.usage("\(Names.quoted(key)) is both set and removed")
            }
            remove.append(key.lowercased())
        }
        let contentType = try arguments.value("--content-type").map(MetadataWords.contentType)
        let expiry = try MetadataWords.expiry(arguments)
        let changes = !set.isEmpty || !remove.isEmpty || contentType != nil || expiry != nil

        var path = shell.remoteDirectory
        if let operand = arguments.operands.first {
            path = try await shell.singleRemotePath(operand, purpose: "meta")
        } else if path.container != nil {
            path = RemotePath(container: path.container)
        }
        let client = try await shell.connectedClient()
        let fields: [(String, JSONValue)]
        switch path.inContainer {
        case let place? where !place.name.isEmpty:
            if path.isFolder {
                throw ShellError.usage(
                    "\(Names.quoted(path.description)) is a folder; meta works on the account, a container or an object"
                )
            }
            if changes {
                try await client.updateObjectMetadata(
                    place.name, in: place.container, set: set, remove: remove, contentType: contentType,
                    expiry: expiry)
            }
            let info = try await client.objectInfo(place.name, in: place.container)
            fields = [
                ("object", .string(path.description)),
                ("content_type", .optional(info.contentType)),
                ("delete_at", Format.isoDate(info.deleteAt)),
                ("metadata", shown(info.metadata.filter { $0.key != "mtime" })),
            ]
        case let place?:
            try refuseObjectOptions(contentType, expiry, "a container")
            if changes {
                let current = try await client.containerInfo(place.container).metadata
                try await check(merging: set, removing: remove, into: current, client)
                try await client.updateContainerMetadata(place.container, set: set, remove: remove)
            }
            let info = try await client.containerInfo(place.container)
            fields = [("container", .string(path.description)), ("metadata", shown(info.metadata))]
        case nil:
            try refuseObjectOptions(contentType, expiry, "the account")
            if changes {
                let current = try await client.accountInfo().metadata
                try await check(merging: set, removing: remove, into: current, client)
                try await client.updateAccountMetadata(set: set, remove: remove)
            }
            let info = try await client.accountInfo()
            fields = [("account", .string("/")), ("metadata", shown(info.metadata))]
        }
        if arguments.has("--json") {
            shell.stdout.line(JSONValue.object(fields).pretty())
        } else if !changes, case .object(let members)? = fields.last?.1 {
            for (key, value) in members {
                if case .string(let text) = value { shell.stdout.line(shell.stdout.shown("\(key)=\(text)")) }
            }
        }
    }

    private static func shown(_ metadata: [String: String]) -> JSONValue {
        .object(
            metadata.sorted { $0.key < $1.key }.map { key, value in
                (key, .string(secretKeys.contains(key) ? "(hidden)" : value))
            })
    }

    private static func refuseObjectOptions(_ contentType: String?, _ expiry: ObjectExpiry?, _ what: String) throws {
        if contentType != nil { throw ShellError.usage("--content-type is for an object, not \(what)") }
        if expiry != nil { throw ShellError.usage("an expiry is for an object, not \(what)") }
    }

    /// An account's or container's metadata after the change, checked against /info's limits.
    private static func check(
        merging set: [String: String], removing remove: [String], into current: [String: String],
        _ client: CloudFilesClient
    ) async throws {
        var merged = current
        for key in remove { merged.removeValue(forKey: key) }
        merged.merge(set) { $1 }
        guard let limits = try? await client.capabilities() else { return }
        try limits.checkMetadata(merged)
    }
}
