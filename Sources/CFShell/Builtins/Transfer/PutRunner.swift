import CloudFiles
import Foundation

/// put and get.
extension Shell {
    func put(_ parsed: ParsedArguments) async throws {
        let client = try await connectedClient()
        let recursive = parsed.has("-r")
        let verbose = parsed.has("-v") || settings.verbose
        let flags = try TransferFlags.read(parsed, settings: settings, tty: tty)
        var sources = parsed.operands
        var destination = remoteDirectory
        var destinationText = ""
        var destinationIsObject = false
        if sources.count >= 2 {
            let last = sources.removeLast()
            if last.pattern != nil { throw ShellError.usage("the destination '\(last.text)' cannot be a pattern") }
            destinationText = last.text
            destination = try last.remotePath(from: remoteDirectory)
            if last.exact?.isObject == true { destinationIsObject = true }
        }
        guard let container = destination.container else {
            throw ShellError.usage(
                "put needs a container: give a REMOTE such as 'backups/' as the last operand, or 'cd' into one")
        }
        let intoFolder = destination.isFolder && !destinationIsObject
        var plan: [TransferItem] = []
        for (shown, absolute) in try localSources(sources) {
            let base = URL(fileURLWithPath: absolute).lastPathComponent
            if isDirectory(absolute) {
                guard recursive else { throw ShellError.failure("'\(shown)' is a folder; 'put -r' uploads folders") }
                guard intoFolder else {
                    throw ShellError.usage(
                        "a folder goes into a pseudo-folder or a container: end '\(destinationText)' with '/'")
                }
                for relative in regularFiles(under: absolute) {
                    let name = destination.name + base + "/" + relative
                    let label = shownJoin(shown, relative)
                    plan.append(TransferItem(local: absolute + "/" + relative, container: container, name: name, label: label))
                }
            } else {
                let name = intoFolder ? destination.name + base : destination.name
                plan.append(TransferItem(local: absolute, container: container, name: name, label: shown))
            }
        }
        if !intoFolder && plan.count > 1 {
            throw ShellError.usage("\(plan.count) files need a destination folder: end '\(destinationText)' with '/'")
        }
        let objectsThere = try await ensureContainer(container, client: client)
        let output = stdout
        let errors = stderr
        let base = remoteDirectory
        let limits = try await uploadLimits(client)
        let sizes = plan.map { fileSize(try? FileManager.default.attributesOfItem(atPath: $0.local)) }
        // One listing of what is there (a HEAD for one file), for --skip-identical and to find
        // the static large objects that plain files replace, whose segments then go too.
        var existing: [String: ObjectRecord] = [:]
        if flags.skipIdentical || (!flags.leaveSegments && objectsThere > 0) {
            existing = try await existingObjects(container: container, names: plan.map(\.name), client: client)
        }
        let remote = existing
        let progress = CommandProgress(
            verb: "put", files: plan.count, totalBytes: sizes.reduce(0, +), enabled: flags.showsProgress,
            inPlace: tty.showsProgress)
        defer { progress.finish() }
        let skipped = TallyCounter()
        try await forEachConcurrently(Array(zip(plan, sizes)), limit: flags.parallel, describe: { $0.0.label }) { item, size in
            // `remote` is also filled to find replaced large objects: only --skip-identical skips.
            if flags.skipIdentical, let record = remote[item.name],
               try await self.isIdentical(
                   local: item.local, size: size, remoteBytes: record.bytes, remoteHash: record.hash,
                   isStaticLargeObject: record.isStaticLargeObject, container: item.container, name: item.name,
                   client: client)
            {
                skipped.add(deleted: 1)
                progress.fileDone(skippedBytes: size)
                if verbose { output.line("\(item.label): identical, skipped") }
                return
            }
            var upload = UploadOptions()
            upload.progress = progress.reporter()
            var kept: [KeptSegments] = []
            if let segmentSize = limits.segmentSize(for: size, asked: flags.segmentSize) {
                // Big files go as large objects: segments in parallel, resumable.
                var options = LargeObjectOptions(
                    segmentSize: segmentSize, parallelism: flags.parallel, leaveOldSegments: flags.leaveSegments,
                    upload: upload, maxSegments: limits.maxSegments)
                options.manifest = limits.hasStaticLargeObjects ? .static : .dynamic
                let result = try await client.uploadLargeObject(item.name, in: item.container, fromFile: item.local, options: options)
                kept = result.oldSegmentsKept
            } else {
                // A plain file over a large object: the segments it owns go once the file is up.
                let replaced = !flags.leaveSegments && remote[item.name].map(\.mayBeLargeObject) == true
                var oldSegments = LargeObjectSegments()
                if replaced {
                    do {
                        oldSegments = try await client.segmentsToDelete(item.name, in: item.container)
                    } catch let error as CloudFilesError where error == .notFound {}
                }
                try await client.uploadObject(item.name, in: item.container, fromFile: item.local, options: upload)
                kept = try await client.deleteSegments(oldSegments).kept
            }
            progress.fileDone()
            if verbose {
                output.line(output.shown("\(item.label) -> \(RemotePath(container: item.container, name: item.name).display(relativeTo: base))"))
            }
            Self.reportKept(kept, verbose: verbose, output: output, errors: errors)
        }
        if flags.skipIdentical && (verbose || flags.showsProgress) {
            let count = skipped.value.deleted
            stdout.flush()
            stderr.line("put: \(plan.count - count) sent, \(count) identical skipped")
            stderr.flush()
        }
    }

