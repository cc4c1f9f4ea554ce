import CloudFiles
import Foundation

/// One object or file a command could not move or delete: `failures` in `--json`.
struct CommandFailure: Sendable, Equatable {
    /// The path as the command showed it.
    var path: String
    var error: String

    var json: JSONValue { .object([("path", .string(path)), ("error", .string(error))]) }
}

/// What `put`, `get`, `cp` or `mv` did: the one line a terminal keeps once the progress
/// line is erased, and the object `--json` prints. Both are rendered from this value, so
/// they always agree.
struct TransferSummary: Sendable, Equatable {
    enum Kind: String, Sendable {
        case put, get, cp, mv

        /// What the line calls the items: files on the local side, objects on the server.
        var noun: String { self == .put || self == .get ? "file" : "object" }
        /// What happened to one that was not skipped.
        var verb: String {
            switch self {
            case .put: "sent"
            case .get: "received"
            case .cp: "copied"
            case .mv: "moved"
            }
        }
    }

    var kind: Kind
    /// Transferred, skipped as identical, or failed.
    var objects = 0
    var transferred = 0
    var skipped = 0
    var failed = 0
    /// The sizes of the objects transferred and skipped.
    var bytes: Int64 = 0
    /// The bytes that went over the network: less than `bytes` when files were skipped as
    /// identical or large objects resumed.
    var bytesTransferred: Int64 = 0
    var seconds: Double = 0
    /// Large objects whose upload resumed: their segments already stored, and in all.
    var segmentsReused = 0
    var segmentsInResumed = 0
    var failures: [CommandFailure] = []
    /// Whether `bytes` is known (cp and mv know sizes only from listings).
    var bytesKnown = true

    init(_ kind: Kind) { self.kind = kind }

    /// `put: 2 files, 500.0 MiB in 1.8 s (sent 1, skipped 1 identical)`.
    var line: String {
        let noun = objects == 1 ? kind.noun : kind.noun + "s"
        var text = "\(kind.rawValue): \(objects) \(noun)"
        if bytesKnown { text += ", " + ProgressLine.bytes(bytes) }
        text += " in " + Self.duration(seconds)
        var notes: [String] = []
        if skipped > 0 || failed > 0 { notes.append("\(kind.verb) \(transferred)") }
        if skipped > 0 { notes.append("skipped \(skipped) identical") }
        if failed > 0 { notes.append("\(failed) failed") }
        var detail = notes.joined(separator: ", ")
        if segmentsReused > 0 {
            let resumed =
                "\(kind.verb) \(ProgressLine.bytes(bytesTransferred)): \(segmentsReused) of \(segmentsInResumed) segments were already stored"
            detail = detail.isEmpty ? resumed : detail + "; " + resumed
        }
        return detail.isEmpty ? text : text + " (" + detail + ")"
    }

    /// The object `--json` prints (documented in docs/language.md, "JSON output").
    var json: JSONValue {
        .object([
            ("command", .string(kind.rawValue)),
            ("objects", .int(Int64(objects))),
            ("transferred", .int(Int64(transferred))),
            ("skipped", .int(Int64(skipped))),
            ("failed", .int(Int64(failed))),
            ("bytes", bytesKnown ? .int(bytes) : .null),
            ("bytes_transferred", bytesKnown ? .int(bytesTransferred) : .null),
            ("segments_reused", .int(Int64(segmentsReused))),
            ("seconds", .number(seconds)),
            ("failures", .array(failures.map(\.json))),
        ])
    }

    /// `0.4 s`, `12.3 s`, `2:05` (minutes), `1:02:05`.
    static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds >= 0 else { return "-" }
        return seconds < 60 ? String(format: "%.1f s", seconds) : ProgressLine.clock(seconds)
    }
}

/// What `rm` or `rmdir` deleted: the line and the `--json` object.
struct DeletionSummary: Sendable, Equatable {
    var command: String
    var tally = DeleteTally()
    var containersDeleted = 0
    var seconds: Double = 0

    /// Whether anything was deleted, found gone or failed: the line is printed only then.
    var isEmpty: Bool { tally.deleted + tally.notFound + tally.failed + tally.filtered + containersDeleted == 0 }

    /// `rm: deleted 12 objects in 0.4 s`, `rmdir: deleted 1 container and 3 objects in 0.2 s (1 not found)`.
    var line: String {
        func count(_ number: Int, _ noun: String) -> String { "\(number) \(noun)\(number == 1 ? "" : "s")" }
        var deleted = count(tally.deleted, "object")
        if containersDeleted > 0 {
            deleted =
                tally.deleted == 0
                ? count(containersDeleted, "container") : count(containersDeleted, "container") + " and " + deleted
        }
        var notes: [String] = []
        if tally.notFound > 0 { notes.append("\(tally.notFound) not found") }
        if tally.failed > 0 { notes.append("\(tally.failed) failed") }
        if tally.filtered > 0 { notes.append("\(tally.filtered) kept by the filter") }
        let text = "\(command): deleted \(deleted) in \(TransferSummary.duration(seconds))"
        return notes.isEmpty ? text : text + " (" + notes.joined(separator: ", ") + ")"
    }

