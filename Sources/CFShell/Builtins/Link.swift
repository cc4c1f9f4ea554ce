import CFShellLanguage
import CloudFiles
import Foundation

/// `ln`: make a Swift symlink, an object that reads as another object.
enum Link: Builtin {
    static let spec = CommandSpec(
        "ln", "[--account ACCOUNT] [--static] [--force] TARGET LINK",
        summary: "Make a symlink: an object whose reads return another object (Swift's symlink).",
        details: """
            TARGET is the object the link points at, in any container: a path relative to the \
            working folder or absolute. LINK is the link's name; a LINK ending in '/' or naming a \
            container gets TARGET's base name there. Reading the link (get, cat) returns TARGET's \
            bytes; rm of the link deletes only the link, never TARGET nor its segments. ls -l \
            shows a link as 'NAME -> /container/object', and stat shows the link and its target.

            TARGET must exist (Swift would accept a dangling link): --force makes the link \
            anyway. With --account the target lies in another account (X-Symlink-Target-Account); \
            cfsh cannot look there first, so its existence is not checked. --static pins the \
            link to TARGET's current content (X-Symlink-Target-Etag): once TARGET changes, \
            reading the link fails. ln never replaces an existing object: rm it first.
            """,
        options: [
            CommandSpec.Option("--account", value: "ACCOUNT", help: "TARGET is in ACCOUNT (for example AUTH_other)"),
            CommandSpec.Option("--static", help: "pin the link to TARGET's current ETag"),
            CommandSpec.Option("-f", "--force", help: "make the link even if TARGET does not exist"),
        ],
        operands: 2...2,
        examples: [
            "ln /backups/db-2024-06-01.sql.gz /backups/latest.sql.gz",
            "ln reports/q2.pdf /public/  # /public/q2.pdf",
            "ln --account AUTH_partner /shared/feed.json feeds/partner.json",
        ])

    static func completion(at position: Int) -> CompletionSlots.Slot {
        .remote(.any)
    }

    static func run(_ arguments: ParsedArguments<Argument>, in shell: isolated Shell) async throws {
        let targetOperand = arguments.operands[0]
        let linkOperand = arguments.operands[1]
        for (operand, role) in [(targetOperand, "target"), (linkOperand, "link")] where operand.pattern != nil {
            throw ShellError.usage(
                "the \(role) \(Names.quoted(operand.text)) cannot be a pattern: a link is one object pointing at one object"
            )
        }
        let targetPath = try targetOperand.remotePath(from: shell.remoteDirectory)
        guard let targetContainer = targetPath.container, !targetPath.name.isEmpty,
            try !targetOperand.isFolder(from: shell.remoteDirectory)
        else {
            throw ShellError.usage(
                "the target \(Names.quoted(targetOperand.text)) must be an object, not a container or a folder")
        }
        let linkPath = try linkOperand.remotePath(from: shell.remoteDirectory)
        guard let linkContainer = linkPath.container else {
            throw ShellError.usage("the link must be in a container, not the account root")
        }
        let linkName =
            try linkOperand.isFolder(from: shell.remoteDirectory)
            ? linkPath.name + targetPath.lastComponent : linkPath.name
        let link = ObjectPath(container: linkContainer, name: linkName)
        let client = try await shell.connectedClient()
        var account = arguments.value("--account")
        if let named = account, named == (try await client.storageURL()).lastPathComponent { account = nil }
        if account != nil && arguments.has("--static") {
            throw ShellError.usage("--static needs TARGET in this account: cfsh cannot read its ETag in another")
        }
        if account == nil, link == ObjectPath(container: targetContainer, name: targetPath.name) {
            throw ShellError.usage("\(Names.quoted(link.remotePath.description)) cannot be a link to itself")
        }
        if try await exists(link, client: client) {
            throw ShellError.failure(
                "\(Names.quoted(link.remotePath.description)) already exists: ln never replaces an object; rm it first")
        }
        var etag: String?
        if account == nil && (!arguments.has("-f") || arguments.has("--static")) {
            do {
                etag = try await client.objectInfo(targetPath.name, in: targetContainer).etag
            } catch let error as CloudFilesError where error == .notFound {
                if arguments.has("--static") || !arguments.has("-f") {
                    throw ShellError.failure(
                        "the target \(Names.quoted(targetPath.description)) does not exist"
                            + (arguments.has("--static") ? "" : "; --force makes a link to it anyway"))
                }
            }
        }
        try await client.createSymlink(
            link.name, in: link.container,
            to: SymlinkTarget(account: account, container: targetContainer, name: targetPath.name),
            targetETag: arguments.has("--static") ? etag : nil)
    }

    /// Whether anything is stored at `path` (read as itself: a link counts, dangling or not).
    private static func exists(_ path: ObjectPath, client: CloudFilesClient) async throws -> Bool {
        do {
            _ = try await client.objectInfo(path.name, in: path.container, followingSymlinks: false)
            return true
        } catch let error as CloudFilesError where error == .notFound {
            return false
        }
    }

    /// How a link's target is shown: `/container/object`, or `ACCOUNT:/container/object`
    /// for another account than `ownAccount`; `?` when the server's value could not be read.
    static func display(_ target: SymlinkTarget?, ownAccount: String?) -> String {
        guard let target else { return "?" }
        let path = RemotePath(container: target.container, name: target.name).description
        guard let account = target.account, account != ownAccount else { return path }
        return account + ":" + path
    }

    /// `stat` of a link: where it points, and what is there now (one more `HEAD`, following it).
    static func statFields(
        _ info: ObjectInfo, _ path: ObjectPath, _ client: CloudFilesClient
    ) async -> [(String, JSONValue)] {
        guard info.symlinkTarget != nil else { return [] }
        let own = try? await client.storageURL().lastPathComponent
        let target = info.symlink
        var summary: [(String, JSONValue)]
        do {
            let reached = try await client.objectInfo(path.name, in: path.container)
            summary = [
                ("exists", .bool(true)), ("size", reached.totalLength.map(JSONValue.int) ?? .null),
                ("content_type", .optional(reached.contentType)), ("etag", .optional(reached.etag)),
                ("last_modified", Format.isoDate(reached.lastModified)),
            ]
        } catch let error as CloudFilesError where error == .notFound {
            summary = [("exists", .bool(false))]
        } catch {
            summary = [("error", .string(error.userMessage))]
        }
        return [
            ("symlink_target", .string(display(target, ownAccount: own))),
            ("symlink_account", .optional(target?.account == own ? nil : target?.account)),
            ("symlink_etag", .optional(info.symlinkTargetETag)),
            ("target", .object(summary)),
        ]
    }
}
