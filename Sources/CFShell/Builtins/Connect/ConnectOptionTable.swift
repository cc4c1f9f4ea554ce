import CFShellLanguage
import CloudFiles

/// The options of `connect`, each filling one field of `ConnectionOptions`.
///
/// Adding an auth method's option is one row here; the resolution itself
/// (which fields make which provider) lives in `CloudFiles`.
enum ConnectOptionTable {
    struct Row: Sendable {
        var names: [String]
        var valueName: String
        var help: String
        /// Stores the option's value in its field, checking it where the field is typed.
        var apply: @Sendable (inout ConnectionOptions, String) throws(ShellError) -> Void
        var isSecret = false
    }

    static let rows: [Row] = [
        Row(
            names: ["--auth-url", "-A"], valueName: "URL", help: "identity endpoint (v1.0 auth URL or Keystone URL)",
            apply: { $0.authURL = $1 }),
        Row(
            names: ["--user", "-U"], valueName: "USER", help: "user name (v1.0: account:user)", apply: { $0.user = $1 }),
        Row(
            names: ["--key", "-K"], valueName: "KEY", help: "v1.0 key or Rackspace API key", apply: { $0.key = $1 },
            isSecret: true),
        Row(
            names: ["--password"], valueName: "PASSWORD", help: "Keystone or Rackspace password",
            apply: { $0.password = $1 }, isSecret: true),
        Row(
            names: ["--storage-url"], valueName: "URL", help: "storage URL to use as is (with --token: no auth)",
            apply: { $0.storageURL = $1 }),
        Row(
            names: ["--token"], valueName: "TOKEN", help: "an existing auth token", apply: { $0.token = $1 },
            isSecret: true),
        Row(
            names: ["--auth-version", "-V"], valueName: "VERSION", help: "1, 2 or 3 (inferred when absent)",
            apply: { options, text throws(ShellError) in
                guard let version = AuthVersion(parsing: text) else {
                    throw ShellError.usage("connect: --auth-version must be 1, 2 or 3, not '\(text)'")
                }
                options.authVersion = version
            }),
        Row(
            names: ["--auth-type"], valueName: "TYPE",
            help: "OpenStack auth type (v3password, v3applicationcredential, …)", apply: { $0.authType = $1 }),
        Row(names: ["--user-id"], valueName: "ID", help: "Keystone user id", apply: { $0.userID = $1 }),
        Row(
            names: ["--project-name", "--tenant-name", "--project"], valueName: "NAME", help: "Keystone project",
            apply: { $0.projectName = $1 }),
        Row(
            names: ["--project-id", "--tenant-id"], valueName: "ID", help: "Keystone project id",
            apply: { $0.projectID = $1 }),
        Row(
            names: ["--user-domain-name", "--user-domain"], valueName: "NAME", help: "the user's domain",
            apply: { $0.userDomainName = $1 }),
        Row(
            names: ["--user-domain-id"], valueName: "ID", help: "the user's domain id", apply: { $0.userDomainID = $1 }),
        Row(
            names: ["--project-domain-name", "--project-domain"], valueName: "NAME", help: "the project's domain",
            apply: { $0.projectDomainName = $1 }),
        Row(
            names: ["--project-domain-id"], valueName: "ID", help: "the project's domain id",
            apply: { $0.projectDomainID = $1 }),
        Row(
            names: ["--region"], valueName: "REGION", help: "catalog region (RegionOne, DFW, …)",
            apply: { $0.region = $1 }),
        Row(
            names: ["--interface"], valueName: "INTERFACE", help: "public, internal (ServiceNet) or admin",
            apply: { options, text throws(ShellError) in
                guard let interface = EndpointInterface(parsing: text) else {
                    throw ShellError.usage("connect: --interface must be public, internal or admin, not '\(text)'")
                }
                options.interface = interface
            }),
        Row(
            names: ["--application-credential-id"], valueName: "ID", help: "Keystone application credential id",
            apply: { $0.applicationCredentialID = $1 }),
        Row(
            names: ["--application-credential-name"], valueName: "NAME", help: "Keystone application credential name",
            apply: { $0.applicationCredentialName = $1 }),
        Row(
            names: ["--application-credential-secret"], valueName: "SECRET",
            help: "the application credential's secret",
            apply: { $0.applicationCredentialSecret = $1 }, isSecret: true),
    ]

    static let options: [CommandSpec.Option] =
        rows.map { row in
            var option = CommandSpec.Option("", value: row.valueName, help: row.help, isSecret: row.isSecret)
            option.names = row.names
            return option
        } + [
            CommandSpec.Option("--internal", help: "use the internal interface (ServiceNet; snet- host with v1.0)"),
            CommandSpec.Option("--password-prompt", help: "ask for the password or key on the terminal, without echo"),
        ]

    /// Fills `ConnectionOptions` from parsed `connect` arguments.
    static func connectionOptions(from parsed: ParsedArguments<Argument>) throws(ShellError) -> ConnectionOptions {
        var options = ConnectionOptions()
        for row in rows {
            guard let value = parsed.value(row.names[0]) else { continue }
            try row.apply(&options, value)
        }
        if let cloud = parsed.operands.first?.text { options.cloud = cloud }
        if parsed.has("--internal") { options.interface = .internal }
        return options
    }
}
