import CFShellLanguage
import CloudFiles

/// `connect`, and the connection every remote command needs.
extension Shell {
    func connect(_ parsed: ParsedArguments<Argument>) async throws {
        let options = try ConnectOptionTable.connectionOptions(from: parsed)
        let (newClient, session) = try await openClient(options, promptForSecret: parsed.has("--password-prompt"))
        if let old = client { try? await old.shutdown() }
        client = newClient
        remoteDirectory = .root
        if parsed.has("--json") {
            let value = JSONValue.object([
                ("storage_url", .string(session.storageURL.absoluteString)),
                ("auth", .string(newClient.authProvider.summary)),
                ("expires", Format.isoDate(session.expiresAt)),
            ])
            stdout.line(value.pretty())
        } else if isInteractive {
            stdout.line("connected to \(session.storageURL.absoluteString) (\(newClient.authProvider.summary))")
        }
    }

    /// The client, connecting from the environment first if `connect` was never run.
    func connectedClient() async throws -> CloudFilesClient {
        if let client { return client }
        let (newClient, _) = try await openClient(ConnectionOptions())
        if let raced = client {
            try? await newClient.shutdown()
            return raced
        }
        client = newClient
        return newClient
    }

    /// A client for `options` layered over the environment, authenticated once
    /// so that bad credentials fail here rather than in the next command.
    private func openClient(
        _ options: ConnectionOptions, promptForSecret: Bool = false
    ) async throws -> (CloudFilesClient, AuthSession) {
        let resolver = ConnectionResolver(
            environment: configuration.environment, currentDirectory: localDirectory, appName: configuration.appName)
        var effective = try resolver.layered(options)
        // Ask on the terminal when told to, or when the secret is all that is missing there.
        if let prompt = promptForSecret ? effective.secretPrompt : (isInteractive ? effective.missingSecretPrompt : nil) {
            effective = effective.withPromptedSecret(try SecretPrompt.ask(prompt))
        }
        let provider = try resolver.provider(for: effective)
        let newClient = CloudFilesClient(auth: provider, configuration: .init(userAgent: "\(configuration.appName)-CloudFiles/0.1"), logger: logger)
        do {
            let session = try await newClient.session()
            return (newClient, session)
        } catch {
            try? await newClient.shutdown()
            throw error
        }
    }
}
