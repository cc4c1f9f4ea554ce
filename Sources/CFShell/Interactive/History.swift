import CloudFiles

/// The REPL's history file: one entry per line, oldest first, at most `limit`
/// entries, readable by its owner only (mode 0600, in a 0700 folder). Like the token
/// cache it is a ``PrivateFile``: never used in a folder others may write to, never
/// opened through a symlink, and rewritten through a fresh temporary file.
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
    /// A file in a folder others may write to, a symlink, or someone else's file is refused.
    public func load() throws(HistoryFileError) -> [String] {
        let data: [UInt8]
        do {
            try PrivateFile.checkFolderIfPresent(folder)
            guard let bytes = try PrivateFile.contents(path, privateOnly: false) else { return [] }
            data = bytes
        } catch {
            throw HistoryFileError(path: path, action: "read", reason: error.reason)
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
        do {
            // An older or hand-made file may be readable by others: append tightens it to 0600.
            try PrivateFile.append(path, Array((Self.encode(entry) + "\n").utf8))
        } catch {
            throw HistoryFileError(path: path, action: "write", reason: error.reason)
        }
    }

    /// Replaces the file with `entries`, atomically, so a crash never leaves it half written.
    public func rewrite(_ entries: [String]) throws(HistoryFileError) {
        try makeFolder()
        do {
            try PrivateFile.replace(path, with: Array(entries.map { Self.encode($0) + "\n" }.joined().utf8))
        } catch {
            throw HistoryFileError(path: path, action: "write", reason: error.reason)
        }
    }

    private func makeFolder() throws(HistoryFileError) {
        do {
            try PrivateFile.prepareFolder(folder)
        } catch {
            throw HistoryFileError(path: path, action: "create the folder of", reason: error.reason)
        }
    }

    private var folder: String {
        guard let slash = path.utf8.lastIndex(of: UInt8(ascii: "/")) else { return "." }
        let folder = String(path[..<slash])
        return folder.isEmpty ? "/" : folder
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
    /// What was wrong, naming the file or folder at fault.
    public var reason: String

    public var description: String {
        "cannot \(action) the history file \(path): \(reason)"
    }
}
