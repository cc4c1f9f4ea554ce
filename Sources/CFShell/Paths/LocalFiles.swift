import CFShellLanguage
import Foundation

/// Local paths: resolved against the shell's own working folder (never the
/// process's, so shells in one process stay apart), `~` expanded, and globbed.
extension Shell {
    /// The absolute, standardised form of a local path as a user typed it.
    func localPath(_ text: String) -> String {
        var text = text
        if text == "~" || text.hasPrefix("~/") {
            let home = configuration.environment["HOME"] ?? NSHomeDirectory()
            text = home + text.dropFirst()
        }
        let absolute = text.hasPrefix("/") ? text : localDirectory + "/" + text
        var standardized = URL(fileURLWithPath: absolute).standardizedFileURL.path
        if text.hasSuffix("/") && !standardized.hasSuffix("/") { standardized += "/" }
        return standardized
    }

    /// The paths a local glob matches, written the way the pattern was
    /// (relative stays relative), sorted. `*` does not match a leading `.`.
    func expandLocalGlob(_ pattern: GlobPattern) -> [String] {
        let text = pattern.description
        var components = text.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        var results: [(shown: String, absolute: String)]
        if text.hasPrefix("/") {
            results = [("/", "/")]
            components.removeFirst()
        } else if text == "~" || text.hasPrefix("~/") {
            let home = configuration.environment["HOME"] ?? NSHomeDirectory()
            results = [("~/", home + "/")]
            components.removeFirst()
        } else {
            results = [("", localDirectory + "/")]
        }
        for (index, component) in components.enumerated() {
            let isLast = index == components.count - 1
            if component.isEmpty {
                if isLast { results = results.filter { isDirectory($0.absolute) } }
                continue
            }
            let glob = GlobPattern(component)
            var next: [(String, String)] = []
            for (shown, absolute) in results {
                if !glob.hasWildcards {
                    let name = glob.literalPrefix
                    next.append((shown + name + (isLast ? "" : "/"), absolute + name + (isLast ? "" : "/")))
                    continue
                }
                let entries = (try? FileManager.default.contentsOfDirectory(atPath: absolute)) ?? []
                for entry in entries.sorted() where glob.matches(entry) {
                    if entry.hasPrefix(".") && !component.hasPrefix(".") { continue }
                    next.append((shown + entry + (isLast ? "" : "/"), absolute + entry + (isLast ? "" : "/")))
                }
            }
            results = next
        }
        return results.filter { FileManager.default.fileExists(atPath: $0.absolute) }.map(\.shown)
    }

    func isDirectory(_ absolutePath: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: absolutePath, isDirectory: &isDirectory) && isDirectory.boolValue
    }
}

/// A file's size from its attributes, which Foundation reports as NSNumber or UInt64.
func fileSize(_ attributes: [FileAttributeKey: Any]?) -> Int64 {
    if let number = attributes?[.size] as? NSNumber { return number.int64Value }
    if let number = attributes?[.size] as? UInt64 { return Int64(number) }
    return 0
}
