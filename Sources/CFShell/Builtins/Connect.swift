import CFShellLanguage

/// `connect`: log in to a Swift or Cloud Files account.
enum Connect: Builtin {
    static let spec = CommandSpec(
        "connect", "[CLOUD] [OPTIONS]",
        summary: "Log in to a Swift or Cloud Files account.",
        details: """
            Without options, connect reads the variables python-swiftclient reads: ST_AUTH, ST_USER \
            and ST_KEY for v1.0 auth; OS_STORAGE_URL with OS_AUTH_TOKEN to skip auth; OS_AUTH_URL, \
            OS_USERNAME, OS_PASSWORD, OS_PROJECT_NAME, … for Keystone; OS_CLOUD or CLOUD for an \
            entry of clouds.yaml. Options override the variables one by one.
            Remote commands connect this way by themselves when no connect was run.
            Keys, passwords and tokens are never printed or logged.
            """,
        options: ConnectOptionTable.options + [CommonOptions.json],
        operands: 0...1)

    static func run(_ arguments: ParsedArguments<Argument>, in shell: isolated Shell) async throws {
        try await shell.connect(arguments)
    }
}
