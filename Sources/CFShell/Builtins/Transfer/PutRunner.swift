import CFShellLanguage
import CloudFiles
import Foundation

/// put: reads the local files and the cluster, and sends what `PutPlan` decides.
extension Put {
    static func upload(_ parsed: ParsedArguments<Argument>, in shell: isolated Shell) async throws {
        let extra = try MetadataWords.uploadOptions(parsed)
        let (client, verbose, flags) = try await shell.transferSetup(parsed)
        try await MetadataWords.checkLimits(extra, client)
        let report = SummaryReport(json: parsed.has("--json"), verbose: verbose, showsProgress: flags.showsProgress)
        let recursive = parsed.has("-r")
        let (operands, target) = try PutPlan.Target.split(parsed.operands, from: shell.remoteDirectory)
        var sources: [PutPlan.LocalSource] = []
        for (shown, absolute, contentsOnly) in try localSources(operands, in: shell) {
            guard shell.isDirectory(absolute) else {
                sources.append(PutPlan.LocalSource(shown: shown, absolute: absolute))
                continue
            }
            // Asked before the walk, so that a folder that cannot go up is never read.
            try target.admitFolder(shown, recursive: recursive)
            sources.append(
                PutPlan.LocalSource(
                    shown: shown, absolute: absolute, files: regularFiles(under: absolute, in: shell),
                    contentsOnly: contentsOnly))
        }
        let plan = try PutPlan(target: target, sources: sources, recursive: recursive)
        let container = target.container
        let objectsThere = try await ensureContainer(container, client: client)
        let output = shell.stdout
        let errors = shell.stderr
        let base = shell.remoteDirectory
        let limits = try await uploadLimits(client)
        let sizes = plan.items.map { fileSize(try? FileManager.default.attributesOfItem(atPath: $0.local)) }
        let uploads = plan.uploads(sizes: sizes, limits: limits, segmentSize: flags.segmentSize)
        // One listing of what is there (a HEAD for one file), for --skip-identical and to find
        // the static large objects that plain files replace, whose segments then go too.
        var existing: [ExactName: ObjectRecord] = [:]
        if PutPlan.readsExisting(flags, objectsThere: objectsThere) {
            existing = try await existingObjects(container: container, names: plan.items.map(\.name), client: client)
        }
        let remote = existing
        let progress = CommandProgress(
            verb: "put", files: uploads.count, totalBytes: sizes.reduce(0, +), enabled: flags.showsProgress,
            inPlace: shell.tty.showsProgress)
        let summary = SummaryCounter(TransferSummary(.put))
        let several = uploads.count > 1
        try await report.run(
            summary, progress: progress, items: uploads, limit: flags.parallel, describe: { $0.item.label }, in: shell
        ) { upload in
            let (item, size) = (upload.item, upload.size)
            // `remote` is also filled to find replaced large objects: only --skip-identical skips.
            if flags.skipIdentical, let record = remote[ExactName(item.name)],
                try await remoteMatchesLocal(item, size: size, record: record, container: container, client: client)
            {
                summary.update { $0.skipped(bytes: size) }
                progress.fileDone(skippedBytes: size)
                if verbose { output.line("\(item.label): identical, skipped") }
                return
            }
            var options = extra
            options.progress = progress.reporter()
            var kept: [KeptSegments] = []
            var sent = size
            switch upload.method {
            case .segmented(let segmentSize, let manifest):
                // Big files go as large objects: segments in parallel, resumable.
                var large = LargeObjectOptions(
                    segmentSize: segmentSize, parallelism: flags.parallel, leaveOldSegments: flags.leaveSegments,
                    upload: options, maxSegments: limits.maxSegments)
                large.manifest = manifest
                large.resuming = { resumed in
                    progress.alreadyStored(resumed.storedBytes)
                    report.note(
                        "resuming: \(resumed.stored) of \(resumed.segments) segments already stored"
                            + (several ? " for \(Names.quoted(item.label))" : ""),
                        output: output, errors: errors, progress: progress)
                }
                let result = try await client.uploadLargeObject(
                    item.name, in: container, fromFile: item.local, options: large)
                kept = result.oldSegmentsKept
                sent = result.bytesSent
                let reused = result.segments.count - result.segmentsSent
                if reused > 0 {
                    summary.update {
                        $0.segmentsReused += reused
                        $0.segmentsInResumed += result.segments.count
                    }
                }
            case .whole:
                // A plain file over a large object: the segments it owns go once the file is up.
                var oldSegments = LargeObjectSegments()
                if PutPlan.replacesLargeObject(remote[ExactName(item.name)], leaveSegments: flags.leaveSegments) {
                    do {
                        oldSegments = try await client.segmentsToDelete(item.name, in: container)
                    } catch let error as CloudFilesError where error == .notFound {}
                }
                try await client.uploadObject(item.name, in: container, fromFile: item.local, options: options)
                kept = try await client.deleteSegments(oldSegments).kept
            }
            progress.fileDone()
            summary.update { $0.transferred(bytes: size, sent: sent) }
            if verbose {
                output.line(
                    output.shown(
                        "\(item.label) -> \(RemotePath(container: container, name: item.name).display(relativeTo: base))"
                    ))
            }
            Shell.reportKept(kept, verbose: verbose, output: output, errors: errors)
        }
    }

