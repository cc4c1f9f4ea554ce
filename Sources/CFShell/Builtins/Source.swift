import CFShellLanguage
import Foundation

/// `source`: run the statements of FILE here, sharing variables and folders.
enum Source: Builtin {
    static let spec = CommandSpec(
        "source", "FILE [ARG…]", summary: "Run the statements of FILE here, sharing variables and folders.",
        details: "With ARGs, FILE sees them as $1, $2, …; without, it sees the current ones.",
        operands: 1...Int.max)

    static func completion(at position: Int) -> CompletionSlots.Slot {
        .local(foldersOnly: false)
    }

    static func run(_ arguments: ParsedArguments<Argument>, in shell: isolated Shell) async throws {
        let path = shell.localPath(arguments.operands[0].text)
        guard shell.sourceDepth < 32 else { throw ShellError.failure("'source' is nested too deeply (32 files)") }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ShellError.failure("cannot read '\(arguments.operands[0].text)'")
        }
        let text = String(decoding: data, as: UTF8.self)
        let file = arguments.operands[0].text
        shell.sources[file] = text
        let script: Script
        do {
            script = try Shell.language.read(text, file: file)
        } catch {
            throw ShellError.usage(error.message, at: error.location)
        }
        let savedArguments = shell.arguments
        let savedName = shell.scriptName
        if arguments.operands.count > 1 {
            shell.arguments = arguments.operands.dropFirst().map(\.text)
            shell.scriptName = file
        }
        shell.sourceDepth += 1
        defer {
            shell.sourceDepth -= 1
            shell.arguments = savedArguments
            shell.scriptName = savedName
        }
        try await shell.execute(script.statements)
    }
}
