import CFShellLanguage
import CloudFiles

/// `cd`: change the remote working folder (the account root without PATH).
enum ChangeFolder: Builtin {
    static let spec = CommandSpec(
        "cd", "[PATH]", summary: "Change the remote working folder (the account root without PATH).",
        details: "PATH may be a container or a pseudo-folder of it; '..' goes up, '/' is the root.",
        operands: 0...1)

    static func completion(at position: Int) -> CompletionSlots.Slot {
        .remote(.folders)
    }

    static func run(_ arguments: ParsedArguments<Argument>, in shell: isolated Shell) async throws {
        guard let operand = arguments.operands.first else {
            shell.remoteDirectory = .root
            return
        }
        let target = try await shell.singleRemotePath(operand, purpose: "cd")
        guard let container = target.container else {
            shell.remoteDirectory = .root
            return
        }
        let client = try await shell.connectedClient()
        if target.name.isEmpty {
            _ = try await client.containerInfo(container)
            shell.remoteDirectory = target
            return
        }
        let folder = target.asFolder
        var listing = client.listObjects(in: container, ObjectListingOptions(prefix: folder.name, limit: 1))
            .makeAsyncIterator()
        guard try await listing.next() != nil else {
            if !target.name.hasSuffix("/"), try await shell.objectExists(target) {
                throw ShellError.failure("'\(operand.text)' is an object, not a folder")
            }
            throw ShellError.failure(
                "no pseudo-folder '\(operand.text)': no object in '\(container)' has a name starting with '\(folder.name)'"
            )
        }
        shell.remoteDirectory = folder
    }
}
