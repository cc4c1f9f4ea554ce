import CloudFiles
import Foundation

/// The options that put, get, rm and rmdir share, read once per command:
/// `--parallel`, `--segment-size`, `--skip-identical`, `--leave-segments`,
/// `--quiet` and `--progress`, falling back to `set`.
struct TransferFlags: Sendable {
    /// How many transfers or deletions run at once.
    var parallel: Int
    /// Files larger than this go up as static large objects; `nil` only past `max_file_size`.
    var segmentSize: Int64?
    /// Skip files whose size and MD5 already match (per segment for large objects).
    var skipIdentical = false
    /// Keep the segments of large objects that are deleted or replaced.
    var leaveSegments = false
    /// Draw the live progress line.
    var showsProgress = false
    /// How many segments of a static large object `get` fetches at once (ranged GETs).
    var parallelSegments = 1
    /// `get` checks lengths only, not MD5s.
    var ignoreChecksum = false

    static let parallelOption = CommandSpec.Option(
        "--parallel", value: "N", help: "how many at once, 1 to 64 (default: 'set parallel')")
    static let segmentSizeOption = CommandSpec.Option(
        "--segment-size", value: "SIZE",
        help: "files larger than SIZE go up in segments of SIZE, as a static large object (default: 'set segment-size')")
    static let skipIdenticalOption = CommandSpec.Option(
        "--skip-identical", help: "skip files whose size and MD5 already match (segment by segment for large objects)")
    static let leaveSegmentsOption = CommandSpec.Option(
        "--leave-segments", help: "keep the segments of large objects that are deleted or replaced")
    static let parallelSegmentsOption = CommandSpec.Option(
        "--parallel-segments", value: "N",
        help: "fetch a static large object's segments N at a time, each with a ranged GET (default 1: one stream)")
    static let ignoreChecksumOption = CommandSpec.Option(
        "--ignore-checksum",
        help: "check lengths only, not MD5s (plain objects' ETags, large objects' segments): saves CPU, not safety")
    static let quietOption = CommandSpec.Option("-q", "--quiet", help: "no progress line, even on a terminal")
    static let progressOption = CommandSpec.Option(
        "--progress", help: "show progress even when standard error is not a terminal")

    /// Reads the flags of `parsed`; `settings` give the defaults.
    static func read(_ parsed: ParsedArguments, settings: Settings, tty: TTY) throws(ShellError) -> TransferFlags {
        var flags = TransferFlags(parallel: settings.parallel, segmentSize: settings.segmentSize)
        if let text = parsed.value("--parallel") {
            guard let number = Int(text), (1...64).contains(number) else {
                throw ShellError.usage("--parallel must be a number from 1 to 64, not '\(text)'")
            }
            flags.parallel = number
        }
        if let text = parsed.value("--segment-size") {
            if text == "off" {
                flags.segmentSize = nil
            } else {
                guard let size = Settings.parseSize(text), size >= 1 << 20 else {
                    throw ShellError.usage("--segment-size must be a size of at least 1M (such as 100M or 1G), or off, not '\(text)'")
                }
                flags.segmentSize = size
            }
        }
        if let text = parsed.value("--parallel-segments") {
            guard let number = Int(text), (1...64).contains(number) else {
                throw ShellError.usage("--parallel-segments must be a number from 1 to 64, not '\(text)'")
            }
            flags.parallelSegments = number
        }
        flags.skipIdentical = parsed.has("--skip-identical")
        flags.leaveSegments = parsed.has("--leave-segments")
        flags.ignoreChecksum = parsed.has("--ignore-checksum")
        if parsed.has("-q") && parsed.has("--progress") {
            throw ShellError.usage("--quiet and --progress contradict each other")
        }
        flags.showsProgress = parsed.has("--progress") || (!parsed.has("-q") && tty.showsProgress)
        return flags
    }
}

