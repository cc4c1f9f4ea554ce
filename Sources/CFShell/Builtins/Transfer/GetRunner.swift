import CFShellLanguage
import CloudFiles
import Foundation

/// get: resolves the operands on the cluster into a `GetPlan`, then downloads what it says.
extension Get {
    static func download(_ parsed: ParsedArguments<Argument>, in shell: isolated Shell) async throws {
        let (client, verbose, flags) = try await shell.transferSetup(parsed)
        let report = SummaryReport(json: parsed.has("--json"), verbose: verbose, showsProgress: flags.showsProgress)
        let recursive = parsed.has("-r")
        let (sources, localText) = try GetPlan.Target.split(parsed.operands)
        let targetPath = localText.map(shell.localPath) ?? shell.localDirectory
        // With -r or a glob, LOCAL is a folder whatever the count of objects found.
        let isFolderByForm = recursive || sources.contains { $0.pattern != nil }
        var plan = GetPlan(
            target: GetPlan.Target(
                text: localText, path: targetPath, isExistingFolder: shell.isDirectory(targetPath),
                isFolderByForm: isFolderByForm),
            remoteDirectory: shell.remoteDirectory)
        if isFolderByForm, localText != nil, FileManager.default.fileExists(atPath: plan.target.folder),
            !shell.isDirectory(plan.target.folder)
        {
            throw ShellError.failure("'\(localText ?? "")' is a file; with -r or a glob, LOCAL is a folder")
        }
        for source in sources {
            var matches: [RemoteMatch]
            if let pattern = source.pattern {
                matches = try await shell.expandRemoteGlob(pattern, written: source.text)
                if matches.isEmpty { throw ShellError.failure("nothing matches '\(source.text)'") }
            } else {
                let path = try source.remotePath(from: shell.remoteDirectory)
                matches = [RemoteMatch(path: path, display: shell.display(path, written: source.text))]
            }
            for match in matches {
                var path = match.path
                if try GetPlan.needsObjectCheck(path, listed: match.object != nil, recursive: recursive),
                    !(try await shell.objectExists(path))
                {
                    path = path.asFolder
                }
                guard
                    let folder = try plan.add(
                        path, display: match.display, record: match.object, recursive: recursive,
                        contentsOnly: source.pattern == nil && source.text.hasSuffix("/"))
                else { continue }
                var found = false
                for try await entry in client.listObjects(
                    in: folder.container, ObjectListingOptions(prefix: nonEmpty(folder.prefix)))
                {
                    if case .object(let record) = entry {
                        plan.add(record, in: folder)
                        found = true
                    }
                }
                // A pseudo-folder with nothing in it does not exist: a typo, unless `set nomatch ok`.
                if !found, !folder.prefix.isEmpty, shell.settings.noMatchIsError {
                    throw ShellError.failure(await shell.missingMessage(path))
                }
            }
        }
        plan.refuseCollisions()
        try plan.checkTarget()
        if isFolderByForm {
            // LOCAL and each folder's own place are made even when nothing is downloaded into them.
            do {
                try FileManager.default.createDirectory(atPath: plan.target.folder, withIntermediateDirectories: true)
            } catch {
                throw ShellError.failure("cannot create the folder '\(plan.target.folder)'")
            }
            // A place that cannot be made is reported with the objects below it.
            for folder in plan.folders { try? folder.createFolders() }
        }
        for line in plan.refusalLines {
            shell.stderr.line(line)
        }
        shell.stderr.flush()
        let output = shell.stdout
        let items = plan.items
        var total: Int64?
        if flags.showsProgress { total = try await Self.totalBytes(items, client: client, parallel: flags.parallel) }
        let progress = CommandProgress(
            verb: "get", files: items.count, totalBytes: total, enabled: flags.showsProgress,
            inPlace: shell.tty.showsProgress)
        let summary = SummaryCounter(TransferSummary(.get))
        summary.update { summary in
            for refused in plan.refused {
                summary.failed(CommandFailure(path: refused.shown, error: "refused: " + refused.reason))
            }
        }
        try await report.run(
            summary, progress: progress, items: items, limit: flags.parallel, describe: { $0.label }, in: shell
        ) { item in
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
            if flags.skipIdentical, let size = Self.regularFileSize(item.local),
                try await Self.remoteMatchesLocal(item, size: size, client: client)
            {
                summary.update { $0.skipped(bytes: size) }
                progress.fileDone(skippedBytes: size)
                if verbose { output.line("\(item.label): identical, skipped") }
                return
            }
            var options = DownloadOptions()
            options.parallelSegments = flags.parallelSegments
            options.verifyChecksums = !flags.ignoreChecksum
            options.progress = progress.reporter()
            options.temporaryFilePrefix = "cfsh"
            let result = try await client.downloadObject(
                item.name, in: item.container, toFile: item.local, options: options)
            progress.fileDone()
            summary.update { $0.transferred(bytes: result.bytes, sent: result.bytes) }
            if verbose { output.line(output.shown("\(item.label) -> \(item.local)")) }
        }
        if let refusal = plan.refusalError { throw refusal }
    }

    /// The bytes the progress line counts towards: from the listings, and for objects named
    /// on their own (no listing gave their size) from a HEAD each, when there are few enough.
    /// `nil` when not known.
    private static func totalBytes(
        _ items: [GetPlan.Item], client: CloudFilesClient, parallel: Int
    ) async throws
        -> Int64?
    {
        let unknown = items.filter { $0.record == nil && !$0.isFolder }
        guard !unknown.isEmpty else { return WireNumber.sum(items.compactMap { $0.record?.bytes }) }
        guard unknown.count <= 100 else { return nil }
        let heads = await withTaskGroup(of: Int64?.self) { group -> [Int64]? in
            var next = 0
            func start() {
                let item = unknown[next]
                next += 1
                group.addTask {
                    // A missing object fails in its download, with its own message.
                    guard let info = try? await client.objectInfo(item.name, in: item.container) else { return nil }
                    return info.totalLength ?? info.contentLength
                }
            }
            while next < unknown.count && next < max(1, parallel) { start() }
            var sizes: [Int64] = []
            var complete = true
            while let size = await group.next() {
                if let size { sizes.append(size) } else { complete = false }
                if next < unknown.count { start() }
            }
            return complete ? sizes : nil
        }
        try Task.checkCancellation()
        guard let heads else { return nil }
        return WireNumber.sum(items.compactMap { $0.record?.bytes } + heads)
    }

    /// The size of a regular file at `path`, or `nil` when there is none.
    private static func regularFileSize(_ path: String) -> Int64? {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
            attributes[.type] as? FileAttributeType == .typeRegular
        else { return nil }
        return fileSize(attributes)
    }

    /// Whether the object of `item` holds exactly the bytes of the local file: from its
    /// listing record, or a HEAD when there is none or the listing cannot tell (a dynamic
    /// large object is listed as its manifest's own empty body).
    private static func remoteMatchesLocal(
        _ item: GetPlan.Item, size: Int64, client: CloudFilesClient
    ) async throws -> Bool {
        var remote = item.record.flatMap { IdenticalFiles.remote($0, localSize: size) }
        if remote == nil {
            remote = IdenticalFiles.remote(try await client.objectInfo(item.name, in: item.container))
        }
        guard let remote else { return false }
        return try await IdenticalFiles.isIdentical(
            local: item.local, size: size, remoteBytes: remote.bytes, remoteHash: remote.hash,
            isLargeObject: remote.isLargeObject, container: item.container, name: item.name, client: client)
    }
}
