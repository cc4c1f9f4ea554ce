import CloudFiles
import NIOCore

/// The object requests the commands make, addressed by ``ObjectPath``: the path is known to
/// be in a container, so none of them needs `container!`.
extension CloudFilesClient {
    func objectInfo(_ path: ObjectPath) async throws -> ObjectInfo {
        try await objectInfo(path.name, in: path.container)
    }

    func copyObject(from source: ObjectPath, to target: ObjectPath) async throws {
        try await copyObject(source.name, in: source.container, to: target.name, in: target.container)
    }

    /// Streams an object's body to `output`.
    func writeObject(_ path: ObjectPath, to output: OutputChannel) async throws {
        let download = try await getObject(path.name, in: path.container)
        for try await chunk in download.body {
            // A `$(…)` past its limit cancels the command: stop reading at once.
            try Task.checkCancellation()
            output.write(bytes: chunk.readableBytesView)
        }
        output.flush()
    }
}

/// The MD5 of no bytes: the ETag of an empty object.
let emptyMD5 = "d41d8cd98f00b204e9800998ecf8427e"

extension ObjectRecord {
    /// Whether this listed object is, or may be, a large object manifest: a static one
    /// (marked in listings), or an empty object other than a directory marker (a dynamic
    /// manifest's own body is empty, and listings do not mark it).
    var mayBeLargeObject: Bool {
        isStaticLargeObject || (bytes == 0 && !isDirectoryMarker)
    }
}

/// One object an operand named: where it is, how to show it, and its listing record when
/// a glob found it.
struct RemoteObject: Sendable {
    var path: ObjectPath
    /// The path as it should be printed.
    var display: String
    /// The listing record, when a glob matched the object.
    var record: ObjectRecord?
}

extension RemoteMatch {
    /// The match as an object; `nil` for a container or a pseudo-folder.
    var asObject: RemoteObject? {
        guard let object, let path = path.inContainer else { return nil }
        return RemoteObject(path: path, display: display, record: object)
    }
}

extension Shell {
    /// The objects named by operands: globs expanded to the objects they match,
    /// other operands resolved and required to name an object.
    func objectOperands(_ operands: [Argument], command: String) async throws -> [RemoteObject] {
        var objects: [RemoteObject] = []
        for operand in operands {
            if let pattern = operand.pattern {
                let matches = try await expandRemoteGlob(pattern, written: operand.text).compactMap(\.asObject)
                if matches.isEmpty { throw ShellError.failure("no object matches '\(operand.text)'") }
                objects += matches
                continue
            }
            let path = try operand.remotePath(from: remoteDirectory)
            guard try !operand.isFolder(from: remoteDirectory), let object = path.inContainer else {
                throw ShellError.usage(
                    "\(Names.quoted(operand.text)) is \(Self.describeFolder(path)); \(command) needs an object")
            }
            objects.append(RemoteObject(path: object, display: display(path, written: operand.text)))
        }
        return objects
    }

    static func describeFolder(_ path: RemotePath) -> String {
        path.isRoot ? "the account root" : path.name.isEmpty ? "a container" : "a pseudo-folder"
    }
}