/// One live line for a whole command on stderr: files done of total, bytes,
/// rate and ETA. On a terminal it redraws itself in place; asked for with
/// `--progress` elsewhere, it prints a plain line at most once a second.
final class CommandProgress: @unchecked Sendable {
    // Mutable state is only touched while holding `lock`: transfers report from many tasks.
    private let lock = NSLock()
    private let verb: String
    private let files: Int
    private let totalBytes: Int64?
    private let enabled: Bool
    private let inPlace: Bool
    private let write: @Sendable (String) -> Void
    private let start = ContinuousClock.now
    private var filesDone = 0
    private var bytesDone: Int64 = 0
    private var lastDraw: ContinuousClock.Instant?
    private var drawn = false

    init(
        verb: String, files: Int, totalBytes: Int64?, enabled: Bool, inPlace: Bool,
        write: @escaping @Sendable (String) -> Void = { FileHandle.standardError.write(Data($0.utf8)) }
    ) {
        self.verb = verb
        self.files = files
        self.totalBytes = totalBytes
        self.enabled = enabled
        self.inPlace = inPlace
        self.write = write
    }

    /// A reporter for one file's running byte count, as the client's `progress` hooks call it.
    func reporter() -> (@Sendable (Int64) -> Void)? {
        guard enabled else { return nil }
        let last = LastCount()
        return { [self] total in
            let delta = last.exchange(total)
            lock.lock()
            defer { lock.unlock() }
            bytesDone += delta
            drawIfDue(force: false)
        }
    }

    /// Counts one file (or object) finished; `skippedBytes` for one that needed no transfer.
    func fileDone(skippedBytes: Int64 = 0) {
        guard enabled else { return }
        lock.lock()
        defer { lock.unlock() }
        filesDone += 1
        bytesDone += skippedBytes
        drawIfDue(force: false)
    }

    /// Erases the in-place line, or prints the last plain one.
    func finish() {
        guard enabled else { return }
        lock.lock()
        defer { lock.unlock() }
        if inPlace {
            if drawn { write("\r\u{1B}[K") }
        } else if drawn {
            drawIfDue(force: true)
        }
        drawn = false
    }

    /// Call with `lock` held.
    private func drawIfDue(force: Bool) {
        let now = ContinuousClock.now
        if !force {
            guard now - start >= .milliseconds(500) else { return }
            if let lastDraw, now - lastDraw < (inPlace ? .milliseconds(200) : .seconds(1)) { return }
        }
        lastDraw = now
        drawn = true
        let line = ProgressLine.render(
            label: "\(verb) \(filesDone)/\(files) files", done: bytesDone, total: totalBytes,
            elapsed: now - start, width: inPlace ? ProgressLine.terminalWidth() : 200)
        write(inPlace ? "\r" + line + "\u{1B}[K" : line + "\n")
    }
}

/// The last running total a transfer reported, so that retries (which start again
/// from zero) and parallel segments add up to the right sum.
private final class LastCount: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Int64 = 0

    func exchange(_ new: Int64) -> Int64 {
        lock.lock()
        defer { lock.unlock() }
        let delta = new - value
        value = new
        return delta
    }
}

extension Shell {
    /// Whether `local` (of `size` bytes) holds exactly the remote object's bytes: same
    /// size, and the same MD5 — segment by segment for a static large object.
    nonisolated func isIdentical(
        local: String, size: Int64, remoteBytes: Int64, remoteHash: String, isStaticLargeObject: Bool,
        container: String, name: String, client: CloudFilesClient
    ) async throws -> Bool {
        guard size == remoteBytes else { return false }
        if isStaticLargeObject {
            let segments = try await client.largeObjectSegments(name, in: container)
            var offset: Int64 = 0
            for segment in segments {
                guard offset + segment.bytes <= size,
                      try await CloudFilesClient.md5(ofFile: local, range: offset..<(offset + segment.bytes)) == segment.etag
                else { return false }
                offset += segment.bytes
            }
            return !segments.isEmpty && offset == size
        }
        return try await CloudFilesClient.md5(ofFile: local) == remoteHash
    }
}
