import CFShellLanguage
import CloudFiles
import Foundation

/// Deleting objects: what `rm`, `rmdir --force` and `mv` share.
extension Shell {
    /// Deletes objects of one container, `flags.parallel` requests at a time:
    /// plain objects with bulk delete when the cluster has it and there is more
    /// than one; static large objects (and objects whose kind is unknown) one by
    /// one with the segments they own, unless `flags.leaveSegments`. Segments
    /// elsewhere are kept and reported.
    /// - Returns: how many were deleted, already gone, or failed (each failure is
    ///   reported on stderr; the call throws when any failed).
    @discardableResult
    func deleteObjects(
        _ targets: [DeleteTarget], in container: String, client: CloudFilesClient, verbose: Bool, flags: TransferFlags
    ) async throws -> DeleteTally {
        guard !targets.isEmpty else { return DeleteTally() }
        let output = stdout
        let errors = stderr
        let base = remoteDirectory
        let label = { @Sendable (name: String) in RemotePath(container: container, name: name).display(relativeTo: base)
        }
        let leaveSegments = flags.leaveSegments
        let withSegments = { @Sendable (target: DeleteTarget) in !leaveSegments && target.isStaticLargeObject != false }
        var oneByOne = targets.filter(withSegments)
        var plain = targets.filter { !withSegments($0) }
        let tally = TallyCounter()
        // The command's report counts every call, those that throw too.
        defer { DeletionLog.current?.add(tally.value) }
        let progress = CommandProgress(
            verb: "rm", files: targets.count, totalBytes: nil, enabled: flags.showsProgress && targets.count > 1,
            inPlace: tty.showsProgress)
        defer { progress.finish() }

        if plain.count > 1, let batchSize = try await bulkDeleteBatchSize(client) {
            // Batches small enough that `parallel` of them run at once.
            let size = max(1, min(batchSize, (plain.count + flags.parallel - 1) / flags.parallel))
            let batches = stride(from: 0, to: plain.count, by: size).map {
                Array(plain[$0..<min(plain.count, $0 + size)])
            }
            try await forEachConcurrently(
                batches, limit: flags.parallel, describe: { "bulk delete of \($0.count) in '\(container)'" }
            ) { batch in
                let result = try await client.bulkDelete(
                    batch.map { StoragePath(container: container, object: $0.name) }, batchSize: size)
                let failed = Set(result.errors.map(\.path))
                if verbose {
                    for target in batch where !failed.contains("/" + container + "/" + target.name) {
                        output.line(output.shown("deleted \(label(target.name))"))
                    }
                }
                if !result.errors.isEmpty {
                    output.flush()
                    for failure in result.errors { errors.line("\(failure.path): not deleted (\(failure.message))") }
                    errors.flush()
                }
                tally.add(
                    deleted: result.deleted, notFound: result.notFound, failed: result.errors.count,
                    failures: result.errors.map { CommandFailure(path: $0.path, error: $0.message) })
                for _ in batch { progress.fileDone() }
            }
            plain = []
        }
        oneByOne += plain
        let single = oneByOne.count == 1 && targets.count == 1
        do {
            try await forEachConcurrently(oneByOne, limit: flags.parallel, describe: { label($0.name) }) { target in
                let deletion: SegmentDeletion
                do {
                    deletion = try await client.deleteObject(
                        target.name, in: container, deleteSegments: withSegments(target))
                    tally.add(deleted: 1)
                } catch let error as CloudFilesError where error == .notFound && !single {
                    // Deleted meanwhile, or still in a lagging listing: the goal is reached.
                    tally.add(notFound: 1)
                    progress.fileDone()
                    return
                } catch let error where !error.isCancellation {
                    tally.add(failed: 1, failures: [CommandFailure(path: label(target.name), error: error.userMessage)])
                    progress.fileDone()
                    throw error
                }
                progress.fileDone()
                if verbose { output.line(output.shown("deleted \(label(target.name))")) }
                Self.reportKept(deletion.kept, verbose: verbose, output: output, errors: errors)
            }
        } catch let error as ShellError where !single {
            // forEachConcurrently reported each failure; the tally below says the rest.
            _ = error
        }
        let result = tally.value
        if result.failed > 0 {
            throw ShellError.failure(
                "deleted \(result.deleted), \(result.notFound) not found, \(result.failed) failed in '\(container)'")
        }
        return result
    }

    /// Deletes `objects`, container by container in the order they first appear.
    @discardableResult
    func deleteObjects(
        _ objects: [RemoteObject], client: CloudFilesClient, verbose: Bool, flags: TransferFlags
    ) async throws -> DeleteTally {
        var byContainer: [String: [DeleteTarget]] = [:]
        var order: [String] = []
        for object in objects {
            let container = object.path.container
            if byContainer[container] == nil { order.append(container) }
            byContainer[container, default: []].append(
                object.record.map(DeleteTarget.init) ?? DeleteTarget(object.path.name))
        }
        var tally = DeleteTally()
        for container in order {
            tally =
                tally
                + (try await deleteObjects(
                    byContainer[container]!, in: container, client: client, verbose: verbose, flags: flags))
        }
        return tally
    }