    var json: JSONValue {
        .object([
            ("command", .string(command)),
            ("deleted", .int(Int64(tally.deleted))),
            ("not_found", .int(Int64(tally.notFound))),
            ("failed", .int(Int64(tally.failed))),
            ("kept_by_filter", .int(Int64(tally.filtered))),
            ("containers_deleted", .int(Int64(containersDeleted))),
            ("seconds", .number(seconds)),
            ("failures", .array(tally.failures.map(\.json))),
        ])
    }
}

/// A summary that the concurrent transfers of one command add to.
final class SummaryCounter<Summary: Sendable>: @unchecked Sendable {
    // Only touched while holding `lock`.
    private let lock = NSLock()
    private var summary: Summary

    init(_ summary: Summary) { self.summary = summary }

    func update(_ change: (inout Summary) -> Void) {
        lock.lock()
        defer { lock.unlock() }
        change(&summary)
    }

    var value: Summary {
        lock.lock()
        defer { lock.unlock() }
        return summary
    }
}

/// How a command that moved or deleted something reports it when it ends: one JSON object
/// on stdout with `--json`; else one line, on stdout with `-v` (after the item lines), on
/// stderr where progress is shown (a terminal, or `--progress`), and nothing in scripts.
struct SummaryReport: Sendable {
    var json: Bool
    var verbose: Bool
    var showsProgress: Bool
    let started = ContinuousClock.now

    var elapsed: Double {
        let duration = ContinuousClock.now - started
        return Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    /// Prints `line` or `json`; the line only when `worthALine` (the command did something).
    func print(line: String, json value: JSONValue, worthALine: Bool, in shell: isolated Shell) {
        if json {
            shell.stdout.line(value.pretty())
        } else if worthALine && verbose {
            shell.stdout.line(line)
        } else if worthALine && showsProgress {
            shell.stdout.flush()
            shell.stderr.plainLine(line)
            shell.stderr.flush()
        }
    }

    /// A message that belongs beside the summary (such as "resuming: …"): where the summary
    /// line goes, but also in scripts with `-v`; never with `--json`.
    func note(_ text: String, output: OutputChannel, errors: OutputChannel, progress: CommandProgress?) {
        guard !json, verbose || showsProgress else { return }
        let write = {
            if verbose {
                output.line(output.shown(text))
                output.flush()
            } else {
                output.flush()
                errors.plainLine(Names.printable(text))
                errors.flush()
            }
        }
        if let progress { progress.withLineCleared(write) } else { write() }
    }
}

extension OutputChannel {
    /// Writes `text` and a line break, never in red: a report of what went well, on stderr.
    func plainLine(_ text: String) {
        write((isTerminal ? Names.printable(text) : text) + "\n")
    }
}

extension TransferSummary {
    /// Counts one item transferred: `bytes` its size, `sent` the bytes that moved.
    mutating func transferred(bytes size: Int64, sent: Int64) {
        objects += 1
        transferred += 1
        bytes = WireNumber.sum([bytes, size]) ?? bytes
        bytesTransferred = WireNumber.sum([bytesTransferred, sent]) ?? bytesTransferred
    }

    /// Counts one item skipped as identical.
    mutating func skipped(bytes size: Int64) {
        objects += 1
        skipped += 1
        bytes = WireNumber.sum([bytes, size]) ?? bytes
    }

    /// Counts one item that failed.
    mutating func failed(_ failure: CommandFailure) {
        objects += 1
        failed += 1
        failures.append(failure)
    }
}

extension SummaryReport {
    /// Runs `body` for every item as `forEachConcurrently` does, counting each failure in
    /// `summary`; then erases the progress line and prints the summary, also when items
    /// failed (but not when the command was interrupted).
    func run<Item: Sendable>(
        _ summary: SummaryCounter<TransferSummary>, progress: CommandProgress?, items: [Item], limit: Int,
        describe: @escaping @Sendable (Item) -> String, in shell: isolated Shell,
        _ body: @escaping @Sendable (Item) async throws -> Void
    ) async throws {
        do {
            try await shell.forEachConcurrently(items, limit: limit, describe: describe) { item in
                do {
                    try await body(item)
                } catch let error where !error.isCancellation {
                    summary.update { $0.failed(CommandFailure(path: describe(item), error: error.userMessage)) }
                    throw error
                }
            }
        } catch let error where !error.isCancellation {
            progress?.finish()
            finish(summary, in: shell)
            throw error
        } catch {
            progress?.finish()
            throw error
        }
        progress?.finish()
        finish(summary, in: shell)
    }

    /// Prints `summary` with the time taken so far.
    func finish(_ summary: SummaryCounter<TransferSummary>, in shell: isolated Shell) {
        summary.update { $0.seconds = elapsed }
        let value = summary.value
        print(line: value.line, json: value.json, worthALine: value.objects > 0, in: shell)
    }
}
