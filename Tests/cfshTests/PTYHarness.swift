import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The built `cfsh` running in a real pseudo-terminal: a tmux pane of a tmux
/// server of its own. Tests type keys with `send-keys` and read the screen as
/// tmux's terminal emulator drew it (`capture-pane`), so cursor movement and
/// redraws are applied exactly as a user would see them.
final class PTYSession: @unchecked Sendable {
    // Immutable after init; tmux serialises the commands sent to it.
    let socket: String
    let home: String
    let stateHome: String
    private let ownsHome: Bool
    private let configPath: String
    /// The tmux server and the process in its pane (cfsh, or bash), once known: ended in `deinit`.
    private var serverPID: pid_t = 0
    private var panePID: pid_t = 0

    /// Starts `cfsh` with HOME and XDG_STATE_HOME in a fresh temporary folder
    /// (or `home`, to share a history between sessions), in a `width`×30 terminal (100 wide
    /// unless told).
    /// - Parameters:
    ///   - home: HOME for cfsh; a new temporary folder (removed afterwards) when `nil`.
    ///   - directory: the working folder; `home` when `nil`.
    ///   - environment: added to the minimal environment.
    ///   - shell: start an interactive bash (prompt `$`) instead of cfsh, for job control.
    init(
        home: String? = nil, directory: String? = nil, environment: [String: String] = [:],
        arguments: [String] = [], shell: Bool = false, width: Int = 100
    ) throws {
        guard FileManager.default.isExecutableFile(atPath: Self.tmux) else {
            Issue.record("tmux is not installed (scripts/setup-deps installs it)")
            throw CancellationError()
        }
        let binary = CFSHBinary.path
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            Issue.record("no cfsh binary at \(binary): build it with 'swift build', or set CFSH_BIN")
            throw CancellationError()
        }
        let base =
            home
            ?? FileManager.default.temporaryDirectory
            .appendingPathComponent("cfsh-pty-\(UUID().uuidString.prefix(8))").path
        self.home = base
        self.ownsHome = home == nil
        self.stateHome = base + "/state"
        self.socket = "cfsh-pty-\(UUID().uuidString.prefix(12))"
        self.configPath = base + "/tmux.conf"
        try FileManager.default.createDirectory(atPath: stateHome, withIntermediateDirectories: true)
        // No status bar, so the screen is only cfsh; keep the pane after cfsh
        // exits so its last screen and exit status can be checked.
        try Data("set -g status off\nset -g remain-on-exit on\nset -g history-limit 5000\n".utf8)
            .write(to: URL(fileURLWithPath: configPath))