    /// Deletes every object below `folder` (a container or a prefix), a listing page at a time;
    /// with `filter`, only the objects it selects (the others are counted as kept).
    @discardableResult
    func deleteEverything(
        in folder: RemotePath, client: CloudFilesClient, verbose: Bool, flags: TransferFlags,
        filter: ObjectFilter? = nil
    ) async throws -> DeleteTally {
        guard let container = folder.container else { return DeleteTally() }
        var tally = DeleteTally()
        // Page by page: memory stays flat however many objects there are, and the
        // deletions start with the first page.
        for try await page in client.listObjects(in: container, ObjectListingOptions(prefix: nonEmpty(folder.name)))
            .pages
        {
            var records = page.compactMap { entry -> ObjectRecord? in
                if case .object(let record) = entry { return record }
                return nil
            }
            if let filter {
                let selected = try await filter.select(
                    records, in: container, client: client, parallel: flags.parallel)
                let kept = DeleteTally(filtered: records.count - selected.count)
                tally = tally + kept
                DeletionLog.current?.add(kept)
                records = selected
            }
            tally =
                tally
                + (try await deleteObjects(
                    records.map(DeleteTarget.init), in: container, client: client, verbose: verbose, flags: flags))
        }
        return tally
    }

    /// Runs `body`, the work of `rm` or `rmdir`, counting every deletion in it, then reports
    /// the counts (`SummaryReport`), whether `body` succeeded or failed.
    /// - Parameter containers: the containers `body` deleted, for rmdir.
    func reportingDeletions(
        command: String, _ parsed: ParsedArguments<Argument>, verbose: Bool, flags: TransferFlags,
        _ body: (_ containers: SummaryCounter<Int>) async throws -> Void
    ) async throws {
        let report = SummaryReport(json: parsed.has("--json"), verbose: verbose, showsProgress: flags.showsProgress)
        let log = TallyCounter()
        let containers = SummaryCounter(0)
        func finish() {
            var summary = DeletionSummary(command: command)
            summary.tally = log.value
            summary.containersDeleted = containers.value
            summary.seconds = report.elapsed
            report.print(line: summary.line, json: summary.json, worthALine: !summary.isEmpty, in: self)
        }
        do {
            try await DeletionLog.$current.withValue(log) { try await body(containers) }
        } catch let error where !error.isCancellation {
            finish()
            throw error
        }
        finish()
    }

    /// Says on stderr that a destructive glob matched nothing. Not a failure:
    /// nothing to delete is the state the script wanted.
    func reportNothingMatched(_ written: String, command: String, folder: Bool = false) {
        stdout.flush()
        stderr.line("\(command): nothing \(folder ? "under" : "matches") \(Names.quoted(written)); nothing deleted")
        stderr.flush()
    }

    /// Says which segments of a deleted or replaced large object were left in place (see
    /// `SegmentOwnership`): beside the other lines with -v, else on stderr, so that they
    /// are never kept silently.
    nonisolated static func reportKept(
        _ kept: [KeptSegments], verbose: Bool, output: OutputChannel, errors: OutputChannel
    ) {
        guard !kept.isEmpty else { return }
        if verbose {
            for item in kept { output.line(output.shown(item.description)) }
            return
        }
        output.flush()
        for item in kept { errors.line(Names.printable(item.description)) }
        errors.flush()
    }

    /// The cluster's bulk-delete batch size, or `nil` without bulk delete; asked once per connection.
    private func bulkDeleteBatchSize(_ client: CloudFilesClient) async throws -> Int? {
        if let known = bulkDeleteSupport { return known }
        let capabilities = try? await client.capabilities()
        let size = capabilities?.bulkDelete.map { max(1, min($0.maxDeletesPerRequest, 10_000)) }
        bulkDeleteSupport = .some(size)
        return size
    }
}

/// An object to delete, and whether the listing said it is a static large object
/// (`nil` when not known: it is then deleted with the segments it owns, if it has any).
struct DeleteTarget: Sendable {
    var name: String
    var isStaticLargeObject: Bool?

    init(_ name: String, isStaticLargeObject: Bool? = nil) {
        self.name = name
        self.isStaticLargeObject = isStaticLargeObject
    }

    /// From a listing: an empty object other than a directory marker may be a dynamic
    /// manifest, which a listing does not mark, so its kind is unknown.
    init(_ record: ObjectRecord) {
        self.init(
            record.name, isStaticLargeObject: record.isStaticLargeObject ? true : record.mayBeLargeObject ? nil : false)
    }
}

/// What a deletion did: the counts `rm` and `rmdir` report (`DeletionSummary`).
struct DeleteTally: Sendable, Equatable {
    var deleted = 0
    var notFound = 0
    var failed = 0
    /// Objects an age filter (`rm --older-than`) kept.
    var filtered = 0
    /// What failed and why, for `--json`.
    var failures: [CommandFailure] = []

    static func + (lhs: DeleteTally, rhs: DeleteTally) -> DeleteTally {
        DeleteTally(
            deleted: lhs.deleted + rhs.deleted, notFound: lhs.notFound + rhs.notFound, failed: lhs.failed + rhs.failed,
            filtered: lhs.filtered + rhs.filtered, failures: lhs.failures + rhs.failures)
    }
}

/// Where the deletions of the running `rm` or `rmdir` are counted for its report, whichever
/// of the deletion calls below it does them.
enum DeletionLog {
    @TaskLocal static var current: TallyCounter?
}

/// A `DeleteTally` that concurrent deletions add to.
final class TallyCounter: @unchecked Sendable {
    // Only touched while holding `lock`.
    private let lock = NSLock()
    private var tally = DeleteTally()

    func add(deleted: Int = 0, notFound: Int = 0, failed: Int = 0, failures: [CommandFailure] = []) {
        add(DeleteTally(deleted: deleted, notFound: notFound, failed: failed, failures: failures))
    }

    func add(_ more: DeleteTally) {
        lock.lock()
        defer { lock.unlock() }
        tally = tally + more
    }

    var value: DeleteTally {
        lock.lock()
        defer { lock.unlock() }
        return tally
    }
}
