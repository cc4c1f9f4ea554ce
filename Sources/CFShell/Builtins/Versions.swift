import CFShellLanguage
import CloudFiles
import Foundation
import NIOCore

/// `versions`: turn a container's object versioning on or off, show it, or restore an
/// older version of an object. The version options of `ls`, `get`, `cat` and `rm` are here too.
enum Versions: Builtin {
    static let spec = CommandSpec(
        "versions", "[--json] CONTAINER [on|off] [--archive ARCHIVE] | --restore ID PATH",
        summary: "Turn object versioning on or off, show it, or restore an older version.",
        details: """
            'versions C' shows how container C keeps versions; 'versions C on' turns Swift's object \
            versioning (X-Versions-Enabled) on where the cluster's /info lists object_versioning, and \
            'versions C off' turns it off: the versions kept stay, and can still be listed, read and \
            deleted. With --archive ARCHIVE, 'on' uses the legacy mode instead (X-History-Location: \
            each overwrite or delete copies the old object into ARCHIVE, created if missing); it is \
            also the only way on a cluster without object_versioning. 'versions --restore ID PATH' \
            makes version ID the current one: a server-side copy of it over PATH; every version \
            stays, and the copy is itself a new version.

            In a versioned container, a plain 'rm' deletes nothing for good: it writes a delete \
            marker, and the object's versions stay. 'ls --versions PATH' lists an object's versions \
            newest first (ID, size, date; '*' marks the current one); 'get --version ID PATH [LOCAL]' \
            and 'cat --version ID PATH' read one; 'rm --version ID PATH' deletes that version and \
            only it. Swift deletes a container only once every version is gone, and cfsh deletes \
            versions only by their id: 'rmdir --force' refuses a container that still holds versions. \
            In the legacy mode the ids are the archived copies' timestamps, and 'current' is the \
            object itself.
            """,
        options: [
            CommandSpec.Option("--archive", value: "ARCHIVE", help: "legacy mode: keep old versions in ARCHIVE"),
            CommandSpec.Option("--restore", value: "ID", help: "make version ID of PATH the current one"),
            CommonOptions.json,
        ],
        operands: 1...2,
        examples: [
            "versions /docs on", "ls --versions /docs/report.txt  # ids, newest first",
            "versions --restore 1714567890.12345 /docs/report.txt",
        ])

    /// `ls --versions`.
    static let listOption = CommandSpec.Option(
        "--versions", help: "list each object's versions, newest first (a versioned container)")
    /// `get`, `cat` and `rm --version ID`.
    static let versionOption = CommandSpec.Option(
        "--version", value: "ID", help: "one version of the object (ids from ls --versions)")

    static func completion(at position: Int) -> CompletionSlots.Slot {
        position == 0 ? .remote(.any) : .words(["on", "off"])
    }

    static func run(_ arguments: ParsedArguments<Argument>, in shell: isolated Shell) async throws {
        let client = try await shell.connectedClient()
        let operand = arguments.operands[0]
        let path = try await shell.singleRemotePath(operand, purpose: "versions")
        if let id = arguments.value("--restore") {
            guard arguments.operands.count == 1, arguments.value("--archive") == nil else {
                throw ShellError.usage("versions --restore takes one version ID and one object PATH")
            }
            let object = try objectPath(path, operand)
            try await client.restoreObjectVersion(object.name, in: object.container, versionID: id)
            if arguments.has("--json") {
                shell.stdout.line(
                    JSONValue.object([
                        ("path", .string(path.description)), ("restored_version_id", .string(id)),
                    ]).pretty())
            } else if shell.tty.showsProgress {
                shell.stdout.line(shell.stdout.shown("restored \(operand.text) from version \(id)"))
            }
            return
        }
        guard let container = path.container, path.name.isEmpty else {
            throw ShellError.usage(
                "\(Names.quoted(operand.text)) is not a container; versions C on|off sets a container")
        }
        if arguments.operands.count == 2 {
            switch arguments.operands[1].text {
            case "on":
                try await client.enableVersioning(on: container, archive: arguments.value("--archive"))
            case "off":
                guard arguments.value("--archive") == nil else {
                    throw ShellError.usage("--archive goes with 'on'")
                }
                try await client.disableVersioning(on: container)
            case let other:
                throw ShellError.usage("versions: expected 'on' or 'off', not \(Names.quoted(other))")
            }
        } else if arguments.value("--archive") != nil {
            throw ShellError.usage("--archive goes with 'on': versions \(container) on --archive ARCHIVE")
        }
        guard arguments.operands.count == 1 || arguments.has("--json") || shell.tty.showsProgress else { return }
        let mode = try await client.containerInfo(container).versioning
        let (state, method, archive) = describe(mode)
        if arguments.has("--json") {
            shell.stdout.line(
                JSONValue.object([
                    ("container", .string(container)), ("versioning", .string(state)),
                    ("method", .optional(method)), ("archive", .optional(archive)),
                ]).pretty())
        } else {
            var text = "\(container): versioning \(state)"
            if let method { text += " (\(method)" + (archive.map { ", archive \(Names.quoted($0))" } ?? "") + ")" }
            shell.stdout.line(shell.stdout.shown(text))
        }
    }

