import CloudFiles
import NIOCore
import Foundation

/// The shell's calls into `CloudFiles` that act on objects, in one place.
extension Shell {
    func objectInfo(_ path: RemotePath, client: CloudFilesClient) async throws -> ObjectInfo {
        try await client.objectInfo(path.name, in: path.container!)
    }

    func copyObject(from source: RemotePath, to target: RemotePath, client: CloudFilesClient) async throws {
        try await client.copyObject(source.name, in: source.container!, to: target.name, in: target.container!)
    }

    /// Streams an object's body to `output`.
    func writeObject(_ path: RemotePath, to output: OutputChannel, client: CloudFilesClient) async throws {
        let download = try await client.getObject(path.name, in: path.container!)
        for try await chunk in download.body {
            output.write(bytes: chunk.readableBytesView)
        }
        output.flush()
    }

    /// Deletes objects of one container: with bulk delete when the cluster has
    /// it and there is more than one, else `settings.parallel` at a time.
    func deleteObjects(container: String, names: [String], client: CloudFilesClient, verbose: Bool) async throws {
        guard !names.isEmpty else { return }
        let output = stdout
        let base = remoteDirectory
        let label = { @Sendable (name: String) in RemotePath(container: container, name: name).display(relativeTo: base) }
        if names.count > 1, let batchSize = try await bulkDeleteBatchSize(client) {
            let result = try await client.bulkDelete(
                names.map { StoragePath(container: container, object: $0) }, batchSize: batchSize)
            if verbose {
                let failed = Set(result.errors.map(\.path))
                for name in names where !failed.contains("/" + container + "/" + name) { output.line("deleted \(label(name))") }
            }
            guard result.errors.isEmpty else {
                output.flush()
                for failure in result.errors { stderr.line("\(failure.path): not deleted (status \(failure.status))") }
                stderr.flush()
                throw ShellError.failure("\(result.errors.count) of \(names.count) failed")
            }
            return
        }
        try await forEachConcurrently(names, limit: settings.parallel, describe: label) { name in
            do {
                // Ignored for plain objects; for a static large object, its segments go too.
                try await client.deleteObject(name, in: container, deleteSegments: true)
            } catch let error as CloudFilesError where error == .notFound && names.count > 1 {
                // Deleted meanwhile, or still in a lagging listing: the goal is reached.
                return
            }
            if verbose { output.line("deleted \(label(name))") }
        }
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

extension Shell {
    /// Runs `body` for every item, at most `limit` at once. Failures are
    /// reported as they happen and the rest go on; at the end one error says
    /// how many failed. Cancellation (Ctrl-C) stops everything at once.
    func forEachConcurrently<Item: Sendable>(
        _ items: [Item], limit: Int, describe: @escaping @Sendable (Item) -> String,
        _ body: @escaping @Sendable (Item) async throws -> Void
    ) async throws {
        guard !items.isEmpty else { return }
        if items.count == 1 {
            try await body(items[0])
            return
        }
        let errors = stderr
        let output = stdout
        var failures = 0
        try await withThrowingTaskGroup(of: Bool.self) { group in
            var next = 0
            func start() {
                let item = items[next]
                next += 1
                group.addTask {
                    do {
                        try await body(item)
                        return true
                    } catch let error where error.isCancellation {
                        throw error
                    } catch {
                        output.flush()
                        errors.line("\(describe(item)): \(error.userMessage)")
                        errors.flush()
                        return false
                    }
                }
            }
            while next < items.count && next < max(1, limit) { start() }
            while let succeeded = try await group.next() {
                if !succeeded { failures += 1 }
                if next < items.count { start() }
            }
        }
        if failures > 0 {
            throw ShellError.failure("\(failures) of \(items.count) failed")
        }
    }
}
