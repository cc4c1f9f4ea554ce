import CFShellLanguage
import CloudFiles
import Foundation

/// One side of a sync: a local folder or a remote container or pseudo-folder.
enum SyncEndpoint: Sendable, Equatable {
    /// An absolute folder path, without a trailing `/` (except `/`).
    case local(folder: String, shown: String)
    /// `prefix` is empty (the container) or ends in `/`.
    case remote(container: String, prefix: String, shown: String)

    var shown: String {
        switch self {
        case .local(_, let shown), .remote(_, _, let shown): shown
        }
    }

    var isLocal: Bool { if case .local = self { true } else { false } }
}

/// One name of either side, as the merge sees it: a local file (or link) or a remote object.
struct SyncItem: SyncNamed {
    var relativeName: String
    var local: LocalTreeEntry?
    var remote: ObjectRecord?
}

/// Either side's entries as ``SyncItem``s, whichever kind of folder it is.
struct SyncSide: AsyncSequence, Sendable {
    typealias Element = SyncItem
    let make: @Sendable () -> AsyncIterator

    init(local tree: LocalTree) {
        make = {
            var iterator = tree.makeAsyncIterator()
            return AsyncIterator {
                try await iterator.next().map { SyncItem(relativeName: $0.relativeName, local: $0) }
            }
        }
    }

    init(remote tree: RemoteTree) {
        make = {
            var iterator = tree.makeAsyncIterator()
            return AsyncIterator {
                try await iterator.next().map { SyncItem(relativeName: $0.relativeName, remote: $0.record) }
            }
        }
    }

    /// Nothing: a destination container that does not exist yet.
    static let empty = SyncSide(make: { AsyncIterator { nil } })

    private init(make: @escaping @Sendable () -> AsyncIterator) { self.make = make }

    func makeAsyncIterator() -> AsyncIterator { make() }

    struct AsyncIterator: AsyncIteratorProtocol {
        let step: () async throws -> SyncItem?
        mutating func next() async throws -> SyncItem? { try await step() }
    }
}

/// What sync does with one name.
enum SyncAction: String, Sendable {
    case copy, update, delete
}

/// The options of one sync, read and checked.
struct SyncOptions: Sendable {
    enum Comparison: Sendable { case sizeAndTime, sizeOnly, checksum }
    enum DeleteLimit: Sendable, Equatable {
        case count(Int)
        case percent(Double)
    }

    var delete = false
    var maxDelete: DeleteLimit?
    var allowEmptySource = false
    var dryRun = false
    var json = false
    var comparison = Comparison.sizeAndTime
    var excludes: [GlobPattern] = []
    var includes: [GlobPattern] = []
    var shard: SyncShard?

    /// The modification times of two copies are the same within this many seconds: cfsh
    /// writes microseconds, rclone nanoseconds (as a float), python-swiftclient a float,
    /// file systems nanoseconds; a change made in the same second is still seen.
    static let timeTolerance = 0.001

    /// Files up to this size are compared with a plain object by their MD5 (in the listing)
    /// rather than by the time a HEAD would read: 1 MiB reads in about the time of one
    /// round trip to a nearby cluster.
    static let compareBytesUpTo: Int64 = 1 << 20

    /// Without --max-delete: this many, or up to half of DST's entries, whichever is more.
    static let defaultMaxDeleteCount = 10
    static let defaultMaxDeletePercent = 50.0

