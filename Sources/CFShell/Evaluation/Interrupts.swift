import Dispatch
import Foundation

/// Ctrl-C (SIGINT), SIGTERM or SIGHUP while a command runs cancels that command's task.
///
/// The handlers are installed only while something runs, so a line editor keeps
/// its own Ctrl-C handling at the prompt. Cancellation travels through every
/// `await`, so a transfer stops and the client removes its temporary file
/// instead of leaving half a file behind. SIGTERM and SIGHUP (`timeout`, cron,
/// systemd, a closed terminal) stop the same way, and then the whole run, with
/// 128 + the signal. A second signal, for a command that does not stop, ends
/// the process at once with 128 + that signal.
enum Interrupts {
    static let stopping: [Int32] = [SIGINT, SIGTERM, SIGHUP]

    /// Runs `operation`; returns its status and the first signal that arrived meanwhile.
    static func run(_ operation: @escaping @Sendable () async -> Int32) async -> (status: Int32, signal: Int32?) {
        let task = Task { await operation() }
        let first = FirstSignal()
        var sources: [DispatchSourceSignal] = []
        var previous: [Int32: sig_t?] = [:]
        for number in stopping {
            previous[number] = signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                if !first.record(number) { _exit(128 + number) }
                task.cancel()
            }
            source.resume()
            sources.append(source)
        }
        let status = await task.value
        for source in sources { source.cancel() }
        for (number, handler) in previous { signal(number, handler ?? SIG_DFL) }
        return (status, first.value)
    }

    private final class FirstSignal: @unchecked Sendable {
        private let lock = NSLock()
        private var signal: Int32?

        /// Keeps the first signal; false when one came before.
        func record(_ number: Int32) -> Bool {
            lock.lock()
            defer { lock.unlock() }
            guard signal == nil else { return false }
            signal = number
            return true
        }

        var value: Int32? {
            lock.lock()
            defer { lock.unlock() }
            return signal
        }
    }
}