    /// The records of the objects named `names` in `container`: a HEAD for one,
    /// else one listing from their longest common prefix.
    private func existingObjects(container: String, names: [String], client: CloudFilesClient) async throws -> [String: ObjectRecord] {
        guard let first = names.first else { return [:] }
        let wanted = Set(names)
        if names.count == 1 {
            do {
                let info = try await client.objectInfo(first, in: container)
                if info.dynamicManifest != nil {
                    // As a listing shows a dynamic manifest: its own empty body.
                    return [first: ObjectRecord(name: first, bytes: 0, hash: emptyMD5, contentType: info.contentType ?? "")]
                }
                return Self.comparableRecord(first, info).map { [first: $0] } ?? [:]
            } catch let error as CloudFilesError where error == .notFound {
                return [:]
            }
        }
        var prefix = Substring(first)
        for name in names.dropFirst() {
            prefix = prefix.commonPrefix(with: name)[...]
            if prefix.isEmpty { break }
        }
        var found: [String: ObjectRecord] = [:]
        for try await entry in client.listObjects(in: container, ObjectListingOptions(prefix: prefix.isEmpty ? nil : String(prefix))) {
            if case .object(let record) = entry, wanted.contains(record.name) { found[record.name] = record }
        }
        return found
    }

    /// What the cluster allows: max_file_size, SLO or not, and segments per manifest.
    private func uploadLimits(_ client: CloudFilesClient) async throws -> UploadLimits {
        let capabilities = try? await client.capabilities()
        return UploadLimits(
            maxFileSize: capabilities?.maxFileSize ?? 5 << 30,
            hasStaticLargeObjects: capabilities == nil || capabilities?.slo != nil,
            maxSegments: capabilities?.slo?.maxManifestSegments ?? 1000)
    }

    /// The local operands as (as written, absolute) pairs, globs expanded.
    private func localSources(_ operands: [Argument]) throws(ShellError) -> [(String, String)] {
        var sources: [(String, String)] = []
        for operand in operands {
            if let pattern = operand.pattern {
                let matches = expandLocalGlob(pattern)
                if matches.isEmpty { throw ShellError.failure("nothing matches '\(operand.text)'") }
                sources += matches.map { ($0, localPath($0)) }
                continue
            }
            let absolute = localPath(operand.text)
            guard FileManager.default.fileExists(atPath: absolute) else {
                throw ShellError.failure("no such file or folder '\(operand.text)'")
            }
            sources.append((operand.text, absolute.hasSuffix("/") && absolute.count > 1 ? String(absolute.dropLast()) : absolute))
        }
        return sources
    }

    private func shownJoin(_ folder: String, _ relative: String) -> String {
        folder.hasSuffix("/") ? folder + relative : folder + "/" + relative
    }

    /// Files below `folder` (following links to files, not to folders), as sorted relative paths.
    private func regularFiles(under folder: String) -> [String] {
        guard let enumerator = FileManager.default.enumerator(atPath: folder) else { return [] }
        var files: [String] = []
        while let relative = enumerator.nextObject() as? String {
            if !isDirectory(folder + "/" + relative) { files.append(relative) }
        }
        return files.sorted()
    }

    /// Creates the container when it is missing.
    /// - Returns: how many objects it holds (0 when it was just created).
    private func ensureContainer(_ container: String, client: CloudFilesClient) async throws -> Int64 {
        do {
            return try await client.containerInfo(container).objectCount
        } catch let error as CloudFilesError where error == .notFound {
            try await client.createContainer(container)
            return 0
        }
    }
}

/// What the cluster allows for uploads, from `/info`.
struct UploadLimits: Sendable {
    var maxFileSize: Int64
    var hasStaticLargeObjects: Bool
    var maxSegments: Int

    /// The segment size for a file of `size` bytes, or `nil` to send it whole: the size
    /// asked for when the file is larger, and always segments past `max_file_size`.
    func segmentSize(for size: Int64, asked: Int64?) -> Int64? {
        if let asked, size > asked { return asked }
        if size > maxFileSize { return min(maxFileSize, 1 << 30) }
        return nil
    }
}