    static func read(_ parsed: ParsedArguments<Argument>) throws(ShellError) -> SyncOptions {
        var options = SyncOptions()
        options.delete = parsed.has("--delete")
        options.allowEmptySource = parsed.has("--allow-empty-source")
        options.dryRun = parsed.has("--dry-run")
        options.json = parsed.has("--json")
        if parsed.has("--checksum") && parsed.has("--size-only") {
            throw ShellError.usage("--checksum and --size-only contradict each other")
        }
        if parsed.has("--checksum") { options.comparison = .checksum }
        if parsed.has("--size-only") { options.comparison = .sizeOnly }
        if let text = parsed.value("--max-delete") {
            if text.hasSuffix("%"), let percent = Double(text.dropLast()), percent.isFinite, (0...100).contains(percent)
            {
                options.maxDelete = .percent(percent)
            } else if let count = Int(text), count >= 0 {
                options.maxDelete = .count(count)
            } else {
                throw ShellError.usage(
                    "--max-delete takes a count (such as 100) or a percentage (such as 10%), not '\(text)'")
            }
        }
        if let text = parsed.value("--shard") {
            guard let shard = SyncShard(text) else {
                throw ShellError.usage("--shard takes I/N with 0 ≤ I < N (such as 0/4), not '\(text)'")
            }
            options.shard = shard
        }
        options.excludes = parsed.values("--exclude").map(GlobPattern.init)
        options.includes = parsed.values("--include").map(GlobPattern.init)
        return options
    }

    /// Whether the filters let `name` in: a pattern without `/` matches the base name, one
    /// with `/` the whole relative name.
    func admits(_ name: String) -> Bool {
        func matches(_ pattern: GlobPattern) -> Bool {
            if pattern.description.contains("/") { return pattern.matches(name) }
            let base = name.split(separator: "/", omittingEmptySubsequences: false).last.map(String.init) ?? name
            return pattern.matches(base)
        }
        if !includes.isEmpty && !includes.contains(where: matches) { return false }
        return !excludes.contains(where: matches)
    }

    /// Whether `name` is this run's: in the filters and in the shard.
    func owns(_ name: String) -> Bool {
        admits(name) && (shard?.contains(name) ?? true)
    }

    /// The most deletions allowed among `destinationCount` entries of DST.
    func deleteLimit(destinationCount: Int) -> Int {
        switch maxDelete {
        case .count(let count): return count
        case .percent(let percent): return Int((Double(destinationCount) * percent / 100).rounded(.down))
        case nil:
            return max(
                Self.defaultMaxDeleteCount,
                Int((Double(destinationCount) * Self.defaultMaxDeletePercent / 100).rounded(.down)))
        }
    }

    var limitText: String {
        switch maxDelete {
        case .count(let count): "--max-delete \(count)"
        case .percent(let percent): "--max-delete \(Self.number(percent))%"
        case nil:
            "the default limit (\(Self.defaultMaxDeleteCount), or \(Self.number(Self.defaultMaxDeletePercent))% of DST)"
        }
    }

    private static func number(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }
}

/// What one sync did, counted by its concurrent transfers: the summary line and `--json`.
struct SyncSummary: Sendable {
    var copied = 0
    var updated = 0
    var deleted = 0
    var skipped = 0
    var failed = 0
    var bytes: Int64 = 0
    var seconds: Double = 0
    var dryRun = false
    /// Why deletions that were due did not happen.
    var deletionsRefused: String?
    /// Names that would be deleted (a dry run) or were (counted in `deleted`).
    var wouldDelete = 0
    var failures: [CommandFailure] = []
    /// Only with --json: one entry per copy, update and delete.
    var plan: [(action: SyncAction, name: String, bytes: Int64?)] = []

    var line: String {
        let verb = dryRun ? "sync (dry run): would copy" : "sync: copied"
        var text =
            "\(verb) \(copied), \(dryRun ? "update" : "updated") \(updated), \(dryRun ? "delete" : "deleted") \(dryRun ? wouldDelete : deleted), skipped \(skipped)"
        if failed > 0 { text += ", \(failed) failed" }
        text += ", " + ProgressLine.bytes(bytes) + " in " + TransferSummary.duration(seconds)
        if let deletionsRefused { text += " (nothing deleted: \(deletionsRefused))" }
        return text
    }

    var json: JSONValue {
        .object([
            ("command", .string("sync")),
            ("dry_run", .bool(dryRun)),
            ("copied", .int(Int64(copied))),
            ("updated", .int(Int64(updated))),
            ("deleted", .int(Int64(deleted))),
            ("skipped", .int(Int64(skipped))),
            ("failed", .int(Int64(failed))),
            ("bytes", .int(bytes)),
            ("seconds", .number(seconds)),
            ("deletions_refused", deletionsRefused.map { .string($0) } ?? .null),
            (
                "plan",
                .array(
                    plan.map { step in
                        .object([
                            ("action", .string(step.action.rawValue)), ("name", .string(step.name)),
                            ("bytes", step.bytes.map { .int($0) } ?? .null),
                        ])
                    })
            ),
            ("failures", .array(failures.map(\.json))),
        ])
    }
}

