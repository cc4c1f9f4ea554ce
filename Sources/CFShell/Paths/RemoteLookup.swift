import CFShellLanguage
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

/// Help with paths that name nothing: close names on a 404 (`ls c/Data/` → "did you mean
/// 'data/'?"), and, after `cd`, where a relative path went when its first component is also
/// a container's name (`put big.bin ux-big/` in `/ux-a1`).
extension Shell {
    /// The account's container names, listed once per connection and kept a minute
    /// (`mkdir` and `rmdir` forget them). At most 10 000 are kept: enough for hints.
    func containerNames() async throws -> Set<String> {
        let client = try await connectedClient()
        if let cache = containerNameCache, cache.listedAt.duration(to: .now) < .seconds(60) { return cache.names }
        var names: Set<String> = []
        for try await record in client.listContainers() {
            names.insert(record.name)
            if names.count >= 10_000 { break }
        }
        containerNameCache = (names, .now)
        return names
    }

    /// Whether anything in the account starts with `path` (one listing of one name):
    /// an object, a pseudo-folder, or the container itself for a container path.
    func anythingStarts(with path: RemotePath) async throws -> Bool {
        guard let container = path.container else { return true }
        let client = try await connectedClient()
        var listing = client.listObjects(in: container, ObjectListingOptions(prefix: nonEmpty(path.name), limit: 1))
            .makeAsyncIterator()
        do {
            return try await listing.next() != nil || path.name.isEmpty
        } catch let error as CloudFilesError where error == .notFound {
            return false
        }
    }

    /// The message for a path that names nothing, with close names when there are:
    /// "no container 'bakups'; did you mean 'backups'?", "no folder 'Data/' in 'c'; did
    /// you mean 'data/'?". Lookups that fail leave the hint out.
    func missingMessage(_ path: RemotePath) async -> String {
        guard let container = path.container else { return "nothing at the account root" }
        let containers = try? await containerNames()
        if let containers, !containers.contains(container) {
            return "no container \(Names.quoted(container))"
                + Self.didYouMean(Self.closeName(container, among: Array(containers)))
        }
        guard !path.name.isEmpty else { return "no container \(Names.quoted(container))" }
        let isFolder = path.name.hasSuffix("/")
        var trimmed = path.name
        while trimmed.hasSuffix("/") { trimmed.removeLast() }
        let parent = trimmed.lastIndex(of: "/").map { String(trimmed[...$0]) } ?? ""
        let leaf = String(trimmed.dropFirst(parent.count))
        let what = isFolder ? "folder" : "object or folder"
        let message = "no \(what) \(Names.quoted(path.name)) in \(Names.quoted(container))"
        guard let siblings = try? await siblingNames(in: container, parent: parent) else { return message }
        // A folder's close names are folders; an object's, anything.
        let candidates = siblings.filter { !isFolder || $0.hasSuffix("/") }
        let leaves = candidates.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
        guard let close = Self.closeName(leaf, among: leaves), let index = leaves.firstIndex(of: close) else {
            return message
        }
        return message + Self.didYouMean(parent + candidates[index])
    }

    /// One level of names under `parent` in `container`, without `parent`; folders end in `/`.
    private func siblingNames(in container: String, parent: String) async throws -> [String] {
        let client = try await connectedClient()
        var names: [String] = []
        let options = ObjectListingOptions(prefix: nonEmpty(parent), delimiter: "/", limit: 2_000)
        for try await entry in client.listObjects(in: container, options) {
            let name = String(entry.name.dropFirst(parent.count))
            if !name.isEmpty { names.append(name) }
        }
        return names
    }

    private static func didYouMean(_ name: String?) -> String {
        name.map { "; did you mean \(Names.quoted($0))?" } ?? ""
    }

    /// The name of `names` closest to `name`: the same but for case first, else the
    /// nearest within one edit (two for names of five characters or more), ignoring case.
    static func closeName(_ name: String, among names: [String]) -> String? {
        let lower = name.lowercased()
        let others = names.filter { $0 != name }
        if let same = others.filter({ $0.lowercased() == lower }).min() { return same }
        guard name.count >= 2 else { return nil }
        let limit = name.count >= 5 ? 2 : 1
        return
            others
            .map { (name: $0, distance: CommandSuggestions.editDistance(lower, $0.lowercased())) }
            .filter { $0.distance <= limit }
            .min { ($0.distance, $0.name) < ($1.distance, $1.name) }?
            .name
    }

    /// The note for a relative operand whose first component is also a container's name:
    /// where it resolved, and the container; `nil` for any other operand.
    func relativeNote(_ operand: Argument) async -> String? {
        guard operand.exact == nil, !operand.text.hasPrefix("/"), remoteDirectory.container != nil, client != nil
        else { return nil }
        let first = String(operand.text.prefix { $0 != "/" })
        guard !first.isEmpty, first != ".", first != "..",
            operand.pattern == nil || !first.contains(where: "*?[".contains),
            let names = try? await containerNames(), names.contains(first),
            let resolved = try? operand.remotePath(from: remoteDirectory)
        else { return nil }
        var note =
            "note: \(Names.quoted(operand.text)) is relative to \(remoteDirectory.description) and resolved to "
            + "\(resolved.description); the container is /\(first)/"
        if operand.text != first && operand.text != first + "/" { note += ": write '/\(operand.text)' for it" }
        return note
    }

    /// Before a command writes to `operand`: when it is relative, its first component names
    /// a container, and nothing is there yet, says where it resolved (on stderr, at once).
    func noteIfNewRelativeTarget(_ operand: Argument) async {
        guard let note = await relativeNote(operand), let path = try? operand.remotePath(from: remoteDirectory),
            (try? await anythingStarts(with: path)) == false
        else { return }
        stdout.flush()
        stderr.line(Names.printable(note))
        stderr.flush()
        notesPrinted.insert(note)
    }

    /// What a failed command's error becomes, and the notes that follow it: a 404 on the
    /// command's one remote operand names what is missing and close names; a relative
    /// operand whose first component names a container gets a note. Only answers from the
    /// server are explained (a network failure is not looked into again).
    func explainFailure(_ error: any Error, of builtin: any Builtin.Type, operands: [Argument]) async -> any Error {
        let notFound = (error as? CloudFilesError).flatMap { $0 == .notFound ? $0 : nil }
        guard client != nil, notFound != nil || error is ShellError else { return error }
        let remote = Self.remoteOperands(of: builtin, operands)
        var explained = error
        if let notFound, remote.count == 1, remote[0].pattern == nil,
            let path = try? remote[0].remotePath(from: remoteDirectory)
        {
            // The request and its transaction id stay, for whoever reads the server's logs.
            explained = notFound.with(message: await missingMessage(path))
        }
        for operand in remote {
            if let note = await relativeNote(operand), !notesPrinted.contains(note), !pendingNotes.contains(note) {
                pendingNotes.append(note)
            }
        }
        return explained
    }

    /// The operands of `builtin` that name remote paths, from its completion slots: all of
    /// `ls` or `rm`, the last of `put` (with two or more), all but the last of `get`.
    static func remoteOperands(of builtin: any Builtin.Type, _ operands: [Argument]) -> [Argument] {
        operands.indices.filter { index in
            switch builtin.completion(at: index) {
            case .remote: return true
            case .localThenRemote: return operands.count >= 2 && index == operands.count - 1
            case .remoteThenLocal: return operands.count < 2 || index < operands.count - 1
            case .none, .command, .local, .words, .metadataKey: return false
            }
        }.map { operands[$0] }
    }
}