    /// The state (`on`, `off`, `never set`), the method and the legacy archive.
    private static func describe(_ mode: ContainerVersioning) -> (String, String?, String?) {
        switch mode {
        case .none: return ("never set", nil, nil)
        case .objectVersioning(let enabled): return (enabled ? "on" : "off", "X-Versions-Enabled", nil)
        case .history(let archive): return ("on", "X-History-Location", archive)
        case .versionsLocation(let archive): return ("on", "X-Versions-Location", archive)
        }
    }

    private static func objectPath(_ path: RemotePath, _ operand: Argument) throws -> ObjectPath {
        guard let object = path.inContainer, !object.name.isEmpty, !path.isFolder else {
            throw ShellError.usage("\(Names.quoted(operand.text)) is not an object: versions are an object's")
        }
        return object
    }

    // MARK: - ls --versions

    /// `ls --versions PATH…`: each object's versions, newest first.
    static func list(_ arguments: ParsedArguments<Argument>, in shell: isolated Shell) async throws {
        for other in ["-r", "--older-than", "--newer-than"] where arguments.has(other) {
            throw ShellError.usage("ls --versions lists objects named one by one; \(other) does not go with it")
        }
        guard !arguments.operands.isEmpty else { throw ShellError.usage("ls --versions needs an object PATH") }
        let client = try await shell.connectedClient()
        let human = arguments.has("-h")
        var json: [JSONValue] = []
        var rows: [[String]] = []
        for operand in arguments.operands {
            let path = try await shell.singleRemotePath(operand, purpose: "ls --versions")
            let object = try objectPath(path, operand)
            let versions = try await client.objectVersions(of: object.name, in: object.container)
            if versions.isEmpty { throw ShellError.failure("no versions of \(Names.quoted(operand.text))") }
            let shown = shell.display(path, written: operand.text)
            for version in versions {
                if arguments.has("--json") {
                    json.append(
                        .object([
                            ("path", .string(shown)), ("name", .string(version.name)),
                            ("version_id", .string(version.versionID)), ("is_latest", .bool(version.isLatest)),
                            ("delete_marker", .bool(version.isDeleteMarker)), ("bytes", .int(version.bytes)),
                            ("hash", .string(version.hash)), ("content_type", .string(version.contentType)),
                            ("last_modified", Format.isoDate(version.lastModified)),
                        ]))
                } else {
                    var row = [
                        version.isLatest ? "*" : " ", version.versionID, Format.size(version.bytes, human: human),
                        Format.date(version.lastModified),
                    ]
                    let notes = [version.isLatest ? "current" : nil, version.isDeleteMarker ? "delete marker" : nil]
                        .compactMap { $0 }
                    row.append(notes.isEmpty ? shown : shown + " (" + notes.joined(separator: ", ") + ")")
                    rows.append(row)
                }
            }
        }
        if arguments.has("--json") {
            shell.stdout.line(JSONValue.array(json).pretty())
        } else {
            for line in Format.table(rows, rightAligned: [2]) { shell.stdout.line(shell.stdout.shown(line)) }
        }
    }

    // MARK: - get, cat and rm --version

    /// The one object and version `get`, `cat` or `rm --version ID` names.
    private static func versionOperand(
        _ operand: Argument, id: String, command: String, client: CloudFilesClient, in shell: isolated Shell
    ) async throws -> (ObjectPath, ObjectVersionLocation) {
        let path = try await shell.singleRemotePath(operand, purpose: "\(command) --version")
        let object = try objectPath(path, operand)
        let location = try await client.versionLocation(of: object.name, in: object.container, versionID: id)
        return (object, location)
    }

