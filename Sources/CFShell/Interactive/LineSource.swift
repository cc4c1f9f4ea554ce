/// Where the interactive loop gets its lines: plain standard input here, and
/// the libedit line editor (in `LineEditing`) when stdin is a terminal.
///
/// The loop asks for one line at a time and joins lines itself until they
/// make a complete statement, so an implementation never needs to know the
/// language.
public protocol LineSource {
    /// Reads one line, without its line break.
    /// - Parameters:
    ///   - prompt: what an interactive source shows before the line.
    ///   - continuation: `true` when the line continues an unfinished statement
    ///     (an open `{` or a trailing `\`).
    /// - Returns: the line, or `nil` at the end of the input (Ctrl-D).
    mutating func readLine(prompt: String, continuation: Bool) -> String?

    /// Called with each complete entry the loop is about to run, so an editor can add it to its history.
    mutating func record(entry: String)
}

extension LineSource {
    public mutating func record(entry: String) {}
}

/// Reads lines from standard input, shows no prompt and keeps no history: what `cfsh` uses
/// on a terminal without line editing (`TERM=dumb`, as in an editor's shell buffer). Input
/// that is not a terminal is no session but a script, run as `cfsh run -` runs one.
public struct StandardInputLineSource: LineSource {
    public init() {}

    public mutating func readLine(prompt: String, continuation: Bool) -> String? {
        Swift.readLine(strippingNewline: true)
    }
}

/// The loop for a person at a terminal without line editing (`TERM=dumb`): no prompt, no
/// editing, and a failure does not end the session. A terminal with editing gets the `REPL`;
/// input that is not a terminal (a pipe, a file, cron) is a script, run by `runFile("-")`, so
/// that its first failure stops it.
extension Shell {
    /// Reads statements from `lines`, running each entry once it is complete (no
    /// open `{`, no trailing `\`). An error is reported and the loop goes on.
    /// - Returns: the status of the last entry, or the one given to `exit`.
    nonisolated public func runInteractive<Lines: LineSource>(lines: inout Lines) async -> Int32 {
        await setInteractive()
        var status: Int32 = 0
        var entry = ""
        var lineNumber = 0
        while let line = lines.readLine(prompt: entry.isEmpty ? "cfsh> " : "...> ", continuation: !entry.isEmpty) {
            lineNumber += 1
            entry = entry.isEmpty ? line : entry + "\n" + line
            do {
                _ = try Self.language.parse(entry, file: "<stdin>")
            } catch let error where error.isIncompleteInput {
                continue
            } catch {
                // Reported by run(source:file:) below, with the same text.
            }
            lines.record(entry: entry)
            let (entryStatus, exited) = await runPipedEntry(entry)
            entry = ""
            status = entryStatus
            if exited { return status }
        }
        if !entry.isEmpty { status = await runPipedEntry(entry).status }
        return status
    }

    private func setInteractive() { isInteractive = true }

    /// Runs one interactive entry; `exited` when it ran `exit`.
    private func runPipedEntry(_ entry: String) async -> (status: Int32, exited: Bool) {
        exitRequested = false
        let status = await run(source: entry, file: "<stdin>")
        return (status, exitRequested)
    }
}
