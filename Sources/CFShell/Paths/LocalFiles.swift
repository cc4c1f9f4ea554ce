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
    /// (relative stays relative), sorted. `*` matches a leading `.` too, as in rclone and
    /// mc: `data/*` names every file of the folder, dotfiles included. From a level holding
    /// `**`, the rest of the pattern is matched against every path below (symbolic links to
    /// folders are not walked into): files for a pattern that does not end in `/`, folders
    /// for one that does.
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
            if glob.crossesFolders {
                let rest = GlobPattern(components[index...].joined(separator: "/"))
                let wantsFolders = text.hasSuffix("/")
                var next: [(String, String)] = []
                for (shown, absolute) in results {
                    var entries: [(relative: String, isFolder: Bool)] = []
                    walk(absolute, into: &entries)
                    for entry in entries where entry.isFolder == wantsFolders {
                        let candidate = entry.relative + (entry.isFolder ? "/" : "")
                        if rest.matches(candidate) { next.append((shown + candidate, absolute + candidate)) }
                    }
                }
                results = next
                break
            }
            var next: [(String, String)] = []
            for (shown, absolute) in results {
                if !glob.hasWildcards {
                    let name = glob.literalPrefix
                    next.append((shown + name + (isLast ? "" : "/"), absolute + name + (isLast ? "" : "/")))
                    continue
                }
                let entries = (try? FileManager.default.contentsOfDirectory(atPath: absolute)) ?? []
                for entry in entries.sorted() where glob.matches(entry) {
                    next.append((shown + entry + (isLast ? "" : "/"), absolute + entry + (isLast ? "" : "/")))
                }
            }
            results = next
        }
        return results.filter { FileManager.default.fileExists(atPath: $0.absolute) }.map(\.shown)
    }

    /// Every path below `folder` (which ends in `/`), relative to it, sorted depth first;
    /// symbolic links to folders are listed but not walked into, so a loop cannot recur.
    private func walk(
        _ folder: String, below relative: String = "", into entries: inout [(relative: String, isFolder: Bool)],
        depth: Int = 0
    ) {
        guard depth < 256, let names = try? FileManager.default.contentsOfDirectory(atPath: folder + relative)
        else { return }
        for name in names.sorted() {
            let path = relative + name
            let isFolder = isDirectory(folder + path)
            entries.append((path, isFolder))
            let isLink =
                (try? FileManager.default.attributesOfItem(atPath: folder + path))?[.type] as? FileAttributeType
                == .typeSymbolicLink
            if isFolder && !isLink { walk(folder, below: path + "/", into: &entries, depth: depth + 1) }
        }
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