/// The sync verb: reads both sides as sorted streams, merges them, transfers as it goes
/// (`parallel` at a time), then deletes, if asked and safe.
enum SyncRun {
    static func run(_ parsed: ParsedArguments<Argument>, in shell: isolated Shell) async throws {
        let options = try SyncOptions.read(parsed)
        let verbose = try shell.verbosity(parsed)
        let flags = try TransferFlags.read(parsed, settings: shell.settings, tty: shell.tty)
        let source = try endpoint(parsed.operands[0], in: shell)
        let destination = try endpoint(parsed.operands[1], in: shell)
        if source.isLocal && destination.isLocal {
            throw ShellError.usage(
                "sync copies between a local folder and the server, or on the server: not file: to file:")
        }
        if case .remote(let c1, let p1, _) = source, case .remote(let c2, let p2, _) = destination, c1 == c2,
            p1.utf8.starts(with: p2.utf8) || p2.utf8.starts(with: p1.utf8)
        {
            throw ShellError.usage(
                "SRC and DST overlap ('\(source.shown)' and '\(destination.shown)'): sync needs two separate folders")
        }
        let client = try await shell.connectedClient()
        let report = SummaryReport(json: options.json, verbose: verbose, showsProgress: flags.showsProgress)
        let output = shell.stdout
        let errors = shell.stderr
        let counter = SummaryCounter(SyncSummary())
        counter.update { $0.dryRun = options.dryRun }
        let fail: @Sendable (String, String) -> Void = { path, message in
            counter.update {
                $0.failed += 1
                $0.failures.append(CommandFailure(path: path, error: message))
            }
            output.flush()
            errors.line("sync: \(path): \(message)")
            errors.flush()
        }

        // The sides.
        let sourceSide: SyncSide
        switch source {
        case .local(let folder, let shown):
            guard shell.isDirectory(folder) else { throw ShellError.failure("no such local folder '\(shown)'") }
            sourceSide = SyncSide(
                local: LocalTree(root: folder) { issue in fail(issue.path, issue.reason) })
        case .remote(let container, let prefix, _):
            do {
                _ = try await client.containerInfo(container)
            } catch let error as CloudFilesError where error == .notFound {
                throw ShellError.failure("no such container '\(container)'")
            }
            sourceSide = SyncSide(remote: RemoteTree(client: client, container: container, prefix: prefix))
        }
        var destinationSide: SyncSide
        var limits = UploadLimits(maxFileSize: 5 << 30, hasStaticLargeObjects: true, maxSegments: 1000)
        switch destination {
        case .local(let folder, let shown):
            if !shell.isDirectory(folder) {
                if FileManager.default.fileExists(atPath: folder) {
                    throw ShellError.failure("'\(shown)' is a file, not a folder")
                }
                if !options.dryRun {
                    do {
                        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
                    } catch {
                        throw ShellError.failure("cannot create the folder '\(shown)'")
                    }
                }
            }
            destinationSide =
                shell.isDirectory(folder)
                ? SyncSide(local: LocalTree(root: folder) { issue in fail(issue.path, issue.reason) }) : .empty
        case .remote(let container, let prefix, _):
            destinationSide = SyncSide(remote: RemoteTree(client: client, container: container, prefix: prefix))
            do {
                _ = try await client.containerInfo(container)
            } catch let error as CloudFilesError where error == .notFound {
                destinationSide = .empty
                if !options.dryRun { try await client.createContainer(container) }
            }
            if source.isLocal {
                let capabilities = try? await client.capabilities()
                limits = UploadLimits(
                    maxFileSize: capabilities?.maxFileSize ?? 5 << 30,
                    hasStaticLargeObjects: capabilities == nil || capabilities?.slo != nil,
                    maxSegments: capabilities?.slo?.maxManifestSegments ?? 1000)
            }
        }

        let progress = CommandProgress(
            verb: "sync", files: 0, totalBytes: nil, enabled: flags.showsProgress && !options.dryRun,
            inPlace: shell.tty.showsProgress)
        let context = SyncContext(
            client: client, source: source, destination: destination, options: options, flags: flags,
            limits: limits, verbose: verbose, output: output, errors: errors, progress: progress,
            counter: counter, base: shell.remoteDirectory)

        // Merge and transfer, `parallel` at a time; the extras wait for the end.
        var extras: [SyncItem] = []
        var sourceCount = 0
        var destinationCount = 0
        do {
            try await withThrowingTaskGroup(of: Void.self) { group in
                var running = 0
                for try await entry in SortedMerge(source: sourceSide, destination: destinationSide) {
                    switch entry {
                    case .onlySource, .both: sourceCount += 1
                    case .onlyDestination: break
                    }
                    let name = entry.relativeName
                    guard options.owns(name) else { continue }
                    switch entry {
                    case .onlyDestination(let item):
                        destinationCount += 1
                        if options.delete && item.local?.kind != .symbolicLink && item.local?.kind != .special {
                            extras.append(item)
                        }
                        continue
                    case .both: destinationCount += 1
                    case .onlySource: break
                    }
                    if running >= flags.parallel {
                        _ = try await group.next()
                        running -= 1
                    }
                    group.addTask { await context.handle(entry) }
                    running += 1
                }
                try await group.waitForAll()
            }
        } catch let error where !error.isCancellation {
            progress.finish()
            // A listing failed (or was out of order): nothing is deleted.
            let message = error.userMessage
            counter.update {
                $0.failed += 1
                $0.failures.append(CommandFailure(path: source.shown, error: message))
                if options.delete { $0.deletionsRefused = "a listing failed" }
                $0.seconds = report.elapsed
            }
            let value = counter.value
            report.print(line: value.line, json: value.json, worthALine: true, in: shell)
            throw ShellError.failure("sync stopped: \(message); nothing was deleted")
        } catch {
            progress.finish()
            throw error
        }
        progress.finish()

        // Deletions: only when nothing failed, the source had something, and under the limit.
        var refusal: String?
        if options.delete && !extras.isEmpty {
            let failed = counter.value.failed
            let limit = options.deleteLimit(destinationCount: destinationCount)
            let count = extras.count
            let plural = count == 1 ? "" : "s"
            if failed > 0 {
                refusal = "\(failed) failed in this run, so the \(count) extra\(plural) in DST were kept"
            } else if sourceCount == 0 && !options.allowEmptySource {
                refusal =
                    "the source '\(source.shown)' is empty; it would have deleted \(count) file\(plural) (give --allow-empty-source to allow it)"
            } else if count > limit {
                refusal =
                    "it would have deleted \(count) of \(destinationCount) file\(plural) in DST, over \(options.limitText) (give --max-delete \(count) to allow it)"
            }
        }
        if let refusal {
            counter.update { $0.deletionsRefused = refusal }
        } else if options.delete && !extras.isEmpty {
            counter.update { $0.wouldDelete = extras.count }
            if options.dryRun || options.json {
                counter.update { summary in
                    for item in extras {
                        if options.json {
                            summary.plan.append((.delete, item.relativeName, item.local?.size ?? item.remote?.bytes))
                        }
                    }
                }
            }
            if options.dryRun {
                for item in extras where !options.json { output.line(output.shown("delete \(item.relativeName)")) }
            } else {
                try await deleteExtras(extras, context: context, in: shell)
            }
        }
        counter.update { $0.seconds = report.elapsed }
        let value = counter.value
        report.print(
            line: value.line, json: value.json,
            worthALine: true, in: shell)
        if let refusal { throw ShellError.failure("sync: nothing deleted: \(refusal)") }
        if value.failed > 0 {
            throw ShellError.failure("sync: \(value.failed) failed")
        }
    }

