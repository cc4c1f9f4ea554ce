import CloudFiles

/// Lookups of remote paths that several commands share.
extension Shell {
    /// One path from an operand; a glob must match exactly one thing.
    func singleRemotePath(_ operand: Argument, purpose: String) async throws -> RemotePath {
        guard let pattern = operand.pattern else {
            return try operand.remotePath(from: remoteDirectory)
        }
        let matches = try await expandRemoteGlob(pattern, written: operand.text)
        guard matches.count == 1 else {
            throw ShellError.failure(
                matches.isEmpty
                    ? "nothing matches '\(operand.text)'"
                    : "'\(operand.text)' matches \(matches.count) paths; \(purpose) needs one")
        }
        return matches[0].path
    }

    func objectExists(_ path: RemotePath) async throws -> Bool {
        guard let container = path.container, !path.name.isEmpty else { return false }
        let client = try await connectedClient()
        var listing = client.listObjects(in: container, ObjectListingOptions(prefix: path.name, limit: 1))
            .makeAsyncIterator()
        return try await listing.next()?.name == path.name
    }
}
