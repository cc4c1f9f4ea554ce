import CFShellLanguage
import Foundation

/// `lls`: list local files: the working folder, the folders named, or the files a pattern matches.
enum LocalList: Builtin {
    static let spec = CommandSpec(
        "lls", "[-l] [-h] [--json] [PATTERN…]",
        summary: "List local files: the working folder, the folders named, or the files a pattern matches.",
        details:
            "Folders are shown with a trailing '/'; a folder's names starting with '.' are hidden. A pattern's '*' matches a leading '.' too, and '**' any depth.",
        options: [CommandSpec.Option("-l", "--long", help: "size and date"), CommonOptions.human, CommonOptions.json])

    static func completion(at position: Int) -> CompletionSlots.Slot {
        .local(foldersOnly: false)
    }

    static func run(_ arguments: ParsedArguments<Argument>, in shell: isolated Shell) async throws {
        var entries: [(shown: String, absolute: String)] = []
        if arguments.operands.isEmpty {
            entries = directoryEntries(shell.localDirectory, shownAs: "")
        }
        for operand in arguments.operands {
            if let pattern = operand.pattern {
                let matches = shell.expandLocalGlob(pattern)
                if matches.isEmpty && !arguments.has("--json") {
                    throw ShellError.failure("nothing matches '\(operand.text)'")
                }
                entries += matches.map { ($0, shell.localPath($0)) }
                continue
            }
            let path = shell.localPath(operand.text)
            if shell.isDirectory(path) {
                let shown = operand.text.hasSuffix("/") ? operand.text : operand.text + "/"
                entries += directoryEntries(path, shownAs: shown)
            } else if FileManager.default.fileExists(atPath: path) {
                entries.append((operand.text, path))
            } else {
                throw ShellError.failure("no such file or folder '\(operand.text)'")
            }
        }
        let human = arguments.has("-h")
        if arguments.has("--json") {
            let items = entries.map { entry -> JSONValue in
                let attributes = try? FileManager.default.attributesOfItem(atPath: entry.absolute)
                let folder = shell.isDirectory(entry.absolute)
                return .object([
                    ("path", .string(entry.shown + (folder && !entry.shown.hasSuffix("/") ? "/" : ""))),
                    ("type", .string(folder ? "folder" : "file")),
                    ("bytes", .int(fileSize(attributes))),
                    ("file_modified", Format.isoDate(attributes?[.modificationDate] as? Date)),
                ])
            }
            shell.stdout.line(JSONValue.array(items).pretty())
            return
        }
        let shown = entries.map { entry in
            shell.isDirectory(entry.absolute) && !entry.shown.hasSuffix("/") ? entry.shown + "/" : entry.shown
        }
        guard arguments.has("-l") else {
            for name in shown { shell.stdout.line(name) }
            return
        }
        let rows = zip(entries, shown).map { entry, name -> [String] in
            let attributes = try? FileManager.default.attributesOfItem(atPath: entry.absolute)
            let size = shell.isDirectory(entry.absolute) ? "-" : Format.size(fileSize(attributes), human: human)
            return [size, Format.date(attributes?[.modificationDate] as? Date), name]
        }
        for line in Format.table(rows, rightAligned: [0]) { shell.stdout.line(line) }
    }

    /// The visible entries of a folder, sorted, shown under `shownAs`.
    private static func directoryEntries(_ path: String, shownAs prefix: String) -> [(shown: String, absolute: String)]
    {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).filter { !$0.hasPrefix(".") }
        let base = path.hasSuffix("/") ? path : path + "/"
        return names.sorted().map { (prefix + $0, base + $0) }
    }
}