    /// Deletes the extras of DST, once every transfer succeeded.
    private static func deleteExtras(_ extras: [SyncItem], context: SyncContext, in shell: isolated Shell) async throws
    {
        switch context.destination {
        case .local(let folder, _):
            for item in extras {
                guard let entry = item.local, entry.kind == .file else { continue }
                if unlink(entry.path) == 0 || errno == ENOENT {
                    context.counter.update { $0.deleted += 1 }
                    if context.verbose { context.output.line(context.output.shown("deleted \(item.relativeName)")) }
                } else {
                    let reason = String(cString: strerror(errno))
                    context.counter.update {
                        $0.failed += 1
                        $0.failures.append(CommandFailure(path: folder + "/" + item.relativeName, error: reason))
                    }
                    shell.stderr.line("sync: cannot delete '\(entry.path)': \(reason)")
                }
            }
        case .remote(let container, let prefix, _):
            let targets = extras.compactMap { item in item.remote.map(DeleteTarget.init) }
            var flags = context.flags
            flags.showsProgress = false
            do {
                let tally = try await shell.deleteObjects(
                    targets, in: container, client: context.client, verbose: context.verbose, flags: flags)
                context.counter.update { $0.deleted += tally.deleted + tally.notFound }
            } catch let error where !error.isCancellation {
                context.counter.update {
                    $0.failed += 1
                    $0.failures.append(CommandFailure(path: "/" + container + "/" + prefix, error: error.userMessage))
                }
            }
        }
    }