    /// `cat --version ID PATH`.
    static func cat(_ arguments: ParsedArguments<Argument>, id: String, in shell: isolated Shell) async throws {
        guard arguments.operands.count == 1 else { throw ShellError.usage("cat --version ID takes one object PATH") }
        let client = try await shell.connectedClient()
        let (_, location) = try await versionOperand(
            arguments.operands[0], id: id, command: "cat", client: client, in: shell)
        let download = try await client.getObject(location.name, in: location.container, versionID: location.versionID)
        for try await chunk in download.body {
            try Task.checkCancellation()
            shell.stdout.write(bytes: chunk.readableBytesView)
        }
        shell.stdout.flush()
    }

    /// `get --version ID PATH [LOCAL]`: LOCAL is a file, or a folder (existing, or ending in
    /// '/') to put the object's base name in; the local working folder without it.
    static func get(_ arguments: ParsedArguments<Argument>, id: String, in shell: isolated Shell) async throws {
        guard (1...2).contains(arguments.operands.count), !arguments.has("-r") else {
            throw ShellError.usage("get --version ID takes one object PATH and an optional LOCAL")
        }
        let client = try await shell.connectedClient()
        let (object, location) = try await versionOperand(
            arguments.operands[0], id: id, command: "get", client: client, in: shell)
        let base = object.remotePath.lastComponent
        func inFolder(_ folder: String) throws -> String {
            guard !base.isEmpty, base != ".", base != "..", !base.contains("/") else {
                throw ShellError.failure("\(Names.quoted(object.name)) has no base name to save it under: name LOCAL")
            }
            return (folder.hasSuffix("/") ? folder : folder + "/") + base
        }
        var target: String
        if arguments.operands.count == 2 {
            let text = arguments.operands[1].text
            target = shell.localPath(text)
            var isFolder: ObjCBool = false
            if text.hasSuffix("/")
                || (FileManager.default.fileExists(atPath: target, isDirectory: &isFolder)
                    && isFolder.boolValue)
            {
                target = try inFolder(target)
            }
        } else {
            target = try inFolder(shell.localDirectory)
        }
        var options = DownloadOptions()
        options.versionID = location.versionID
        options.temporaryFilePrefix = "cfsh"
        let result = try await client.downloadObject(
            location.name, in: location.container, toFile: target, options: options)
        if arguments.has("--json") {
            shell.stdout.line(
                JSONValue.object([
                    ("path", .string(arguments.operands[0].text)), ("version_id", .string(id)),
                    ("local", .string(target)), ("bytes", .int(result.bytes)),
                ]).pretty())
        } else if arguments.has("-v") {
            shell.stdout.line(shell.stdout.shown("\(arguments.operands[0].text) (version \(id)) -> \(target)"))
        }
    }

    /// `rm --version ID PATH`: that version only.
    static func remove(_ arguments: ParsedArguments<Argument>, id: String, in shell: isolated Shell) async throws {
        guard arguments.operands.count == 1, !arguments.has("-r") else {
            throw ShellError.usage("rm --version ID takes one object PATH")
        }
        let client = try await shell.connectedClient()
        let operand = arguments.operands[0]
        let path = try await shell.singleRemotePath(operand, purpose: "rm --version")
        let object = try objectPath(path, operand)
        try await client.deleteObjectVersion(object.name, in: object.container, versionID: id)
        if arguments.has("--json") {
            shell.stdout.line(
                JSONValue.object([("path", .string(operand.text)), ("deleted_version_id", .string(id))]).pretty())
        } else if arguments.has("-v") {
            shell.stdout.line(shell.stdout.shown("deleted version \(id) of \(operand.text)"))
        }
    }

    // MARK: - rmdir

    /// Throws instead of emptying a container that still holds object versions: deleting
    /// its objects would only write delete markers, and cfsh deletes versions only by id.
    static func refuseIfVersioned(_ container: String, client: CloudFilesClient, error: CloudFilesError) async throws {
        guard (try? await client.containerHasVersions(container)) == true else { return }
        throw ShellError.failure(
            "container '\(container)' still holds object versions; Swift deletes it only once every version is deleted. cfsh deletes versions only by id: 'ls --versions PATH', then 'rm --version ID PATH', and 'versions \(container) off'"
                + error.requestContext)
    }
}
