import CloudFiles

/// One line of `ls` output.
enum ListItem: Sendable {
    case container(ContainerRecord)
    case object(ObjectRecord, path: String)
    case folder(path: String)
    case missingContainerDetails(String)

    var path: String {
        switch self {
        case .container(let record): record.name
        case .object(_, let path), .folder(let path): path
        case .missingContainerDetails(let name): name
        }
    }
}

extension Shell {
    func ls(_ parsed: ParsedArguments) async throws {
        let client = try await connectedClient()
        let recursive = parsed.has("-r")
        var groups: [[ListItem]] = []
        let operands: [Argument?] = parsed.operands.isEmpty ? [nil] : parsed.operands
        for operand in operands {
            let written = operand?.text ?? ""
            if let operand, let pattern = operand.pattern {
                let matches = try await expandRemoteGlob(pattern, written: written)
                if matches.isEmpty { throw ShellError.failure("nothing matches '\(written)'") }
                var group: [ListItem] = []
                for match in matches {
                    if recursive && match.path.isFolder {
                        group += try await listContents(of: match.path, written: match.display, recursive: true, client: client)
                    } else if let record = match.object {
                        group.append(.object(record, path: match.display))
                    } else if match.path.name.isEmpty {
                        group.append(.missingContainerDetails(match.display))
                    } else {
                        group.append(.folder(path: match.display))
                    }
                }
                groups.append(group)
                continue
            }
            let path = RemotePath.resolve(written, from: remoteDirectory)
            if path.isFolder {
                groups.append(try await listContents(of: path, written: written, recursive: recursive, client: client))
                continue
            }
            // `c/name`: a pseudo-folder if anything is below `name/`, else the object itself.
            let folder = path.asFolder
            let contents = try await listContents(of: folder, written: written + "/", recursive: recursive, client: client)
            if !contents.isEmpty {
                groups.append(contents)
            } else if let record = try await objectRecord(path, client: client) {
                groups.append([.object(record, path: display(path, written: written))])
            } else {
                throw ShellError.failure("no object or pseudo-folder '\(written)'")
            }
        }
        try await printListing(groups, parsed: parsed, client: client)
    }

    /// The listing record of exactly this object, or `nil`.
    func objectRecord(_ path: RemotePath, client: CloudFilesClient) async throws -> ObjectRecord? {
        guard let container = path.container else { return nil }
        let listing = client.listObjects(in: container, ObjectListingOptions(prefix: path.name, delimiter: "/"))
        for try await entry in listing {
            if case .object(let record) = entry, record.name == path.name { return record }
            if entry.name > path.name + "/" { break }
        }
        return nil
    }

    /// What is inside the root, a container or a prefix: one level, or everything below with `recursive`.
    func listContents(
        of path: RemotePath, written: String, recursive: Bool, client: CloudFilesClient
    ) async throws -> [ListItem] {
        func shown(_ container: String, _ name: String) -> String {
            let target = RemotePath(container: container, name: name)
            return written.hasPrefix("/") ? target.description : target.display(relativeTo: remoteDirectory)
        }
        guard let container = path.container else {
            var items: [ListItem] = []
            for try await record in client.listContainers() {
                if recursive {
                    items += try await listContents(
                        of: RemotePath(container: record.name), written: written.hasPrefix("/") ? "/" + record.name : record.name,
                        recursive: true, client: client)
                } else {
                    items.append(.container(record))
                }
            }
            return items
        }
        var options = ObjectListingOptions(prefix: nonEmpty(path.name))
        if !recursive { options.delimiter = "/" }
        var items: [ListItem] = []
        for try await entry in client.listObjects(in: container, options) {
            switch entry {
            case .object(let record):
                // A directory marker for the prefix itself is the folder, not an entry in it.
                if record.name == path.name { continue }
                items.append(.object(record, path: shown(container, record.name)))
            case .subdirectory(let prefix):
                items.append(.folder(path: shown(container, prefix)))
            }
        }
        return items
    }

    private func printListing(_ groups: [[ListItem]], parsed: ParsedArguments, client: CloudFilesClient) async throws {
        let human = parsed.has("-h")
        // Containers matched by a glob come without totals; fetch them only when shown.
        var resolved: [[ListItem]] = []
        for group in groups {
            var items: [ListItem] = []
            for item in group {
                if case .missingContainerDetails(let name) = item, parsed.has("-l") || parsed.has("--json") {
                    let info = try await client.containerInfo(RemotePath.resolve(name, from: remoteDirectory).container ?? name)
                    items.append(.container(ContainerRecord(name: name, objectCount: info.objectCount, bytesUsed: info.bytesUsed)))
                } else {
                    items.append(item)
                }
            }
            resolved.append(items)
        }
        if parsed.has("--json") {
            stdout.line(JSONValue.array(resolved.flatMap { $0 }.map(Self.json)).pretty())
            return
        }
        guard parsed.has("-l") else {
            for item in resolved.flatMap({ $0 }) { stdout.line(item.path) }
            return
        }
        for group in resolved {
            let rows = group.map { item -> [String] in
                switch item {
                case .container(let record):
                    return [String(record.objectCount), Format.size(record.bytesUsed, human: human), Format.date(record.lastModified), record.name]
                case .object(let record, let path):
                    return [Format.size(record.bytes, human: human), Format.date(record.lastModified), record.contentType, path]
                case .folder(let path):
                    return ["-", "-", "-", path]
                case .missingContainerDetails(let name):
                    return ["-", "-", "-", name]
                }
            }
            let containers = group.allSatisfy { if case .container = $0 { true } else { false } }
            for line in Format.table(rows, rightAligned: containers ? [0, 1] : [0]) { stdout.line(line) }
        }
    }

    private static func json(_ item: ListItem) -> JSONValue {
        switch item {
        case .container(let record):
            return .object([
                ("name", .string(record.name)), ("type", .string("container")), ("count", .int(record.objectCount)),
                ("bytes", .int(record.bytesUsed)), ("last_modified", Format.isoDate(record.lastModified)),
            ])
        case .object(let record, let path):
            return .object([
                ("path", .string(path)), ("type", .string("object")), ("name", .string(record.name)),
                ("bytes", .int(record.bytes)), ("hash", .string(record.hash)),
                ("content_type", .string(record.contentType)), ("last_modified", Format.isoDate(record.lastModified)),
            ])
        case .folder(let path):
            return .object([("path", .string(path)), ("type", .string("folder"))])
        case .missingContainerDetails(let name):
            return .object([("name", .string(name)), ("type", .string("container"))])
        }
    }
}