    /// Reads a SRC or DST operand: `file:PATH`, or a remote path.
    private static func endpoint(_ operand: Argument, in shell: isolated Shell) throws(ShellError) -> SyncEndpoint {
        let text = operand.text
        if text.hasPrefix("file:") {
            let path = String(text.dropFirst(5))
            guard !path.isEmpty else {
                throw ShellError.usage("'file:' needs a path, such as file:. or file:~/backups")
            }
            var absolute = shell.localPath(path)
            if absolute.count > 1 && absolute.hasSuffix("/") { absolute.removeLast() }
            return .local(folder: absolute, shown: text)
        }
        if operand.pattern != nil {
            throw ShellError.usage("sync takes folders, not patterns: '\(text)' (use --include or --exclude)")
        }
        let path = try operand.remotePath(from: shell.remoteDirectory)
        guard let container = path.container else {
            throw ShellError.usage("sync needs a container or a pseudo-folder, not the account root: '\(text)'")
        }
        var prefix = path.name
        if !prefix.isEmpty && !prefix.hasSuffix("/") { prefix += "/" }
        return .remote(container: container, prefix: prefix, shown: text)
    }
}

/// What every transfer task of one sync shares.
struct SyncContext: Sendable {
    let client: CloudFilesClient
    let source: SyncEndpoint
    let destination: SyncEndpoint
    let options: SyncOptions
    let flags: TransferFlags
    let limits: UploadLimits
    let verbose: Bool
    let output: OutputChannel
    let errors: OutputChannel
    let progress: CommandProgress
    let counter: SummaryCounter<SyncSummary>
    let base: RemotePath

