/// The history of one REPL session: what the up arrow recalls and what the
/// `history` command lists, mirrored to the history file when there is one.
/// Every entry is redacted before it is kept anywhere, memory included.
final class REPLHistory {
    private let file: HistoryFile?
    private let limit: Int
    private(set) var entries: [String] = []
    /// After one failure the file is left alone, so the warning shows once.
    private var fileFailed = false

    init(file: HistoryFile?, limit: Int = 1000) {
        self.file = file
        self.limit = file?.limit ?? limit
    }

    /// Reads the file; a failure is a warning and an empty history.
    func load() -> (entries: [String], warning: String?) {
        guard let file else { return ([], nil) }
        do {
            entries = try file.load()
            return (entries, nil)
        } catch {
            fileFailed = true
            return ([], error.description + "; history will not be saved")
        }
    }

    /// Keeps `entry`, redacted; returns what was kept and a warning if the file failed.
    func record(_ entry: String) -> (entry: String, warning: String?) {
        let redacted = Shell.language.redaction.redact(entry)
        guard entries.last != redacted else { return (redacted, nil) }
        entries.append(redacted)
        if entries.count > limit { entries.removeFirst(entries.count - limit) }
        guard let file, !fileFailed else { return (redacted, nil) }
        do {
            try file.append(redacted)
            return (redacted, nil)
        } catch {
            fileFailed = true
            return (redacted, error.description + "; history will not be saved")
        }
    }

    /// The output of `history` (numbered entries), `history N` (the last N) or
    /// `history -c` (forget everything); `nil` when `entry` is not one of those.
    func command(_ entry: String) -> String? {
        let words = entry.split(whereSeparator: { $0 == " " || $0 == "\t" })
        guard words.first == "history", words.count <= 2 else { return nil }
        var shown = entries.dropLast()  // the `history` just typed
        if words.count == 2 {
            if words[1] == "-c" {
                entries.removeAll()
                if let file, !fileFailed { try? file.rewrite([]) }
                return ""
            }
            guard let count = Int(words[1]), count >= 0 else { return nil }
            shown = shown.suffix(count)
        }
        let width = String(entries.count).count
        return shown.enumerated().map { offset, text in
            let number = String(shown.startIndex + offset + 1)
            let indented = text.split(separator: "\n", omittingEmptySubsequences: false)
                .joined(separator: "\n" + String(repeating: " ", count: width + 2))
            return String(repeating: " ", count: width - number.count) + number + "  " + indented + "\n"
        }.joined()
    }
}
