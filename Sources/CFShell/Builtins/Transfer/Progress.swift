import CloudFiles
import Foundation

/// The text of a progress line, apart from the terminal.
enum ProgressLine {
    /// The width of the terminal on stderr, 80 when unknown.
    static func terminalWidth() -> Int {
        var size = winsize()
        if ioctl(STDERR_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
        return 80
    }

    /// `label  12.0 MiB / 40.0 MiB  30%  5.0 MiB/s  ETA 0:06`: `done` of `total` bytes, where
    /// `skipped` of them were not transferred (identical files, segments already stored), so
    /// the rate and the ETA count only the bytes that moved.
    static func render(
        label: String, done: Int64, skipped: Int64 = 0, total: Int64?, elapsed: Duration, width: Int
    ) -> String {
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let rate = seconds > 0 ? Double(max(0, done - skipped)) / seconds : 0
        var figures = bytes(done)
        if let total, total > 0 {
            let percent = Int(min(100, max(0, Double(done) * 100 / Double(total))))
            figures += " / \(bytes(total))  \(percent)%"
        }
        figures += "  \(bytes(Int64(rate)))/s"
        if let total, total > done, rate > 0 {
            figures += "  ETA \(clock(Double(total - done) / rate))"
        }
        // The figures matter more than the name: shorten the name to fit.
        let room = width - 1 - figures.count - 2
        guard room > 0 else { return String(figures.prefix(max(0, width - 1))) }
        let label = Names.printable(label)
        let shown = label.count <= room ? label : "…" + label.suffix(max(0, room - 1))
        return shown + "  " + figures
    }

    static func bytes(_ count: Int64) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB"]
        var value = Double(count)
        var unit = 0
        while value >= 1024, unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        return unit == 0 ? "\(count) B" : String(format: "%.1f", value) + " " + units[unit]
    }

    static func clock(_ seconds: Double) -> String {
        // A total from a hostile listing can make the estimate absurd; it must not trap.
        guard seconds.isFinite, seconds >= 0, seconds < 360_000_000 else { return "--:--" }
        let whole = Int(seconds.rounded(.up))
        let (hours, minutes, secs) = (whole / 3600, whole / 60 % 60, whole % 60)
        return hours > 0
            ? String(format: "%d:%02d:%02d", hours, minutes, secs)
            : String(format: "%d:%02d", minutes, secs)
    }
}

/// One live line for a whole command on stderr: files done of total, bytes (of the total
/// when known), percentage, rate and ETA. The rate counts only bytes transferred, not files
/// skipped as identical or segments already stored. On a terminal it redraws itself in place;
/// asked for with `--progress` elsewhere, it prints a plain line at most once a second.
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
    /// Of `bytesDone`, those that were not transferred.
    private var bytesSkipped: Int64 = 0
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
        bytesSkipped += skippedBytes
        drawIfDue(force: false)
    }

    /// Counts bytes that a file's reporter will count as done but that are not transferred:
    /// the segments a resumed upload finds already stored.
    func alreadyStored(_ bytes: Int64) {
        guard enabled else { return }
        lock.lock()
        defer { lock.unlock() }
        bytesSkipped += bytes
    }

    /// Runs `body` (which prints a line of its own) with the in-place line erased; the line
    /// comes back at the next redraw.
    func withLineCleared(_ body: () -> Void) {
        lock.lock()
        defer { lock.unlock() }
        if enabled && inPlace && drawn {
            write("\r\u{1B}[K")
            drawn = false
        }
        body()
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
            label: files > 0 ? "\(verb) \(filesDone)/\(files) files" : "\(verb) \(filesDone) files", done: bytesDone,
            skipped: bytesSkipped, total: totalBytes,
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
