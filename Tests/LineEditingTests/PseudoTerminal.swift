import CEditLine
import Dispatch
import Foundation

@testable import LineEditing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A pseudo-terminal for driving a `LibeditLineEditor` in-process: keys are
/// written to the master side, the editor reads and draws on the slave side.
final class PseudoTerminal: @unchecked Sendable {
    // The fds and FILEs are set once; `drawn` is guarded by `lock`.
    private let lock = NSLock()
    private var drawn: [UInt8] = []
    let master: Int32
    let slave: Int32
    let input: UnsafeMutablePointer<FILE>
    let output: UnsafeMutablePointer<FILE>

    init() throws {
        master = open("/dev/ptmx", O_RDWR | O_NOCTTY)
        guard master >= 0, let name = Self.unlockedSlaveName(master) else { throw PTYError.open }
        slave = open(name, O_RDWR | O_NOCTTY)
        guard slave >= 0, let input = fdopen(slave, "r"), let output = fdopen(dup(slave), "w") else {
            throw PTYError.open
        }
        self.input = input
        self.output = output
        var size = winsize(ws_row: 24, ws_col: 80, ws_xpixel: 0, ws_ypixel: 0)
        _ = ioctl(master, UInt(TIOCSWINSZ), &size)
        _ = fcntl(master, F_SETFL, fcntl(master, F_GETFL) | O_NONBLOCK)
    }

    /// posix_openpt and friends are hidden from Swift's Glibc module (they
    /// need _XOPEN_SOURCE), so this does what they do on Linux with the
    /// devpts ioctls: TIOCSPTLCK to unlock, TIOCGPTN for the slave's number.
    private static func unlockedSlaveName(_ master: Int32) -> String? {
        var unlock: Int32 = 0
        var number: UInt32 = 0
        guard ioctl(master, 0x4004_5431, &unlock) == 0, ioctl(master, 0x8004_5430, &number) == 0 else {
            return nil
        }
        return "/dev/pts/\(number)"
    }

    deinit {
        fclose(input)
        fclose(output)
        close(master)
    }

    func makeEditor() throws -> LibeditLineEditor {
        guard let editor = LibeditLineEditor(input: input, output: output, errors: output, readsEditrc: false) else {
            throw PTYError.editor
        }
        return editor
    }

    /// Types `keys` a moment from now, once the editor waits in raw mode, as a
    /// person would: keys typed ahead of raw mode meet the line discipline's
    /// canonical mode, which treats ^D and line editing keys itself.
    func type(_ keys: String, after delay: Duration = .milliseconds(100)) {
        let master = self.master
        let bytes = Array(keys.utf8)
        let nanoseconds =
            Int(delay.components.seconds) * 1_000_000_000 + Int(delay.components.attoseconds / 1_000_000_000)
        DispatchQueue.global().asyncAfter(deadline: .now() + .nanoseconds(nanoseconds)) {
            _ = bytes.withUnsafeBytes { write(master, $0.baseAddress, $0.count) }
        }
    }

    /// Everything drawn so far, with escape sequences removed.
    func screenText() -> String {
        lock.lock()
        defer { lock.unlock() }
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(master, $0.baseAddress, $0.count) }
            guard count > 0 else { break }
            drawn += chunk[..<count]
        }
        return Self.stripEscapes(String(decoding: drawn, as: UTF8.self))
    }

    /// Runs `action` on another thread once the screen shows `text` (or after 10 s).
    func when(screenShows text: String, _ action: @escaping @Sendable () -> Void) {
        DispatchQueue.global().async {
            let deadline = ContinuousClock.now + .seconds(10)
            while !self.screenText().contains(text), ContinuousClock.now < deadline {
                usleep(10_000)
            }
            action()
        }
    }

    static func stripEscapes(_ text: String) -> String {
        var result = ""
        var iterator = text.unicodeScalars.makeIterator()
        while let scalar = iterator.next() {
            guard scalar == "\u{1B}" else {
                if scalar != "\r", scalar != "\u{07}" { result.unicodeScalars.append(scalar) }
                continue
            }
            guard let kind = iterator.next() else { break }
            if kind == "[" {
                while let next = iterator.next(), !(0x40...0x7E).contains(next.value) {}
            }
        }
        return result
    }

    enum PTYError: Error { case open, editor }
}