    /// Compares and transfers one name; records what happened, failures included.
    func handle(_ entry: MergedEntry<SyncItem, SyncItem>) async {
        let name = entry.relativeName
        do {
            let action: SyncAction
            let item: SyncItem
            switch entry {
            case .onlyDestination: return
            case .onlySource(let sourceItem):
                if let local = sourceItem.local, local.kind != .file {
                    skip(
                        name, bytes: 0,
                        reason: local.kind == .symbolicLink ? "a symbolic link, not followed" : "not a regular file")
                    return
                }
                action = .copy
                item = sourceItem
            case .both(let sourceItem, let destinationItem):
                if let local = sourceItem.local, local.kind != .file {
                    skip(
                        name, bytes: 0,
                        reason: local.kind == .symbolicLink ? "a symbolic link, not followed" : "not a regular file")
                    return
                }
                if let local = destinationItem.local, local.kind != .file {
                    skip(name, bytes: 0, reason: "DST has a symbolic link or special file there; left alone")
                    return
                }
                if try await same(sourceItem, destinationItem) {
                    let size = sourceItem.local?.size ?? sourceItem.remote?.bytes ?? 0
                    counter.update {
                        $0.skipped += 1
                        $0.bytes = WireNumber.sum([$0.bytes, size]) ?? $0.bytes
                    }
                    progress.fileDone(skippedBytes: size)
                    return
                }
                action = .update
                item = sourceItem
            }
            let size = item.local?.size ?? item.remote?.bytes ?? 0
            if options.dryRun {
                counter.update {
                    if action == .copy { $0.copied += 1 } else { $0.updated += 1 }
                    if options.json { $0.plan.append((action, name, size)) }
                }
                if !options.json { output.line(output.shown("\(action.rawValue) \(name)")) }
                return
            }
            let sent = try await transfer(item, replacing: action == .update ? entry : nil)
            progress.fileDone()
            counter.update {
                if action == .copy { $0.copied += 1 } else { $0.updated += 1 }
                $0.bytes = WireNumber.sum([$0.bytes, sent]) ?? $0.bytes
                if options.json { $0.plan.append((action, name, size)) }
            }
            if verbose { output.line(output.shown("\(action == .copy ? "copied" : "updated") \(name)")) }
        } catch let error where !error.isCancellation {
            let message = error.userMessage
            counter.update {
                $0.failed += 1
                $0.failures.append(CommandFailure(path: name, error: message))
            }
            progress.withLineCleared {
                output.flush()
                errors.line("sync: \(Names.printable(name)): \(message)")
                errors.flush()
            }
        } catch {}
    }

    private func skip(_ name: String, bytes: Int64, reason: String) {
        counter.update { $0.skipped += 1 }
        if verbose { output.line(output.shown("skipped \(name): \(reason)")) }
    }

    // MARK: Comparing

    /// Whether DST's copy of a name already holds SRC's bytes, as the comparison mode decides.
    func same(_ sourceItem: SyncItem, _ destinationItem: SyncItem) async throws -> Bool {
        switch (sourceItem.local, destinationItem.local) {
        case (let local?, nil):
            return try await localMatchesRemote(local, destinationItem.remote!, endpoint: destination)
        case (nil, let local?):
            return try await localMatchesRemote(local, sourceItem.remote!, endpoint: source)
        default:
            return try await remotesMatch(sourceItem.remote!, destinationItem.remote!)
        }
    }

    private func localMatchesRemote(
        _ local: LocalTreeEntry, _ record: ObjectRecord, endpoint: SyncEndpoint
    ) async throws -> Bool {
        guard case .remote(let container, _, _) = endpoint else { return false }
        // A dynamic manifest is listed as its own empty body: only a HEAD tells its size.
        let listedSize = IdenticalFiles.remote(record, localSize: local.size)?.bytes
        switch options.comparison {
        case .sizeOnly:
            if let listedSize { return listedSize == local.size }
            let info = try await client.objectInfo(record.name, in: container)
            return (info.totalLength ?? info.contentLength) == local.size
        case .checksum:
            return try await checksumsMatch(local, record, container: container)
        case .sizeAndTime:
            if let listedSize, listedSize != local.size { return false }
            // A small plain object: the listing already gives its MD5, and reading the file is
            // cheaper than the HEAD that reading its time would cost (a nothing-changed sync of
            // small files then makes no request beyond the listing). The bytes decide.
            if !record.mayBeLargeObject && local.size <= SyncOptions.compareBytesUpTo {
                return try await checksumsMatch(local, record, container: container)
            }
            let info = try await client.objectInfo(record.name, in: container)
            guard (info.totalLength ?? info.contentLength) == local.size else { return false }
            guard let remoteTime = info.modificationDate else {
                // Uploaded without an mtime (curl, a web form): the bytes decide.
                return try await checksumsMatch(local, record, container: container)
            }
            return abs(remoteTime.timeIntervalSince(local.modificationDate)) <= SyncOptions.timeTolerance
        }
    }

    private func checksumsMatch(_ local: LocalTreeEntry, _ record: ObjectRecord, container: String) async throws -> Bool
    {
        var remote = IdenticalFiles.remote(record, localSize: local.size)
        if remote == nil { remote = IdenticalFiles.remote(try await client.objectInfo(record.name, in: container)) }
        guard let remote else { return false }
        return try await IdenticalFiles.isIdentical(
            local: local.path, size: local.size, remoteBytes: remote.bytes, remoteHash: remote.hash,
            isLargeObject: remote.isLargeObject, container: container, name: record.name, client: client)
    }

