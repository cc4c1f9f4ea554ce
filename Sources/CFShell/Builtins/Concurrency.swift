import Foundation

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

/// A number that concurrent tasks add to: the files `put` and `get` skip as identical.
final class SharedCounter: @unchecked Sendable {
    // Only touched while holding `lock`.
    private let lock = NSLock()
    private var count = 0

    func increment() {
        lock.lock()
        defer { lock.unlock() }
        count += 1
    }

    var value: Int {
        lock.lock()
        defer { lock.unlock() }
        return count
    }
}
