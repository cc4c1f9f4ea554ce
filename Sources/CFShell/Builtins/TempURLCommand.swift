import CFShellLanguage
import CloudFiles
import Foundation

/// `tempurl`: print a temporary URL for an object (or every object under a folder) that works
/// without a token until a time; and set, remove or show the key such URLs are signed with.
///
/// The key is a secret: it is read from the account or container metadata and never printed,
/// logged or kept in the history unless `--show-key` asks for it (`--key KEY` is redacted from
/// the history like a password; `--key-prompt` asks on the terminal).
enum TempURLCommand: Builtin {
    static let spec = CommandSpec(
        "tempurl",
        "[--method M] [--expires AGE|TIME] [--prefix] [--ip ADDR|CIDR] [--digest D] [--json] PATH | "
            + "--set-key|--remove-key|--show-key [--container C] [--second] [--key KEY|--key-prompt]",
        summary: "Print a temporary URL that works without a token; set its key.",
        details: """
            tempurl PATH prints a URL that anyone may use, without a token, for one method \
            (GET by default; HEAD, PUT, POST or DELETE with --method) on the object PATH until \
            it expires (in 1h by default; --expires takes an AGE such as 30m, 12h or 7d, or a \
            time such as 2026-12-02T12:00:00Z or 2026-12-02). After that the server answers 401. \
            A PUT URL uploads (or replaces) that object. With --prefix, PATH is a folder and the \
            URL is good for every object under it: replace the folder part of the URL's path by \
            an object's name under it, and keep the query.
            The URL is signed with the container's Temp-URL-Key (or Temp-URL-Key-2) when it has \
            one, else the account's. Set one with tempurl --set-key (the account's; with \
            --container C, that container's only; --second sets Temp-URL-Key-2, to rotate keys \
            without breaking URLs): a strong random key unless --key KEY or --key-prompt gives \
            one. Anyone holding the key can sign URLs, so it is never printed unless --show-key \
            asks (alone, it prints the key tempurl would use for --container C, or the \
            account's); stat shows it as hidden. Replacing or removing a key (--remove-key) \
            revokes every URL signed with it.
            The signature algorithm comes from the cluster's /info: sha256, or sha512 on \
            request (--digest sha512), or sha1 when the cluster allows nothing else; a digest \
            the cluster does not allow is refused. A cluster without /info (Rackspace Cloud \
            Files) gets sha1, which it documents, with a note. --ip limits the URL to an \
            address or CIDR range (a tempurl middleware too old to know it refuses the URL \
            rather than ignoring the limit). --filename NAME and --inline tell a browser how to save or \
            show a GET. --json prints the URL with its method, expiry and digest.
            """,
        options: [
            CommandSpec.Option("--method", value: "METHOD", help: "GET (default), HEAD, PUT, POST or DELETE"),
            CommandSpec.Option(
                "--expires", value: "AGE|TIME", help: "when it stops working: 1h (default), 7d, 2026-12-02T12:00:00Z"),
            CommandSpec.Option("--prefix", help: "PATH is a folder: the URL is good for every object under it"),
            CommandSpec.Option("--ip", value: "ADDR|CIDR", help: "only clients at this address or in this range"),
            CommandSpec.Option("--digest", value: "DIGEST", help: "sha256 (default), sha512 or sha1"),
            CommandSpec.Option("--iso", help: "write the expiry in the URL as ISO 8601 rather than Unix seconds"),
            CommandSpec.Option("--filename", value: "NAME", help: "the name a browser saves a GET as"),
            CommandSpec.Option("--inline", help: "a browser shows a GET rather than saving it"),
            CommonOptions.json,
            CommandSpec.Option("--set-key", help: "set the key URLs are signed with (a new random one by default)"),
            CommandSpec.Option("--remove-key", help: "remove the key, revoking every URL signed with it"),
            CommandSpec.Option("--show-key", help: "print the key (a secret); alone, the key tempurl would use"),
            CommandSpec.Option("--container", value: "C", help: "the key of container C, not the account's"),
            CommandSpec.Option("--second", help: "Temp-URL-Key-2 rather than Temp-URL-Key"),
            CommandSpec.Option("--key", value: "KEY", help: "the key to set (kept out of the history)", isSecret: true),
            CommandSpec.Option("--key-prompt", help: "ask for the key to set on the terminal, without echo"),
        ],
        operands: 0...1,
        examples: [
            "tempurl --expires 7d /backups/db.sql.gz  # a GET URL good for a week",
            "tempurl --method PUT --prefix /uploads/incoming/  # anyone may upload there for an hour",
            "tempurl --set-key  # a new random account key, not shown",
        ])

