import CFShellLanguage
import Foundation

/// Where scripts, `-c` text and `source`d files start: read the whole text (a mistake
/// anywhere runs nothing), then evaluate it.
extension Shell {
    /// Parses `source` whole, checks it, then runs it.
    /// - Returns: the exit status: 0, 1 when a command failed, 2 for a syntax or
    ///   usage error, 130 after Ctrl-C, 128 + the signal after SIGTERM or SIGHUP (which
    ///   also end an interactive loop), or the status given to `exit`.
    public func run(source: String, file: String) async -> Int32 {
        guard let script = readReporting(source, file: file) else { return 2 }
        let (status, signal) = await Interrupts.run { await self.runChecked(script) }
        guard let signal, signal != SIGINT else { return status }
        // SIGTERM or SIGHUP: the command stopped cleanly; the rest of the run does not start.
        exitRequested = true
        return 128 + signal
    }

    /// Reads a script from `path` (`-` for standard input) and runs it.
    public func runFile(_ path: String) async -> Int32 {
        let source: String
        if path == "-" {
            source = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
        } else {
            guard let data = FileManager.default.contents(atPath: path) else {
                stderr.line("cfsh: cannot read the script '\(path)'")
                stderr.flush()
                return 2
            }
            source = String(decoding: data, as: UTF8.self)
        }
        return await run(source: source, file: path == "-" ? "<stdin>" : path)
    }

    /// The file name of entries typed at the prompt: their errors carry no `file:line:col:`.
    static let promptFile = "<prompt>"

    /// Parses and checks `source` (see `Language.read`), reporting a mistake with its line
    /// and a caret; `nil` after a mistake.
    func readReporting(_ source: String, file: String) -> Script? {
        sources[file] = source
        do {
            return try Self.language.read(source, file: file)
        } catch {
            stderr.line(
                error.diagnostic.rendered(
                    source: source, redacting: Self.language.redaction.redact,
                    showingLocation: file != Self.promptFile))
            stderr.flush()
            return nil
        }
    }
}
