import CFShellLanguage
import CloudFiles

/// One thing a remote glob matched.
struct RemoteMatch: Sendable {
    var path: RemotePath
    /// The path as it should be printed or handed to the next command.
    var display: String
    /// The listing record, when the match is an object.
    var object: ObjectRecord?

    /// The match as `foreach` hands it on: exactly this object or folder.
    var exact: ExactPath { ExactPath(path: path, isObject: object != nil) }
}

extension Shell {
    /// How to print `path` for a user who wrote `written`: absolute when they
    /// wrote an absolute path, otherwise relative to the remote working folder.
    func display(_ path: RemotePath, written: String) -> String {
        written.hasPrefix("/") ? path.description : path.display(relativeTo: remoteDirectory)
    }

    /// The containers, pseudo-folders and objects a pattern matches, in listing order.
    ///
    /// The server is asked for the longest literal prefix; matching happens here.
    /// A pattern within one level lists with the `/` delimiter, so that
    /// `c/*.sql` does not walk everything below `c/`; one with `**` lists everything below
    /// its literal prefix.
    func expandRemoteGlob(_ pattern: GlobPattern, written: String) async throws -> [RemoteMatch] {
        // Resolve the pattern text like a path; escapes survive, since '/' and '.' are never escaped.
        let resolved = RemotePath.resolve(pattern.description, from: remoteDirectory)
        guard let containerPattern = resolved.container else { return [] }
        let client = try await connectedClient()
        let containerGlob = GlobPattern(containerPattern)
        var containers: [String] = []
        if containerGlob.hasWildcards {
            let listing = client.listContainers(ContainerListingOptions(prefix: nonEmpty(containerGlob.literalPrefix)))
            for try await record in listing where containerGlob.matches(record.name) {
                containers.append(record.name)
            }
        } else {
            containers = [containerGlob.literalPrefix]
        }
        if resolved.name.isEmpty {
            return containers.map { container in
                let path = RemotePath(container: container)
                return RemoteMatch(path: path, display: display(path, written: written))
            }
        }
        let nameGlob = GlobPattern(resolved.name)
        // `**` matches objects at any depth; pseudo-folders only when the pattern ends in `/`,
        // so that `c/**` names each object once, not also every folder holding it.
        let skipsFolders = nameGlob.crossesFolders && !resolved.name.hasSuffix("/")
        var matches: [RemoteMatch] = []
        for container in containers {
            for (name, record) in try await candidates(in: container, for: nameGlob, client: client)
            where nameGlob.matches(name) && (record != nil || !skipsFolders) {
                let path = RemotePath(container: container, name: name)
                matches.append(RemoteMatch(path: path, display: display(path, written: written), object: record))
            }
        }
        return matches
    }

    /// Object names and pseudo-folder names under the pattern's literal prefix.
    private func candidates(
        in container: String, for glob: GlobPattern, client: CloudFilesClient
    ) async throws -> [(String, ObjectRecord?)] {
        let prefix = glob.literalPrefix
        let remainder = glob.description.unicodeScalars.dropFirst(Self.escapedLength(of: prefix, in: glob.description))
        let oneLevel = !glob.crossesFolders && !remainder.dropLast(remainder.last == "/" ? 1 : 0).contains("/")
        // With the delimiter, the server rolls up everything below the pattern's level.
        var options = ObjectListingOptions(prefix: nonEmpty(prefix))
        if oneLevel { options.delimiter = "/" }
        var result: [(String, ObjectRecord?)] = []
        var folders = Set<String>()
        for try await entry in client.listObjects(in: container, options) {
            switch entry {
            case .subdirectory(let folder):
                result.append((folder, nil))
            case .object(let record):
                if !oneLevel {
                    // Every pseudo-folder between the prefix and the object is a candidate too,
                    // cut at each byte '/' (a '/' with a combining mark after it still counts).
                    let bytes = Array(record.name.utf8)
                    var index = min(prefix.utf8.count, bytes.count)
                    while let slash = bytes[index...].firstIndex(of: UInt8(ascii: "/")) {
                        let folder = String(decoding: bytes[...slash], as: UTF8.self)
                        if folders.insert(folder).inserted { result.append((folder, nil)) }
                        index = slash + 1
                    }
                }
                result.append((record.name, record))
            }
        }
        return result
    }

    /// How many scalars of `pattern` spell `prefix`, counting the `\` escapes.
    private static func escapedLength(of prefix: String, in pattern: String) -> Int {
        var consumed = 0
        var matched = 0
        var characters = pattern.unicodeScalars.makeIterator()
        while matched < prefix.unicodeScalars.count, let c = characters.next() {
            consumed += 1
            if c == "\\" {
                _ = characters.next()
                consumed += 1
            }
            matched += 1
        }
        return consumed
    }
}

func nonEmpty(_ text: String) -> String? { text.isEmpty ? nil : text }
