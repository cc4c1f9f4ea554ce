import CFShellLanguage
import CloudFiles
import Foundation

/// `share`: show and change a container's read and write ACLs (`X-Container-Read`,
/// `X-Container-Write`). Grants are added to the ones already there (read, merge, write);
/// `--revoke` removes one grantee, and `--private` removes them all.
enum Share: Builtin {
    static let spec = CommandSpec(
        "share",
        "CONTAINER [--read ELEM]… [--write ELEM]… [--revoke ELEM]… [--public] [--listings] [--private] [--json]",
        summary: "Show or change who may read and write a container (its ACLs).",
        details: """
            Without options, share prints the container's read and write ACLs. --read and \
            --write grant one more ELEM, and may be repeated (or given a comma-separated list); \
            the grants already there are kept (cfsh reads the ACLs, adds, and writes them back). \
            An ELEM is account:user or account (every user of a tempauth account), account:*, \
            or, with Keystone, project:user, project_id:user_id, *:user_id, project_id:* or *:* \
            (every authenticated user). In a read ACL only: .r:* (anyone with the URL, no \
            token), .r:HOST or .r:.domain (requests whose Referer is that host), .r:-HOST \
            (refuse that host), and .rlistings (referrers allowed by .r: may also list the \
            container). A write ACL lets its grantees create, overwrite and delete objects, but \
            not read them. --revoke removes an ELEM from both ACLs; it is an error when neither \
            has it. --public adds .r:* and .rlistings: EVERY OBJECT in the container becomes \
            readable, and the container listable, by anyone who has its URL, which share \
            prints. --listings adds .rlistings alone. --private removes every grant, read and \
            write: afterwards only the account's own users reach the container; with --read or \
            --write in the same command, those become the only grants (replace instead of \
            merge). Bad elements are refused before anything is sent. Two clients changing one \
            container's ACLs at the same moment can lose one change.
            """,
        options: [
            CommandSpec.Option("--read", value: "ELEM", help: "grant read access (repeatable)"),
            CommandSpec.Option("--write", value: "ELEM", help: "grant write access (repeatable)"),
            CommandSpec.Option(
                "--revoke", value: "ELEM", help: "remove ELEM from the read and write ACLs (repeatable)"),
            CommandSpec.Option(
                "--public", help: "anyone with the URL may read every object and list the container (.r:*,.rlistings)"),
            CommandSpec.Option(
                "--listings", help: "allow listing to those the read ACL's referrers allow (.rlistings)"),
            CommandSpec.Option("--private", help: "remove every read and write grant first"),
            CommonOptions.json,
        ],
        operands: 1...1,
        examples: [
            "share backups  # show the ACLs",
            "share backups --read partner:partner --write partner:partner",
            "share www --public  # prints the public URL",
        ])

    static func completion(at position: Int) -> CompletionSlots.Slot {
        .remote(.containers)
    }

    static func run(_ arguments: ParsedArguments<Argument>, in shell: isolated Shell) async throws {
        let operand = arguments.operands[0]
        let path = try operand.remotePath(from: shell.remoteDirectory)
        guard let container = path.container, path.name.isEmpty || path.name == "/", operand.pattern == nil else {
            throw ShellError.usage(
                "share takes a container (ACLs are per container), not \(Names.quoted(operand.text))",
                at: operand.location)
        }
        if arguments.has("--public") && arguments.has("--private") {
            throw ShellError.usage("--public and --private contradict each other")
        }
        // Every element is checked before connecting: nothing is sent for a bad one.
        var grant = ContainerACL()
        var revoke: [String] = []
        do {
            grant.read = try ContainerACL.validate(arguments.values("--read"), for: .read)
            grant.write = try ContainerACL.validate(arguments.values("--write"), for: .write)
            for element in arguments.values("--revoke") {
                revoke += try Self.revocable(element)
            }
        } catch let error as CloudFilesError where error == .invalidArgument {
            throw ShellError.usage(error.message)
        }
        if arguments.has("--public") { grant.read += [".r:*", ".rlistings"] }
        if arguments.has("--listings") { grant.read.append(".rlistings") }
        let changes = !grant.read.isEmpty || !grant.write.isEmpty || !revoke.isEmpty || arguments.has("--private")

        let client = try await shell.connectedClient()
        var acl = try await client.containerACL(container)
        if changes {
            let missing = revoke.filter { !acl.read.contains($0) && !acl.write.contains($0) }
            if !missing.isEmpty && !arguments.has("--private") {
                throw ShellError.failure(
                    "\(missing.map { Names.quoted($0) }.joined(separator: ", ")) "
                        + "\(missing.count == 1 ? "is" : "are") not in the ACLs of \(Names.quoted(container)); "
                        + "nothing changed")
            }
            if arguments.has("--private") {
                try await client.setContainerACL(container, read: grant.read, write: grant.write)
            } else {
                try await client.updateContainerACL(container, grant: grant, revoke: revoke)
            }
            // What the server stored, not what was sent.
            acl = try await client.containerACL(container)
        }
        let url = try await client.containerURL(container)
        if arguments.has("--json") {
            shell.stdout.line(
                JSONValue.object([
                    ("container", .string(container)),
                    ("read", .array(acl.read.map(JSONValue.string))),
                    ("write", .array(acl.write.map(JSONValue.string))),
                    ("public", .bool(acl.isPublic)),
                    ("listings", .bool(acl.allowsListings)),
                    ("url", .string(url)),
                ]).pretty())
            return
        }
        let output = shell.stdout
        func list(_ elements: [String]) -> String {
            elements.isEmpty ? "-" : elements.map { output.shown($0) }.joined(separator: ",")
        }
        var rows = [
            ["Container:", output.shown(container)], ["Read ACL:", list(acl.read)], ["Write ACL:", list(acl.write)],
        ]
        if acl.isPublic {
            rows.append([
                "Public URL:",
                output.shown(url)
                    + (acl.allowsListings ? "  (objects and listing)" : "  (objects; listing not allowed)"),
            ])
        }
        for line in Format.table(rows) { output.line(line) }
    }

    /// The forms an element to revoke is compared in: checked as a write element, or failing
    /// that as a read one (referrers are only ever in the read ACL).
    private static func revocable(_ element: String) throws -> [String] {
        if let write = try? ContainerACL.validate([element], for: .write) { return write }
        return try ContainerACL.validate([element], for: .read)
    }
}
