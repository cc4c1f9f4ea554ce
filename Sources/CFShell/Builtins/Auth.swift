import CFShellLanguage
import CloudFiles
import Foundation

/// `auth`: the storage URL and token as shell `export` lines, as `swift auth` prints them.
enum Auth: Builtin {
    static let spec = CommandSpec(
        "auth", "[--json]",
        summary: "Print the storage URL and token as shell export lines (the output is a secret).",
        details: """
            auth prints 'export OS_STORAGE_URL=…' and 'export OS_AUTH_TOKEN=…', the values quoted \
            for a POSIX shell, as 'swift auth' does, so that eval "$(cfsh auth)" lets curl or \
            another tool use the session: curl -H "X-Auth-Token: $OS_AUTH_TOKEN" "$OS_STORAGE_URL". \
            --json prints storage_url, token and token_expires instead.

            THE OUTPUT IS A SECRET: the token opens the whole account until it expires. Do not \
            paste it, log it or leave it in a file others can read. cfsh prints it only here, \
            when asked: never in a log, an error or the history (which keeps the command 'auth', \
            not its output). The session is checked first, so a cached token the server no \
            longer accepts is renewed before it is printed.
            """,
        options: [CommonOptions.json],
        operands: 0...0,
        examples: ["auth  # eval \"$(cfsh auth)\" in sh, then curl", "auth --json"])

    static func run(_ arguments: ParsedArguments<Argument>, in shell: isolated Shell) async throws {
        let client = try await shell.connectedClient()
        // A HEAD of the account proves the token still works (and renews it after a 401).
        _ = try await client.accountInfo()
        let session = try await client.session()
        let url = session.storageURL.absoluteString
        for (what, value) in [("storage URL", url), ("token", session.token)]
        where value.isEmpty || value.unicodeScalars.contains(where: Names.needsEscape) {
            // Never shown: a control character would act on the terminal, and the value is secret.
            throw ShellError.failure("the \(what) the server gave is empty or holds control characters: not printed")
        }
        if arguments.has("--json") {
            shell.stdout.line(
                JSONValue.object([
                    ("storage_url", .string(url)), ("token", .string(session.token)),
                    ("token_expires", Format.isoDate(session.expiresAt)),
                ]).pretty())
            return
        }
        shell.stdout.line("export OS_STORAGE_URL=" + quoted(url))
        shell.stdout.line("export OS_AUTH_TOKEN=" + quoted(session.token))
    }

    /// `text` in single quotes for a POSIX shell: a `'` inside becomes `'\''`.
    static func quoted(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: #"'\''"#) + "'"
    }
}
