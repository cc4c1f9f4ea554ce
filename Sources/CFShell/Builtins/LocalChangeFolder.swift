import CFShellLanguage
import Foundation

/// `lcd`: change the local working folder (your home folder without DIR).
enum LocalChangeFolder: Builtin {
    static let spec = CommandSpec(
        "lcd", "[DIR]", summary: "Change the local working folder (your home folder without DIR).",
        operands: 0...1)

    static func completion(at position: Int) -> CompletionSlots.Slot {
        .local(foldersOnly: true)
    }

    static func run(_ arguments: ParsedArguments<Argument>, in shell: isolated Shell) async throws {
        let text = arguments.operands.first?.text ?? "~"
        let path = shell.localPath(text)
        guard shell.isDirectory(path) else {
            throw ShellError.failure(
                FileManager.default.fileExists(atPath: path) ? "'\(text)' is not a folder" : "no folder '\(text)'")
        }
        shell.localDirectory = path.count > 1 && path.hasSuffix("/") ? String(path.dropLast()) : path
    }
}
