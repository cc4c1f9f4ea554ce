import CFShellLanguage
import CloudFiles

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
            Remote commands connect this way by themselves when no connect was run, and so does \
            the first Tab at the prompt that needs remote names (never asking for a secret).
            Keys, passwords and tokens are never printed or logged.
            """,
        options: ConnectOptionTable.options + [CommonOptions.json],
        operands: 0...1)

    static func run(_ arguments: ParsedArguments<Argument>, in shell: isolated Shell) async throws {
        let options = try ConnectOptionTable.connectionOptions(from: arguments)
        let (newClient, session) = try await openClient(
            options, promptForSecret: arguments.has("--password-prompt"), in: shell)
        if let old = shell.client { try? await old.shutdown() }
        shell.client = newClient
        shell.remoteDirectory = .root
        if arguments.has("--json") {
            let value = JSONValue.object([
                ("storage_url", .string(session.storageURL.absoluteString)),
                ("auth", .string(newClient.authProvider.summary)),
                ("token_expires", Format.isoDate(session.expiresAt)),
            ])
            shell.stdout.line(value.pretty())
        } else if shell.isInteractive {
            shell.stdout.line("connected to \(session.storageURL.absoluteString) (\(newClient.authProvider.summary))")
        }
    }

    /// A client for `options` layered over the environment, authenticated once
    /// so that bad credentials fail here rather than in the next command.
    ///
    /// - Parameter mayPrompt: `false` where no question may be asked (Tab completion): a
    ///   missing secret is then an error instead of a prompt.
    static func openClient(
        _ options: ConnectionOptions, promptForSecret: Bool = false, mayPrompt: Bool = true,
        in shell: isolated Shell
    ) async throws -> (CloudFilesClient, AuthSession) {
        let resolver = ConnectionResolver(
            environment: shell.configuration.environment, currentDirectory: shell.localDirectory,
            appName: shell.configuration.appName)
        var effective = try resolver.layered(options)
        if !mayPrompt, let prompt = effective.missingSecretPrompt {
            throw ShellError.usage("connect: the secret is missing (\(prompt)); 'connect' asks for it")
        }
        // Ask on the terminal when told to, or when the secret is all that is missing there.
        if let prompt = promptForSecret
            ? effective.secretPrompt : (shell.isInteractive ? effective.missingSecretPrompt : nil)
        {
            effective = effective.withPromptedSecret(try SecretPrompt.ask(prompt))
            // Ctrl-C at the question ends its read early: do not log in with half a secret.
            try Task.checkCancellation()
        }
        let provider = try resolver.provider(for: effective)
        let newClient = CloudFilesClient(
            auth: provider, configuration: .init(userAgent: "\(shell.configuration.appName)-CloudFiles/0.1"),
            logger: shell.logger)
        do {
            let session = try await newClient.session()
            return (newClient, session)
        } catch {
            try? await newClient.shutdown()
            throw error
        }
    }
}

/// The connection every remote command needs.
extension Shell {
    /// The client, connecting from the environment first if `connect` was never run.
    func connectedClient() async throws -> CloudFilesClient {
        if let client { return client }
        let (newClient, _) = try await Connect.openClient(ConnectionOptions(), in: self)
        if let raced = client {
            try? await newClient.shutdown()
            return raced
        }
        client = newClient
        return newClient
    }
}