    static func completion(at position: Int) -> CompletionSlots.Slot {
        .remote(.any)
    }

    /// The expiry when `--expires` is not given.
    static let defaultLifetime: Int64 = 3600

    static func run(_ arguments: ParsedArguments<Argument>, in shell: isolated Shell) async throws {
        let keyActions = ["--set-key", "--remove-key"].filter { arguments.has($0) }
        if keyActions.count > 1 {
            throw ShellError.usage("--set-key and --remove-key cannot go together")
        }
        let urlOptions = ["--method", "--expires", "--prefix", "--ip", "--digest", "--iso", "--filename", "--inline"]
        let keyOptions = ["--container", "--second", "--key", "--key-prompt"]
        if !keyActions.isEmpty || (arguments.has("--show-key") && arguments.operands.isEmpty) {
            if let option = urlOptions.first(where: { arguments.has($0) }) {
                throw ShellError.usage("\(option) is for making a URL, not for the key")
            }
            if !arguments.operands.isEmpty {
                throw ShellError.usage("the key takes no PATH; --container C names a container's key")
            }
            try await manageKey(arguments, in: shell)
            return
        }
        if let option = (keyOptions + ["--show-key"]).first(where: { arguments.has($0) }) {
            throw ShellError.usage("\(option) goes with --set-key, --remove-key or --show-key")
        }
        guard let operand = arguments.operands.first else {
            throw ShellError.usage("tempurl needs a PATH (or --set-key, --remove-key or --show-key)")
        }
        try await makeURL(for: operand, arguments, in: shell)
    }

    private static func makeURL(
        for operand: Argument, _ arguments: ParsedArguments<Argument>, in shell: isolated Shell
    ) async throws {
        let client = try await shell.connectedClient()
        let path = try await shell.singleRemotePath(operand, purpose: "tempurl")
        guard let container = path.container else {
            throw ShellError.usage("a temp URL is for an object or a folder in a container, not the account")
        }
        let isPrefix = arguments.has("--prefix")
        let name: String
        if isPrefix {
            name = path.asFolder.name
        } else {
            guard !path.name.isEmpty, !path.isFolder else {
                throw ShellError.usage(
                    "\(Names.quoted(operand.text)) is a folder; a temp URL is for one object, or with --prefix "
                        + "for every object under a folder")
            }
            name = path.name
        }
        let method = (arguments.value("--method") ?? "GET").uppercased()
        guard TempURL.methods.contains(method) else {
            throw ShellError.usage(
                "--method takes GET, HEAD, PUT, POST or DELETE, not \(Names.quoted(arguments.value("--method") ?? ""))")
        }
        let expires = try expiry(arguments.value("--expires"))
        var requested: TempURLDigest?
        if let text = arguments.value("--digest") {
            guard let digest = TempURLDigest(rawValue: text.lowercased()) else {
                throw ShellError.usage("--digest takes sha256, sha512 or sha1, not \(Names.quoted(text))")
            }
            requested = digest
        }
        let ipRange = arguments.value("--ip")
        if let ipRange { try TempURL.validateIPRange(ipRange) }
        let (digest, note) = try await client.tempURLDigest(requested: requested)
        if let methods = (try? await client.capabilities())?.tempURL?.methods, !methods.contains(method) {
            throw ShellError.failure(
                "the cluster does not allow \(method) temp URLs (it allows \(methods.joined(separator: ", ")))")
        }
        guard let key = try await client.tempURLKey(for: container) else {
            throw ShellError.failure(
                "no temp URL key is set on the account or on container \(Names.quoted(container)); "
                    + "set one with 'tempurl --set-key' (or 'tempurl --set-key --container \(container)')")
        }
        let request = TempURLRequest(
            method: method, container: container, name: name, isPrefix: isPrefix, expires: expires, digest: digest,
            ipRange: ipRange, iso8601Expiry: arguments.has("--iso"), filename: arguments.value("--filename"),
            inline: arguments.has("--inline"))
        let url = try request.url(storageURL: try await client.session().storageURL, key: key.value)
        if let note {
            shell.stderr.line("tempurl: " + note)
            shell.stderr.flush()
        }
        if arguments.has("--json") {
            var fields: [(String, JSONValue)] = [
                ("url", .string(url)), ("method", .string(method)),
                ("expires", .string(TempURL.iso8601(expires))), ("expires_unix", .int(expires)),
                ("digest", .string(digest.rawValue)),
            ]
            if isPrefix { fields.append(("prefix", .string(name))) }
            if let ipRange { fields.append(("ip_range", .string(ipRange))) }
            fields.append(("key", .string(key.description)))
            shell.stdout.line(JSONValue.object(fields).pretty())
        } else {
            shell.stdout.line(url)
        }
    }

