import CFShellLanguage
import CloudFiles
import Foundation

/// get: resolves the operands on the cluster into a `GetPlan`, then downloads what it says.
extension Get {
    static func download(_ parsed: ParsedArguments<Argument>, in shell: isolated Shell) async throws {
        let (client, verbose, flags) = try await shell.transferSetup(parsed)
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
        let progress = CommandProgress(
            verb: "get", files: items.count, totalBytes: plan.totalBytes, enabled: flags.showsProgress,
            inPlace: shell.tty.showsProgress)
        defer { progress.finish() }
        let skipped = SharedCounter()
        try await shell.forEachConcurrently(items, limit: flags.parallel, describe: { $0.label }) { item in
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
                skipped.increment()
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
            let count = skipped.value
            shell.stdout.flush()
            shell.stderr.line("get: \(items.count - count) received, \(count) identical skipped")
            shell.stderr.flush()
        }
        if let refusal = plan.refusalError { throw refusal }
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
