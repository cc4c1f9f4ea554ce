import CFShellLanguage
import CloudFiles
import Foundation

/// cd, lcd and lls: the remote and local working folders.
extension Shell {
    func cd(_ parsed: ParsedArguments<Argument>) async throws {
        guard let operand = parsed.operands.first else {
            remoteDirectory = .root
            return
        }
        let target = try await singleRemotePath(operand, purpose: "cd")
        guard let container = target.container else {
            remoteDirectory = .root
            return
        }
        let client = try await connectedClient()
        if target.name.isEmpty {
            _ = try await client.containerInfo(container)
            remoteDirectory = target
            return
        }
        let folder = target.asFolder
        var listing = client.listObjects(in: container, ObjectListingOptions(prefix: folder.name, limit: 1))
            .makeAsyncIterator()
        guard try await listing.next() != nil else {
            if !target.name.hasSuffix("/"), try await objectExists(target) {
                throw ShellError.failure("'\(operand.text)' is an object, not a folder")
            }
            throw ShellError.failure(
                "no pseudo-folder '\(operand.text)': no object in '\(container)' has a name starting with '\(folder.name)'")
        }
        remoteDirectory = folder
    }

    /// One path from an operand; a glob must match exactly one thing.
    func singleRemotePath(_ operand: Argument, purpose: String) async throws -> RemotePath {
        guard let pattern = operand.pattern else {
            return try operand.remotePath(from: remoteDirectory)
        }
        let matches = try await expandRemoteGlob(pattern, written: operand.text)
        guard matches.count == 1 else {
            throw ShellError.failure(
                matches.isEmpty
                    ? "nothing matches '\(operand.text)'" : "'\(operand.text)' matches \(matches.count) paths; \(purpose) needs one")
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

    func lcd(_ parsed: ParsedArguments<Argument>) throws(ShellError) {
        let text = parsed.operands.first?.text ?? "~"
        let path = localPath(text)
        guard isDirectory(path) else {
            throw ShellError.failure(
                FileManager.default.fileExists(atPath: path) ? "'\(text)' is not a folder" : "no folder '\(text)'")
        }
        localDirectory = path.count > 1 && path.hasSuffix("/") ? String(path.dropLast()) : path
    }

    func lls(_ parsed: ParsedArguments<Argument>) throws(ShellError) {
        var entries: [(shown: String, absolute: String)] = []
        if parsed.operands.isEmpty {
            entries = directoryEntries(localDirectory, shownAs: "")
        }
        for operand in parsed.operands {
            if let pattern = operand.pattern {
                let matches = expandLocalGlob(pattern)
                if matches.isEmpty { throw ShellError.failure("nothing matches '\(operand.text)'") }
                entries += matches.map { ($0, localPath($0)) }
                continue
            }
            let path = localPath(operand.text)
            if isDirectory(path) {
                let shown = operand.text.hasSuffix("/") ? operand.text : operand.text + "/"
                entries += directoryEntries(path, shownAs: shown)
            } else if FileManager.default.fileExists(atPath: path) {
                entries.append((operand.text, path))
            } else {
                throw ShellError.failure("no such file or folder '\(operand.text)'")
            }
        }
        let human = parsed.has("-h")
        if parsed.has("--json") {
            let items = entries.map { entry -> JSONValue in
                let attributes = try? FileManager.default.attributesOfItem(atPath: entry.absolute)
                let folder = isDirectory(entry.absolute)
                return .object([
                    ("path", .string(entry.shown + (folder && !entry.shown.hasSuffix("/") ? "/" : ""))),
                    ("type", .string(folder ? "folder" : "file")),
                    ("bytes", .int(fileSize(attributes))),
                    ("modified", Format.isoDate(attributes?[.modificationDate] as? Date)),
                ])
            }
            stdout.line(JSONValue.array(items).pretty())
            return
        }
        let shown = entries.map { entry in
            isDirectory(entry.absolute) && !entry.shown.hasSuffix("/") ? entry.shown + "/" : entry.shown
        }
        guard parsed.has("-l") else {
            for name in shown { stdout.line(name) }
            return
        }
        let rows = zip(entries, shown).map { entry, name -> [String] in
            let attributes = try? FileManager.default.attributesOfItem(atPath: entry.absolute)
            let size = isDirectory(entry.absolute) ? "-" : Format.size(fileSize(attributes), human: human)
            return [size, Format.date(attributes?[.modificationDate] as? Date), name]
        }
        for line in Format.table(rows, rightAligned: [0]) { stdout.line(line) }
    }

    /// The visible entries of a folder, sorted, shown under `shownAs`.
    private func directoryEntries(_ path: String, shownAs prefix: String) -> [(shown: String, absolute: String)] {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).filter { !$0.hasPrefix(".") }
        let base = path.hasSuffix("/") ? path : path + "/"
        return names.sorted().map { (prefix + $0, base + $0) }
    }
}

/// A file's size from its attributes, which Foundation reports as NSNumber or UInt64.
func fileSize(_ attributes: [FileAttributeKey: Any]?) -> Int64 {
    if let number = attributes?[.size] as? NSNumber { return number.int64Value }
    if let number = attributes?[.size] as? UInt64 { return Int64(number) }
    return 0
}