    private func remotesMatch(_ sourceRecord: ObjectRecord, _ destinationRecord: ObjectRecord) async throws -> Bool {
        guard case .remote(let sourceContainer, _, _) = source,
            case .remote(let destinationContainer, _, _) = destination
        else { return false }
        guard sourceRecord.bytes == destinationRecord.bytes else { return false }
        switch options.comparison {
        case .sizeOnly: return true
        case .checksum: return sourceRecord.hash == destinationRecord.hash
        case .sizeAndTime:
            async let sourceInfo = client.objectInfo(sourceRecord.name, in: sourceContainer)
            async let destinationInfo = client.objectInfo(destinationRecord.name, in: destinationContainer)
            let (a, b) = try await (sourceInfo, destinationInfo)
            guard let timeA = a.modificationDate, let timeB = b.modificationDate else {
                return sourceRecord.hash == destinationRecord.hash
            }
            return abs(timeA.timeIntervalSince(timeB)) <= SyncOptions.timeTolerance
        }
    }

    // MARK: Transferring

    /// Sends SRC's copy of `item` to DST; returns the bytes it holds.
    private func transfer(_ item: SyncItem, replacing entry: MergedEntry<SyncItem, SyncItem>?) async throws -> Int64 {
        var replaced: ObjectRecord?
        if case .both(_, let old) = entry { replaced = old.remote }
        switch (source, destination) {
        case (.local, .remote(let container, let prefix, _)):
            return try await upload(
                item.local!, as: prefix + item.relativeName, in: container,
                replacingLargeObject: replaced?.mayBeLargeObject == true)
        case (.remote(let container, _, _), .local(let folder, _)):
            let target: SafeLocalPath
            do {
                target = try SafeLocalPath(folder: folder, relative: item.relativeName)
                try target.createFolders()
            } catch {
                throw ShellError.failure("not written: \(error.reason)")
            }
            var options = DownloadOptions()
            options.progress = progress.reporter()
            options.temporaryFilePrefix = "cfsh"
            let result = try await client.downloadObject(
                item.remote!.name, in: container, toFile: target.path, options: options)
            return result.bytes
        case (.remote(let sourceContainer, _, _), .remote(let container, let prefix, _)):
            try await client.copyObject(
                item.remote!.name, in: sourceContainer, to: prefix + item.relativeName, in: container)
            return item.remote!.bytes
        default:
            throw ShellError.usage("file: to file: is not a sync")
        }
    }

    /// Uploads one file as `put` does: whole, or as a resumable static large object; a file
    /// sent whole over a large object deletes the segments that object owned.
    private func upload(
        _ local: LocalTreeEntry, as name: String, in container: String, replacingLargeObject: Bool
    ) async throws -> Int64 {
        var options = UploadOptions()
        options.progress = progress.reporter()
        switch limits.method(for: local.size, asked: flags.segmentSize) {
        case .segmented(let segmentSize, let manifest):
            var large = LargeObjectOptions(
                segmentSize: segmentSize, parallelism: flags.parallel, leaveOldSegments: false, upload: options,
                maxSegments: limits.maxSegments)
            large.manifest = manifest
            let result = try await client.uploadLargeObject(name, in: container, fromFile: local.path, options: large)
            Shell.reportKept(result.oldSegmentsKept, verbose: verbose, output: output, errors: errors)
            return local.size
        case .whole:
            var oldSegments = LargeObjectSegments()
            if replacingLargeObject {
                do {
                    oldSegments = try await client.segmentsToDelete(name, in: container)
                } catch let error as CloudFilesError where error == .notFound {}
            }
            try await client.uploadObject(name, in: container, fromFile: local.path, options: options)
            let kept = try await client.deleteSegments(oldSegments).kept
            Shell.reportKept(kept, verbose: verbose, output: output, errors: errors)
            return local.size
        }
    }
}