        var env = [
            "HOME": base, "XDG_STATE_HOME": stateHome, "TERM": "xterm-256color", "PATH": "/usr/bin:/bin",
            "LANG": "C.UTF-8",
        ]
        env.merge(environment) { _, new in new }
        if shell { env["PS1"] = "$ " }
        let program = shell ? ["/bin/bash", "--norc", "--noprofile", "-i"] : [binary] + arguments
        let command =
            ["/usr/bin/env", "-i"] + env.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
            + program
        try tmux(
            [
                "-f", configPath, "new-session", "-d", "-s", "cfsh", "-x", String(width), "-y", "30",
                "-c", directory ?? base,
            ] + command)
        let pids = try tmux(["display-message", "-p", "#{pid} #{pane_pid}"]).split(separator: " ")
        if pids.count == 2 {
            serverPID = pid_t(pids[0].trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
            panePID = pid_t(pids[1].trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
        }
    }

    deinit {
        _ = try? tmux(["kill-server"])
        // kill-server hangs up the pane, but a cfsh still in a command (or bash's job) can
        // outlive it, and the tmux server then stays too: end both, so that no test leaves
        // processes behind.
        for signal in [SIGHUP, SIGKILL] where serverPID > 0 && Self.parent(of: panePID) == serverPID {
            kill(panePID, signal)
            if signal == SIGHUP { usleep(100_000) }
        }
        // The server itself, if it is still this session's (its command line names our socket).
        if serverPID > 0, let command = FileManager.default.contents(atPath: "/proc/\(serverPID)/cmdline"),
            String(decoding: command, as: UTF8.self).contains(socket)
        {
            kill(serverPID, SIGKILL)
        }
        if ownsHome { try? FileManager.default.removeItem(atPath: home) }
    }

    static let tmux = "/usr/bin/tmux"

    /// The parent of process `pid` (from /proc), or 0: pids are reused, so a pid is signalled
    /// only while it is still the tmux server's child.
    private static func parent(of pid: pid_t) -> pid_t {
        guard pid > 0, let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let end = stat.lastIndex(of: ")")
        else { return 0 }
        let fields = stat[stat.index(after: end)...].split(separator: " ")
        return fields.count > 1 ? pid_t(fields[1]) ?? 0 : 0
    }

    /// Types `text` literally (no key names are interpreted).
    func type(_ text: String) throws {
        // "--" so that text starting with '-' is not read as options of send-keys.
        try tmux(["send-keys", "-t", "cfsh", "-l", "--", text])
    }

    /// Presses keys by tmux name: `Enter`, `Tab`, `Up`, `C-c`, `C-d`, `C-z`.
    func press(_ keys: String...) throws {
        try tmux(["send-keys", "-t", "cfsh"] + keys)
    }

    /// Types `text`, then Enter.
    func enter(_ text: String) throws {
        try type(text)
        try press("Enter")
    }

    /// The visible screen, trailing blank lines removed; with `escapes`, the
    /// colour and attribute sequences tmux would draw it with are kept.
    func screen(escapes: Bool = false) throws -> String {
        let text = try tmux(["capture-pane", "-p", "-t", "cfsh"] + (escapes ? ["-e"] : []))
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map {
            String($0.reversed().drop { $0 == " " }.reversed())
        }
        while lines.last?.isEmpty == true { lines.removeLast() }
        return lines.joined(separator: "\n")
    }

    /// The screen's last non-blank line: usually the prompt and what follows it.
    func lastLine() throws -> String {
        try screen().split(separator: "\n").last.map(String.init) ?? ""
    }

    /// Waits until `condition` holds for the screen, and returns that screen.
    @discardableResult
    func waitForScreen(
        _ what: String, timeout: Duration = .seconds(15), sourceLocation: SourceLocation = #_sourceLocation,
        _ condition: (String) -> Bool
    ) async throws -> String {
        let deadline = ContinuousClock.now + timeout
        var screen = try self.screen()
        while !condition(screen) {
            guard ContinuousClock.now < deadline else {
                Issue.record(
                    "timed out waiting for \(what); the screen was:\n\(screen)", sourceLocation: sourceLocation)
                throw CancellationError()
            }
            try await Task.sleep(for: .milliseconds(50))
            screen = try self.screen()
        }
        return screen
    }

    /// Waits until the screen contains `text`.
    @discardableResult
    func waitFor(
        _ text: String, timeout: Duration = .seconds(15), sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> String {
        try await waitForScreen("'\(text)'", timeout: timeout, sourceLocation: sourceLocation) { $0.contains(text) }
    }

    /// Waits until the last line is exactly `line` (a prompt with nothing typed, say).
    @discardableResult
    func waitForLastLine(
        _ line: String, timeout: Duration = .seconds(15), sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> String {
        try await waitForScreen("a last line of '\(line)'", timeout: timeout, sourceLocation: sourceLocation) {
            $0.split(separator: "\n").last.map(String.init) == line
        }
    }

    /// The exit status once cfsh has ended, or `nil` while it runs.
    func exitStatus() throws -> Int32? {
        func query() throws -> (dead: Bool, status: Int32?) {
            let fields = try tmux(["display-message", "-p", "-t", "cfsh", "#{pane_dead}:#{pane_dead_status}"])
                .trimmingCharacters(in: .whitespacesAndNewlines)
                .split(separator: ":", omittingEmptySubsequences: false)
            return (fields.first == "1", fields.count > 1 ? Int32(fields[1]) : nil)
        }
        guard try query().dead else { return nil }
        // tmux 3.3 leaves the status empty when it is 0, and may mark the pane dead a
        // moment before it records the status: ask again before reading empty as 0.
        for _ in 0..<20 {
            if let status = try query().status { return status }
            usleep(50_000)
        }
        return 0
    }

    /// Waits for cfsh to end and returns its exit status.
    func waitForExit(timeout: Duration = .seconds(15)) async throws -> Int32 {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let status = try exitStatus() { return status }
            try await Task.sleep(for: .milliseconds(50))
        }
        Issue.record("cfsh did not exit; the screen was:\n\(try screen())")
        throw CancellationError()
    }

    /// The history file as cfsh wrote it, or `nil` when there is none.
    var historyFile: String? {
        FileManager.default.contents(atPath: stateHome + "/cfsh/history").map { String(decoding: $0, as: UTF8.self) }
    }

    /// Runs tmux with `arguments` and returns what it printed. posix_spawn and
    /// waitpid rather than Foundation's Process: its exit notification never came for
    /// the tmux client that starts the server, and the test hung.
    @discardableResult
    private func tmux(_ arguments: [String]) throws -> String {
        // Only commands that print get a pipe: the server that new-session starts would
        // inherit it and keep it open for good.
        let prints = ["capture-pane", "display-message"].contains(arguments.first ?? "")
        var fds: [Int32] = [-1, -1]
        if prints {
            guard pipe(&fds) == 0 else { throw PTYError("pipe failed") }
            for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        if prints {
            posix_spawn_file_actions_adddup2(&actions, fds[1], 1)
        } else {
            posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        }
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let argv: [UnsafeMutablePointer<CChar>?] = ([Self.tmux, "-L", socket] + arguments).map { strdup($0) } + [nil]
        let environment = ["PATH=/usr/bin:/bin", "TMUX_TMPDIR=" + FileManager.default.temporaryDirectory.path]
        let envp: [UnsafeMutablePointer<CChar>?] = environment.map { strdup($0) } + [nil]
        defer {
            for pointer in argv { free(pointer) }
            for pointer in envp { free(pointer) }
        }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, Self.tmux, &actions, nil, argv, envp)
        if prints { close(fds[1]) }
        guard spawned == 0 else {
            if prints { close(fds[0]) }
            throw PTYError("cannot start tmux: \(String(cString: strerror(spawned)))")
        }
        var data = Data()
        if prints {
            var buffer = [UInt8](repeating: 0, count: 65536)
            while true {
                let count = read(fds[0], &buffer, buffer.count)
                if count > 0 {
                    data.append(contentsOf: buffer[0..<count])
                } else if count == 0 || errno != EINTR {
                    break
                }
            }
            close(fds[0])
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        return String(decoding: data, as: UTF8.self)
    }
}

struct PTYError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
