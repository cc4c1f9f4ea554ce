import CloudFiles
import Foundation

/// One file to upload or download.
struct TransferItem: Sendable {
    var local: String
    var container: String
    var name: String
    /// What to print for it: `local -> remote`.
    var label: String
    /// A directory marker: make the folder instead of downloading.
    var isFolder = false
    /// The listing record of the object to download, when a listing found it.
    var record: ObjectRecord?
    /// For a download named by the server: `local`, checked, with the folders to make.
    var target: SafeLocalPath?
}

extension Shell {
    func get(_ parsed: ParsedArguments) async throws {
        let client = try await connectedClient()
        let recursive = parsed.has("-r")
        let verbose = parsed.has("-v") || settings.verbose
        let flags = try TransferFlags.read(parsed, settings: settings, tty: tty)
        var sources = parsed.operands
        var localText: String?
        if sources.count >= 2 {
            let last = sources.removeLast()
            if last.pattern != nil { throw ShellError.usage("the destination '\(last.text)' cannot be a pattern") }
            localText = last.text
        }
        let target = localText.map(localPath) ?? localDirectory
        let targetIsFolder = localText == nil || localText!.hasSuffix("/") || isDirectory(target)
        let targetFolder = target.hasSuffix("/") ? String(target.dropLast()) : target
        var plan: [TransferItem] = []
        var refused: [(shown: String, reason: String)] = []
        for source in sources {
            var matches: [RemoteMatch]
            if let pattern = source.pattern {
                matches = try await expandRemoteGlob(pattern, written: source.text)
                if matches.isEmpty { throw ShellError.failure("nothing matches '\(source.text)'") }
            } else {
                let path = try source.remotePath(from: remoteDirectory)
                matches = [RemoteMatch(path: path, display: display(path, written: source.text))]
            }
            for match in matches {
                var path = match.path
                guard let container = path.container else {
                    throw ShellError.usage("get needs a container, a pseudo-folder or an object, not the account root")
                }
                if recursive && !path.isFolder && match.object == nil, !(try await objectExists(path)) {
                    path = path.asFolder
                }
                if path.isFolder {
                    guard recursive else {
                        throw ShellError.failure(
                            "'\(match.display)' is \(Self.describeFolder(path)); 'get -r' downloads everything in it")
                    }
                    // The pseudo-folder's own name is the first component below the target,
                    // checked like the rest: a glob can match a pseudo-folder named `../`.
                    let root = path.name.isEmpty ? container : SafeLocalPath.lastComponent(of: path.name)
                    for try await entry in client.listObjects(in: container, ObjectListingOptions(prefix: nonEmpty(path.name))) {
                        guard case .object(let record) = entry,
                              let relative = SafeLocalPath.dropPrefix(path.name, of: record.name),
                              !relative.isEmpty  // the prefix's own directory marker
                        else { continue }
                        let shown = RemotePath(container: container, name: record.name).display(relativeTo: remoteDirectory)
                        var local: SafeLocalPath
                        do {
                            local = try SafeLocalPath(folder: targetFolder, leading: [root], relative: relative)
                        } catch {
                            refused.append((shown, error.reason))
                            continue
                        }
                        if record.isDirectoryMarker && record.bytes == 0 { local.isFolder = true }
                        plan.append(TransferItem(
                            local: local.path, container: container, name: record.name, label: shown, isFolder: local.isFolder,
                            record: record, target: local))
                    }
                    continue
                }
                var item = TransferItem(local: target, container: container, name: path.name, label: match.display, record: match.object)
                if targetIsFolder {
                    do {
                        let local = try SafeLocalPath(folder: targetFolder, relative: SafeLocalPath.lastComponent(of: path.name))
                        item.local = local.path
                        item.target = local
                    } catch {
                        refused.append((match.display, error.reason))
                        continue
                    }
                }
                plan.append(item)
            }
        }
        if !targetIsFolder && plan.count > 1 {
            throw ShellError.usage("\(plan.count) objects need a local folder: end '\(localText ?? "")' with '/'")
        }
        for (name, reason) in refused {
            stderr.line("get: refusing \(Names.quoted(name)): \(Names.printable(reason)); nothing was written for it")
        }
        stderr.flush()
        let output = stdout
        let known = plan.compactMap { $0.record?.bytes }
        let progress = CommandProgress(
            verb: "get", files: plan.count, totalBytes: known.count == plan.count ? WireNumber.sum(known) : nil,
            enabled: flags.showsProgress, inPlace: tty.showsProgress)
        defer { progress.finish() }
        let skipped = TallyCounter()
        try await forEachConcurrently(plan, limit: flags.parallel, describe: { $0.label }) { item in
            if let target = item.target {
                do {
                    try target.createFolders()
                } catch let refusal as SafeLocalPath.Refusal {
                    throw ShellError.failure("not written: \(refusal.reason)")
                }
            } else {
                // A file name the user typed: its folders are theirs to name.
                let folder = (item.local as NSString).deletingLastPathComponent
                do {
                    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
                } catch {
                    throw ShellError.failure("cannot create the folder '\(folder)'")
                }
            }
            if item.isFolder {
                progress.fileDone()
                return
            }
            if flags.skipIdentical, let size = self.regularFileSize(item.local),
               try await self.remoteMatchesLocal(item, size: size, client: client)
            {
                skipped.add(deleted: 1)
                progress.fileDone(skippedBytes: size)
                if verbose { output.line("\(item.label): identical, skipped") }
                return
            }
            var options = DownloadOptions()
            options.parallelSegments = flags.parallelSegments
            options.verifyChecksums = !flags.ignoreChecksum
            options.progress = progress.reporter()
            options.temporaryFilePrefix = "cfsh"
            try await client.downloadObject(item.name, in: item.container, toFile: item.local, options: options)
            progress.fileDone()
            if verbose { output.line(output.shown("\(item.label) -> \(item.local)")) }
        }
        if flags.skipIdentical && (verbose || flags.showsProgress) {
            let count = skipped.value.deleted
            stdout.flush()
            stderr.line("get: \(plan.count - count) received, \(count) identical skipped")
            stderr.flush()
        }
        if !refused.isEmpty {
            throw ShellError.failure(
                "refused \(refused.count) object\(refused.count == 1 ? "" : "s") whose name\(refused.count == 1 ? "" : "s") cannot be written safely below the target folder")
        }
    }

    /// The size of a regular file at `path`, or `nil` when there is none.
    nonisolated func regularFileSize(_ path: String) -> Int64? {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
              attributes[.type] as? FileAttributeType == .typeRegular
        else { return nil }
        return fileSize(attributes)
    }

    /// Whether the object of `item` holds exactly the bytes of the local file.
    private nonisolated func remoteMatchesLocal(_ item: TransferItem, size: Int64, client: CloudFilesClient) async throws -> Bool {
        var record = item.record
        if record == nil { record = try await comparableRecord(item.name, in: item.container, client: client) }
        guard let record else { return false }
        return try await isIdentical(
            local: item.local, size: size, remoteBytes: record.bytes, remoteHash: record.hash,
            isStaticLargeObject: record.isStaticLargeObject, container: item.container, name: item.name, client: client)
    }
}
