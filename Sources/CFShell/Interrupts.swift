import Dispatch
import Foundation

/// Ctrl-C while a command runs cancels that command's task.
///
/// The handler is installed only while something runs, so a line editor keeps
/// its own Ctrl-C handling at the prompt. Cancellation travels through every
/// `await`, so a transfer stops and the client removes its temporary file
/// instead of leaving half a file behind. A second Ctrl-C, for a command that
/// does not stop, ends the process at once with status 130.
enum Interrupts {
    static func run(_ operation: @escaping @Sendable () async -> Int32) async -> Int32 {
        let task = Task { await operation() }
        let count = Counter()
        let previous = signal(SIGINT, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        source.setEventHandler {
            if count.increment() > 1 { _exit(130) }
            task.cancel()
        }
        source.resume()
        let status = await task.value
        source.cancel()
        signal(SIGINT, previous)
        return status
    }

    private final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var value = 0

        func increment() -> Int {
            lock.lock()
            defer { lock.unlock() }
            value += 1
            return value
        }
    }
}