    /// Whether the object `record` describes holds exactly the bytes of the local file: from
    /// the record, or a HEAD when it cannot tell (a dynamic large object is listed as its
    /// manifest's own empty body). An object gone since is not identical.
    private static func remoteMatchesLocal(
        _ item: PutPlan.Item, size: Int64, record: ObjectRecord, container: String, client: CloudFilesClient
    ) async throws -> Bool {
        var remote = IdenticalFiles.remote(record, localSize: size)
        if remote == nil {
            do {
                remote = IdenticalFiles.remote(try await client.objectInfo(item.name, in: container))
            } catch let error as CloudFilesError where error == .notFound {}
        }
        guard let remote else { return false }
        return try await IdenticalFiles.isIdentical(
            local: item.local, size: size, remoteBytes: remote.bytes, remoteHash: remote.hash,
            isLargeObject: remote.isLargeObject, container: container, name: item.name, client: client)
    }

    /// The records of the objects named `names` in `container`: a HEAD for one,
    /// else one listing from their longest common prefix. Keyed by the names' bytes: two
    /// names that differ only in Unicode normalisation are two objects.
    private static func existingObjects(
        container: String, names: [String], client: CloudFilesClient
    ) async throws -> [ExactName: ObjectRecord] {
        guard let first = names.first else { return [:] }
        let wanted = Set(names.map(ExactName.init))
        if names.count == 1 {
            do {
                let info = try await client.objectInfo(first, in: container)
                if info.dynamicManifest != nil {
                    // As a listing shows a dynamic manifest: its own empty body.
                    return [
                        ExactName(first): ObjectRecord(
                            name: first, bytes: 0, hash: emptyMD5, contentType: info.contentType ?? "")
                    ]
                }
                return IdenticalFiles.comparableRecord(first, info).map { [ExactName(first): $0] } ?? [:]
            } catch let error as CloudFilesError where error == .notFound {
                return [:]
            }
        }
        var found: [ExactName: ObjectRecord] = [:]
        for try await entry in client.listObjects(
            in: container, ObjectListingOptions(prefix: PutPlan.listingPrefix(of: names)))
        {
            if case .object(let record) = entry, wanted.contains(ExactName(record.name)) {
                found[ExactName(record.name)] = record
            }
        }
        return found
    }

    /// What the cluster allows: max_file_size, SLO or not, and segments per manifest.
    private static func uploadLimits(_ client: CloudFilesClient) async throws -> UploadLimits {
        let capabilities = try? await client.capabilities()
        return UploadLimits(
            maxFileSize: capabilities?.maxFileSize ?? 5 << 30,
            hasStaticLargeObjects: capabilities == nil || capabilities?.slo != nil,
            maxSegments: capabilities?.slo?.maxManifestSegments ?? 1000)
    }

    /// The local operands as (as written, absolute, contents only) triples, globs expanded.
    /// An operand written with a trailing `/` names its contents (rsync's `data/`); a glob's
    /// matches never do.
    private static func localSources(
        _ operands: [Argument], in shell: isolated Shell
    ) throws(ShellError) -> [(String, String, Bool)] {
        var sources: [(String, String, Bool)] = []
        for operand in operands {
            if let pattern = operand.pattern {
                let matches = shell.expandLocalGlob(pattern)
                if matches.isEmpty { throw ShellError.failure("nothing matches '\(operand.text)'") }
                sources += matches.map {
                    let absolute = shell.localPath($0)
                    return (
                        $0, absolute.hasSuffix("/") && absolute.count > 1 ? String(absolute.dropLast()) : absolute,
                        false
                    )
                }
                continue
            }
            let absolute = shell.localPath(operand.text)
            guard FileManager.default.fileExists(atPath: absolute) else {
                throw ShellError.failure("no such file or folder '\(operand.text)'")
            }
            sources.append(
                (
                    operand.text,
                    absolute.hasSuffix("/") && absolute.count > 1 ? String(absolute.dropLast()) : absolute,
                    operand.text.hasSuffix("/")
                ))
        }
        return sources
    }

    /// Files below `folder` (following links to files, not to folders), as sorted relative paths.
    private static func regularFiles(under folder: String, in shell: isolated Shell) -> [String] {
        guard let enumerator = FileManager.default.enumerator(atPath: folder) else { return [] }
        var files: [String] = []
        while let relative = enumerator.nextObject() as? String {
            if !shell.isDirectory(folder + "/" + relative) { files.append(relative) }
        }
        return files.sorted()
    }

    /// Creates the container when it is missing.
    /// - Returns: how many objects it holds (0 when it was just created).
    private static func ensureContainer(_ container: String, client: CloudFilesClient) async throws -> Int64 {
        do {
            return try await client.containerInfo(container).objectCount
        } catch let error as CloudFilesError where error == .notFound {
            try await client.createContainer(container)
            return 0
        }
    }
}
