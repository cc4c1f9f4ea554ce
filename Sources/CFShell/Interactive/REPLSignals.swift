import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Signals during an interactive session, turned into ordinary calls.
///
/// The C handler only writes the signal number to a pipe (the one thing that
/// is safe in a handler); a thread of ours reads it and decides:
/// - SIGINT: discard the line being typed, or cancel the running command; a second
///   one while that command has not stopped yet ends the session at once, with 130.
///   Never passed on, so it cannot reach the rest of the process group.
/// - SIGTSTP: stop this process only, with the terminal in its normal mode.
/// - SIGWINCH: let the line editor take the new width.
/// - SIGTERM, SIGHUP: while a command runs, cancel it as Ctrl-C does (so that it
///   removes what it half wrote) and end the session with 128 + the signal once it
///   stops; a second one, or one at the prompt, restores the terminal and ends at once.
/// - SIGQUIT is ignored, as interactive shells do.
final class REPLSignals: @unchecked Sendable {
    enum Phase {
        case idle
        case reading(EditorWakeups)
        case running(cancel: @Sendable () -> Void)
    }

    // `phase` and `cancelled` are guarded by `lock`: the REPL loop writes
    // them, the watcher thread reads them.
    private let lock = NSLock()
    private var phase = Phase.idle
    private var cancelled = false
    private var terminating: Int32?
    private let terminal: SavedTerminalModes
    private let pipeFDs: (read: Int32, write: Int32)
    private var previous: [Int32: sigaction] = [:]

    static let handled: [Int32] = [SIGINT, SIGTSTP, SIGWINCH, SIGTERM, SIGHUP]

    init?(terminal: SavedTerminalModes) {
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else { return nil }
        for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        _ = fcntl(fds[1], F_SETFL, fcntl(fds[1], F_GETFL) | O_NONBLOCK)
        self.pipeFDs = (fds[0], fds[1])
        self.terminal = terminal
    }

    /// Installs the handlers and starts the watcher thread.
    func install() {
        signalPipeWriteFD = pipeFDs.write
        for signal in Self.handled {
            var action = sigaction()
            #if canImport(Glibc)
            action.__sigaction_handler.sa_handler = forwardSignal
            #else
            action.__sigaction_u.__sa_handler = forwardSignal
            #endif
            sigemptyset(&action.sa_mask)
            // No SA_RESTART: a blocking read returns EINTR and re-checks.
            action.sa_flags = 0
            var old = sigaction()
            sigaction(signal, &action, &old)
            previous[signal] = old
        }
        var ignore = sigaction()
        #if canImport(Glibc)
        ignore.__sigaction_handler.sa_handler = SIG_IGN
        #else
        ignore.__sigaction_u.__sa_handler = SIG_IGN
        #endif
        var old = sigaction()
        sigaction(SIGQUIT, &ignore, &old)
        previous[SIGQUIT] = old

        let thread = Thread { [self] in watch() }
        thread.name = "cfsh-signals"
        thread.start()
    }

    /// Puts the previous handlers back; the watcher thread ends with the pipe.
    func uninstall() {
        for (signal, action) in previous {
            var action = action
            sigaction(signal, &action, nil)
        }
        previous.removeAll()
        close(pipeFDs.write)
    }

    func setPhase(_ phase: Phase) {
        lock.lock()
        self.phase = phase
        cancelled = false
        lock.unlock()
    }

    /// SIGTERM or SIGHUP, when one cancelled a command: the session ends with 128 + it.
    var terminatingSignal: Int32? {
        lock.lock()
        defer { lock.unlock() }
        return terminating
    }

    /// Whether Ctrl-C cancelled the command of the current `running` phase.
    var wasCancelled: Bool {
        lock.lock()
        defer { lock.unlock() }
        return cancelled
    }

    private func watch() {
        var byte: UInt8 = 0
        while true {
            let count = read(pipeFDs.read, &byte, 1)
            if count < 0, errno == EINTR { continue }
            guard count == 1 else { break }
            handle(Int32(byte))
        }
        close(pipeFDs.read)
    }

    private func handle(_ signal: Int32) {
        lock.lock()
        let phase = self.phase
        var secondInterrupt = false
        if signal == SIGINT, case .running = phase {
            secondInterrupt = cancelled
            cancelled = true
        }
        let alreadyTerminating = terminating != nil
        if signal == SIGTERM || signal == SIGHUP, case .running = phase, !alreadyTerminating { terminating = signal }
        lock.unlock()
        if secondInterrupt {
            // The first Ctrl-C did not stop the command (a read that cannot be cancelled,
            // say): this one ends cfsh, as it would end a script.
            terminal.restore()
            var newline = UInt8(ascii: "\n")
            _ = write(STDERR_FILENO, &newline, 1)
            _exit(128 + SIGINT)
        }
        switch (signal, phase) {
        case (SIGINT, .reading(let wakeups)):
            wakeups.interrupt()
        case (SIGINT, .running(let cancel)):
            // The terminal echoed "^C"; what the command says next gets a line of its own.
            var newline = UInt8(ascii: "\n")
            _ = write(STDERR_FILENO, &newline, 1)
            cancel()
        case (SIGWINCH, .reading(let wakeups)):
            wakeups.resized()
        case (SIGTSTP, .reading(let wakeups)):
            wakeups.suspend()
        case (SIGTSTP, _):
            // The terminal is in its normal mode while a command runs.
            kill(getpid(), SIGSTOP)
        case (SIGTERM, .running(let cancel)) where !alreadyTerminating,
            (SIGHUP, .running(let cancel)) where !alreadyTerminating:
            cancel()
        case (SIGTERM, _), (SIGHUP, _):
            terminal.restore()
            _exit(128 + signal)
        default:
            break
        }
    }
}

/// Thread-safe requests to a line editor that is waiting for a key.
public struct EditorWakeups: Sendable {
    public var interrupt: @Sendable () -> Void
    public var resized: @Sendable () -> Void
    public var suspend: @Sendable () -> Void

    public init(
        interrupt: @escaping @Sendable () -> Void, resized: @escaping @Sendable () -> Void,
        suspend: @escaping @Sendable () -> Void
    ) {
        self.interrupt = interrupt
        self.resized = resized
        self.suspend = suspend
    }

    public static let none = EditorWakeups(interrupt: {}, resized: {}, suspend: {})
}

// Written once by `install()` before any handler can run, then only read by
// the handler; an Int32 read is async-signal-safe.
nonisolated(unsafe) private var signalPipeWriteFD: Int32 = -1

private func forwardSignal(_ signal: Int32) {
    let saved = errno
    var byte = UInt8(truncatingIfNeeded: signal)
    _ = write(signalPipeWriteFD, &byte, 1)
    errno = saved
}
