#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The REPL's history file: one entry per line, oldest first, at most `limit`
/// entries, readable by its owner only (mode 0600, in a 0700 folder).
///
/// Entries are appended as they are run, so two sessions at once interleave
/// rather than overwrite each other; the file is cut back to `limit` when it
/// is loaded. An entry spanning lines (a `{ … }` block) is stored on one line
/// with `\n` for its line breaks and `\\` for a backslash.
public struct HistoryFile: Sendable {
    public let path: String
    public let limit: Int

    public init(path: String, limit: Int = 1000) {
        self.path = path
        self.limit = max(1, limit)
    }

    /// `$XDG_STATE_HOME/cfsh/history`, else `~/.local/state/cfsh/history`;
    /// `nil` when neither variable gives an absolute folder.
    public static func defaultPath(environment: [String: String]) -> String? {
        if let state = environment["XDG_STATE_HOME"], state.hasPrefix("/") {
            return state + "/cfsh/history"
        }
        guard let home = environment["HOME"], home.hasPrefix("/") else { return nil }
        return home + "/.local/state/cfsh/history"
    }

    /// The saved entries, oldest first; none when the file does not exist yet.
    /// A file holding more than `limit` entries is cut back to the newest ones.
    public func load() throws(HistoryFileError) -> [String] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            if errno == ENOENT { return [] }
            throw HistoryFileError(path: path, action: "read", code: errno)
        }
        defer { close(fd) }
        var data: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw HistoryFileError(path: path, action: "read", code: errno)
            }
            if count == 0 { break }
            data += chunk[..<count]
        }
        var entries = data.split(separator: UInt8(ascii: "\n")).map {
            Self.decode(String(decoding: $0, as: UTF8.self))
        }
        if entries.count > limit {
            entries.removeFirst(entries.count - limit)
            try rewrite(entries)
        }
        return entries
    }

    /// Adds one entry at the end of the file, creating it (and its folder) if needed.
    public func append(_ entry: String) throws(HistoryFileError) {
        try makeFolder()
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw HistoryFileError(path: path, action: "write", code: errno) }
        defer { close(fd) }
        // An older or hand-made file may be readable by others: tighten it.
        _ = fchmod(fd, 0o600)
        try writeAll(fd, Self.encode(entry) + "\n")
    }

    /// Replaces the file with `entries`, atomically, so a crash never leaves it half written.
    public func rewrite(_ entries: [String]) throws(HistoryFileError) {
        try makeFolder()
        let temporary = path + ".\(getpid()).tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw HistoryFileError(path: path, action: "write", code: errno) }
        do {
            try writeAll(fd, entries.map { Self.encode($0) + "\n" }.joined())
        } catch {
            close(fd)
            unlink(temporary)
            throw error
        }
        close(fd)
        guard rename(temporary, path) == 0 else {
            let code = errno
            unlink(temporary)
            throw HistoryFileError(path: path, action: "write", code: code)
        }
    }

    private func makeFolder() throws(HistoryFileError) {
        var folder = ""
        for component in path.split(separator: "/").dropLast() {
            folder += "/" + component
            if mkdir(folder, 0o700) != 0, errno != EEXIST {
                throw HistoryFileError(path: path, action: "create the folder of", code: errno)
            }
        }
    }

    private func writeAll(_ fd: Int32, _ text: String) throws(HistoryFileError) {
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR { continue }
                throw HistoryFileError(path: path, action: "write", code: errno)
            }
            bytes = bytes.dropFirst(written)
        }
    }

    static func encode(_ entry: String) -> String {
        var line = ""
        for scalar in entry.unicodeScalars {
            switch scalar {
            case "\\": line += "\\\\"
            case "\n": line += "\\n"
            case "\r": line += "\\r"
            default: line.unicodeScalars.append(scalar)
            }
        }
        return line
    }

    static func decode(_ line: String) -> String {
        var entry = ""
        var escaped = false
        for scalar in line.unicodeScalars {
            if escaped {
                switch scalar {
                case "n": entry += "\n"
                case "r": entry += "\r"
                default: entry.unicodeScalars.append(scalar)
                }
                escaped = false
            } else if scalar == "\\" {
                escaped = true
            } else {
                entry.unicodeScalars.append(scalar)
            }
        }
        return entry
    }
}

/// A history file that could not be read or written. The REPL shows it as a
/// warning and carries on: history is a convenience, never a reason to stop.
public struct HistoryFileError: Error, Sendable, Equatable, CustomStringConvertible {
    public var path: String
    public var action: String
    public var code: Int32

    public var description: String {
        "cannot \(action) the history file \(path): \(String(cString: strerror(code)))"
    }
}
