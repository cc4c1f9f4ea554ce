import Foundation

/// One self-overwriting line on stderr while a transfer runs:
/// `get big.iso  48.0 MiB / 100.0 MiB  48%  12.5 MiB/s  ETA 0:04`.
///
/// Shown only on a terminal (`TTY.showsProgress`), only once a transfer has
/// run for half a second (quick ones stay silent) and redrawn at most five
/// times a second. `finish()` erases it so that the next output starts clean.
public final class TransferProgress: @unchecked Sendable {
    // The mutable state below is only touched while holding `lock`; transfer
    // code may report from any task.
    private let lock = NSLock()
    private let label: String
    private let total: Int64?
    private let enabled: Bool
    private let write: @Sendable (String) -> Void
    private let start = ContinuousClock.now
    private var done: Int64 = 0
    /// The last running total of each `reporter()`.
    private var totals: [Int64] = []
    private var lastDraw: ContinuousClock.Instant?
    private var drawn = false

    /// - Parameters:
    ///   - label: what is moving, such as `get backups/db.sql`.
    ///   - totalBytes: the size when known, for the percentage and ETA.
    ///   - tty: decides whether anything is shown at all.
    public convenience init(label: String, totalBytes: Int64?, tty: TTY) {
        self.init(label: label, totalBytes: totalBytes, enabled: tty.showsProgress) { text in
            FileHandle.standardError.write(Data(text.utf8))
        }
    }

    init(label: String, totalBytes: Int64?, enabled: Bool, write: @escaping @Sendable (String) -> Void) {
        self.label = label
        self.total = totalBytes
        self.enabled = enabled
        self.write = write
    }

    /// Records `bytes` more transferred, redrawing if it is time to.
    public func advance(by bytes: Int) {
        guard enabled else { return }
        lock.lock()
        defer { lock.unlock() }
        done += Int64(bytes)
        drawIfDue()
    }

    /// A callback for one transfer's running total, as `DownloadOptions.progress`
    /// and `UploadOptions.progress` report it. Transfers running side by side
    /// each get their own, and the line shows their sum.
    public func reporter() -> @Sendable (Int64) -> Void {
        guard enabled else { return { _ in } }
        lock.lock()
        let id = totals.count
        totals.append(0)
        lock.unlock()
        return { [self] total in
            lock.lock()
            defer { lock.unlock() }
            done += total - totals[id]
            totals[id] = total
            drawIfDue()
        }
    }

    /// Call with `lock` held.
    private func drawIfDue() {
        let now = ContinuousClock.now
        guard now - start >= .milliseconds(500) else { return }
        if let lastDraw, now - lastDraw < .milliseconds(200) { return }
        lastDraw = now
        drawn = true
        let line = ProgressLine.render(
            label: label, done: done, total: total, elapsed: now - start, width: Self.terminalWidth())
        write("\r" + line + "\u{1B}[K")
    }

    /// Erases the line, if one was drawn. Call it however the transfer ended.
    public func finish() {
        lock.lock()
        defer { lock.unlock() }
        if drawn { write("\r\u{1B}[K") }
        drawn = false
    }

    /// The width of the terminal on stderr, 80 when unknown.
    static func terminalWidth() -> Int {
        var size = winsize()
        if ioctl(STDERR_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
        return 80
    }
}

/// The text of a progress line, apart from the terminal.
enum ProgressLine {
    static func render(label: String, done: Int64, total: Int64?, elapsed: Duration, width: Int) -> String {
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let rate = seconds > 0 ? Double(done) / seconds : 0
        var figures = bytes(done)
        if let total, total > 0 {
            let percent = min(100, Int(Double(done) * 100 / Double(total)))
            figures += " / \(bytes(total))  \(percent)%"
        }
        figures += "  \(bytes(Int64(rate)))/s"
        if let total, total > done, rate > 0 {
            figures += "  ETA \(clock(Double(total - done) / rate))"
        }
        // The figures matter more than the name: shorten the name to fit.
        let room = width - 1 - figures.count - 2
        guard room > 0 else { return String(figures.prefix(max(0, width - 1))) }
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
        let whole = Int(seconds.rounded(.up))
        let (hours, minutes, secs) = (whole / 3600, whole / 60 % 60, whole % 60)
        return hours > 0
            ? String(format: "%d:%02d:%02d", hours, minutes, secs)
            : String(format: "%d:%02d", minutes, secs)
    }
}