    /// Unix seconds from `--expires`: now plus an AGE, or a time, which must be in the future.
    static func expiry(_ text: String?, now: Date = Date()) throws -> Int64 {
        let nowSeconds = Int64(now.timeIntervalSince1970.rounded(.down))
        guard let text else { return nowSeconds + defaultLifetime }
        if let seconds = Quantities.ageSeconds(text) {
            guard seconds > 0 else { throw ShellError.usage("--expires \(text) is no time at all") }
            return nowSeconds + seconds
        }
        guard let date = TempURL.parseTime(text),
            let seconds = Int64(exactly: date.timeIntervalSince1970.rounded(.down)),
            seconds < nowSeconds + Quantities.maximumAgeSeconds
        else {
            throw ShellError.usage(
                "--expires takes an AGE (\(Quantities.ageForms)) or a time such as 2026-12-02T12:00:00Z, "
                    + "not \(Names.quoted(text))")
        }
        guard seconds > nowSeconds else {
            throw ShellError.usage("--expires \(text) is in the past")
        }
        return seconds
    }

    private static func manageKey(_ arguments: ParsedArguments<Argument>, in shell: isolated Shell) async throws {
        let client = try await shell.connectedClient()
        let container = arguments.value("--container")
        if let container { try Names.validateContainer(container) }
        let second = arguments.has("--second")
        let header = second ? "Temp-URL-Key-2" : "Temp-URL-Key"
        let place = container.map { "container \(Names.quoted($0))" } ?? "the account"
        if !arguments.has("--set-key") && (arguments.has("--key") || arguments.has("--key-prompt")) {
            throw ShellError.usage("--key and --key-prompt go with --set-key")
        }
        if arguments.has("--remove-key") {
            try await client.removeTempURLKey(container: container, second: second)
            if arguments.has("--json") {
                shell.stdout.line(
                    JSONValue.object([
                        ("removed", .string(header)), ("container", .optional(container)),
                    ]).pretty())
            } else if shell.isInteractive {
                shell.stdout.line("removed the \(header) of \(place)")
            }
            return
        }
        if arguments.has("--set-key") {
            let key: String
            var generated = false
            if let given = arguments.value("--key") {
                key = given
            } else if arguments.has("--key-prompt") {
                do {
                    key = try SecretPrompt.ask("temp URL key for \(place)")
                } catch {
                    throw ShellError.usage("no terminal to ask for the key on; leave --key-prompt out for a random key")
                }
            } else {
                key = TempURL.generateKey()
                generated = true
            }
            try await client.setTempURLKey(key, container: container, second: second)
            if arguments.has("--json") {
                var fields: [(String, JSONValue)] = [
                    ("set", .string(header)), ("container", .optional(container)), ("generated", .bool(generated)),
                ]
                if arguments.has("--show-key") { fields.append(("key", .string(key))) }
                shell.stdout.line(JSONValue.object(fields).pretty())
            } else if arguments.has("--show-key") {
                shell.stdout.line(key)
            } else if shell.isInteractive {
                shell.stdout.line(
                    "set the \(header) of \(place)" + (generated ? " to a new random key (--show-key prints it)" : ""))
            }
            return
        }
        // --show-key alone: the key a URL would be signed with.
        let found: TempURLKey?
        if let container {
            found = try await client.tempURLKey(for: container)
        } else {
            let metadata = try await client.accountInfo().metadata
            found =
                [("temp-url-key", false), ("temp-url-key-2", true)].lazy.compactMap { name, isSecond in
                    metadata[name].flatMap {
                        $0.isEmpty ? nil : TempURLKey(value: $0, scope: .account, isSecond: isSecond)
                    }
                }.first
        }
        guard let found else {
            throw ShellError.failure(
                "no temp URL key is set on \(place); set one with 'tempurl --set-key"
                    + (container.map { " --container \($0)" } ?? "") + "'")
        }
        if arguments.has("--json") {
            shell.stdout.line(
                JSONValue.object([("key", .string(found.value)), ("where", .string(found.description))]).pretty())
        } else {
            shell.stdout.line(found.value)
        }
    }
}
