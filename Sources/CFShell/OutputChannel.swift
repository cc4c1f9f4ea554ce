import Foundation

/// Where a shell writes: a file descriptor (stdout, stderr), or a buffer that
/// collects what a `$(…)` or a test captures.
///
/// Writes to a descriptor are buffered and flushed after each statement, so a
/// listing of 10 000 names is a few writes, not 10 000.
public final class OutputChannel: @unchecked Sendable {
    private enum Target {
        case descriptor(Int32)
        case buffer
    }

    private let lock = NSLock()
    private let target: Target
    private var pending: [UInt8] = []
    private var captured: [UInt8] = []
    /// Whether the channel is a terminal: decides between columns and plain lines.
    public let isTerminal: Bool

    /// Whether `line` writes in red: standard error on a terminal without
    /// `NO_COLOR` or `TERM=dumb` (the rules are in `TTY`).
    public let colorsLines: Bool

    private init(target: Target, isTerminal: Bool, colorsLines: Bool = false) {
        self.target = target
        self.isTerminal = isTerminal
        self.colorsLines = colorsLines
    }

    /// Standard output of this process.
    public static func standardOutput() -> OutputChannel {
        OutputChannel(target: .descriptor(1), isTerminal: isatty(1) == 1)
    }

    /// Standard error of this process.
    public static func standardError() -> OutputChannel {
        OutputChannel(
            target: .descriptor(2), isTerminal: isatty(2) == 1,
            colorsLines: TTY.current(environment: ProcessInfo.processInfo.environment).colorsErrors)
    }

    /// A channel that keeps everything written to it; read it with `text`.
    public static func capture(isTerminal: Bool = false) -> OutputChannel {
        OutputChannel(target: .buffer, isTerminal: isTerminal)
    }

    public func write(_ text: String) {
        write(bytes: Array(text.utf8))
    }

    /// Writes `text` and a line break.
    public func line(_ text: String) {
        write((colorsLines ? TTY.red(text) : text) + "\n")
    }

    public func write(bytes: some Collection<UInt8>) {
        lock.lock()
        defer { lock.unlock() }
        switch target {
        case .buffer:
            captured.append(contentsOf: bytes)
        case .descriptor(let fd):
            pending.append(contentsOf: bytes)
            if pending.count >= 64 * 1024 { flushLocked(fd) }
        }
    }

    /// Sends buffered output on; stderr is flushed at once so messages keep their order.
    public func flush() {
        lock.lock()
        defer { lock.unlock() }
        if case .descriptor(let fd) = target { flushLocked(fd) }
    }

    private func flushLocked(_ fd: Int32) {
        var offset = 0
        while offset < pending.count {
            let written = pending[offset...].withUnsafeBytes { raw in
                Foundation.write(fd, raw.baseAddress, raw.count)
            }
            if written < 0 {
                if errno == EINTR { continue }
                break  // A closed pipe: nothing more can be shown.
            }
            offset += written
        }
        pending.removeAll(keepingCapacity: true)
    }

    /// Everything captured so far (capture channels only).
    public var text: String {
        lock.lock()
        defer { lock.unlock() }
        return String(decoding: captured, as: UTF8.self)
    }

    /// Empties a capture channel and returns what it held.
    func takeText() -> String {
        lock.lock()
        defer { lock.unlock() }
        let text = String(decoding: captured, as: UTF8.self)
        captured.removeAll()
        return text
    }
}
