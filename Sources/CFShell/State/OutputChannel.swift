import CloudFiles
import Foundation

/// Where a shell writes: a file descriptor (stdout, stderr), a buffer that a test
/// reads, the items of a `$(…)`, or nowhere (an `if` condition).
///
/// Writes to a descriptor are buffered and flushed after each statement, so a
/// listing of 10 000 names is a few writes, not 10 000.
public final class OutputChannel: @unchecked Sendable {
    private enum Target {
        case descriptor(Int32)
        case buffer
        case substitution
        case discard
    }

    private let lock = NSLock()
    private let target: Target
    private var pending: [UInt8] = []
    private var captured: [UInt8] = []
    /// A substitution's finished items; `captured` holds the text after the last one.
    private var items: [Value] = []
    private var keptBytes = 0
    private var keptItems = 0
    private var overflowHandler: (@Sendable () -> Void)?
    private var didOverflow = false
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

    /// The channel of a `$(…)`: lines become text items and listed names exact items,
    /// up to ``SubstitutionLimit``; read them with `takeItems`.
    static func substitution() -> OutputChannel {
        OutputChannel(target: .substitution, isTerminal: false)
    }

    /// A channel that keeps nothing, for the command of an `if`.
    static func discard() -> OutputChannel {
        OutputChannel(target: .discard, isTerminal: false)
    }

    /// `name` as this channel shows it: escaped with `Names.printable` on a terminal,
    /// exactly as it is elsewhere (a pipe, a file), where scripts read it.
    func shown(_ name: String) -> String {
        isTerminal ? Names.printable(name) : name
    }

    /// Writes one remote name on a line of its own. A substitution keeps it as an item
    /// holding `exact`, so the next command gets that very object whatever the name holds.
    func item(_ display: String, exact: ExactPath) {
        lock.lock()
        guard case .substitution = target else {
            lock.unlock()
            write(shown(display) + "\n")
            return
        }
        if didOverflow {
            lock.unlock()
            return
        }
        finishTextLocked()
        items.append(Value(display, exact: exact))
        let stop = countLocked(bytes: display.utf8.count + 1, items: 1) ? overflowHandler : nil
        lock.unlock()
        stop?()
    }

    /// Whether this is the channel of a `$(…)`, where ``item(_:exact:)`` keeps the exact path
    /// and its display text is not read back.
    var capturesItems: Bool {
        if case .substitution = target { return true }
        return false
    }

    /// Called once when a substitution passes its limit, to stop the command.
    var onOverflow: (@Sendable () -> Void)? {
        get { lock.withLock { overflowHandler } }
        set { lock.withLock { overflowHandler = newValue } }
    }

    /// Whether a substitution passed its limit; what came after was dropped.
    var overflowed: Bool { lock.withLock { didOverflow } }

    /// Adds to the substitution's totals; true when this write passed the limit.
    private func countLocked(bytes: Int, items count: Int) -> Bool {
        keptBytes += bytes
        keptItems += count
        guard !didOverflow, keptBytes > SubstitutionLimit.bytes || keptItems > SubstitutionLimit.items else {
            return false
        }
        didOverflow = true
        return true
    }

    /// Appends to `captured` and counts the line breaks; memchr keeps a 16 MiB capture fast
    /// even in a debug build.
    private func appendCountingLines(_ buffer: UnsafeBufferPointer<UInt8>) -> Int {
        captured.append(contentsOf: buffer)
        guard var cursor = UnsafeRawPointer(buffer.baseAddress) else { return 0 }
        var remaining = buffer.count
        var lines = 0
        while remaining > 0, let found = memchr(cursor, 0x0A, remaining) {
            lines += 1
            let skipped = UnsafeRawPointer(found) - cursor + 1
            cursor += skipped
            remaining -= skipped
        }
        return lines
    }

    /// Turns the substitution's pending text into items, one a line.
    private func finishTextLocked() {
        guard !captured.isEmpty else { return }
        var lines = captured.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        if lines.last?.isEmpty == true { lines.removeLast() }
        items += lines.map { Value(String(decoding: $0, as: UTF8.self)) }
        captured.removeAll()
    }

    /// The items of a substitution, and empties it.
    func takeItems() -> [Value] {
        lock.lock()
        defer { lock.unlock() }
        finishTextLocked()
        let taken = items
        items = []
        return taken
    }

    public func write(_ text: String) {
        write(bytes: Array(text.utf8))
    }

    /// Writes `text` and a line break. On a terminal, every character a terminal would act
    /// on is escaped (`Names.printable`), line by line, so no name in a message or a table can
    /// drive the terminal; callers escape the line breaks inside names themselves (`shown`).
    public func line(_ text: String) {
        let safe =
            isTerminal && text.unicodeScalars.contains(where: Names.needsEscape)
            ? text.split(separator: "\n", omittingEmptySubsequences: false).map { Names.printable(String($0)) }
                .joined(separator: "\n")
            : text
        write((colorsLines ? TTY.red(safe) : safe) + "\n")
    }

    public func write(bytes: some Collection<UInt8>) {
        lock.lock()
        var stop: (@Sendable () -> Void)?
        switch target {
        case .buffer:
            captured.append(contentsOf: bytes)
        case .descriptor(let fd):
            pending.append(contentsOf: bytes)
            if pending.count >= 64 * 1024 { flushLocked(fd) }
        case .substitution where !didOverflow:
            let lines =
                bytes.withContiguousStorageIfAvailable { appendCountingLines($0) }
                ?? Array(bytes).withUnsafeBufferPointer { appendCountingLines($0) }
            if countLocked(bytes: bytes.count, items: lines) { stop = overflowHandler }
        case .substitution, .discard:
            break
        }
        lock.unlock()
        stop?()
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

/// How much a `$(…)` keeps: enough for a listing of a million names, bounded so that an
/// endless `cat` cannot take the machine's memory.
enum SubstitutionLimit {
    static let bytes = 16 << 20
    static let items = 1_000_000
    static let description = "16 MiB or 1,000,000 items"
}
