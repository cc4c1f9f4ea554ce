import CFShellLanguage

/// `mkdir`: create containers (an existing container is left as it is).
enum MakeContainers: Builtin {
    static let spec = CommandSpec(
        "mkdir", "CONTAINER…", summary: "Create containers (an existing container is left as it is).",
        operands: 1...Int.max)

    static func run(_ arguments: ParsedArguments<Argument>, in shell: isolated Shell) async throws {
        let client = try await shell.connectedClient()
        shell.containerNameCache = nil
        for operand in arguments.operands {
            let path = try operand.remotePath(from: .root)
            guard let container = path.container, path.name.isEmpty || path.name == "/", operand.pattern == nil else {
                throw ShellError.usage(
                    "mkdir creates containers, and '\(operand.text)' is not a container name; pseudo-folders appear when you put objects in them"
                )
            }
            try await client.createContainer(container)
        }
    }
}
