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

    static func render(label: String, done: Int64, total: Int64?, elapsed: Duration, width: Int) -> String {
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let rate = seconds > 0 ? Double(done) / seconds : 0
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
