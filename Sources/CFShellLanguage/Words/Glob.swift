/// A glob pattern: `*` (any run of characters), `?` (one character) and
/// `[…]` (one of a set, `[!…]` or `[^…]` for none of it). None of them match
/// `/`, so they match within one level of a path, as in every shell. `**` is the
/// recursive wildcard (zsh, bash's globstar, rclone, mc): it matches any run,
/// `/` included, and `**/` at the start of a level matches zero or more whole
/// folders, so `**/*.sql` matches `a.sql` and `x/y/a.sql`. A `\` makes the next
/// character literal; quoted text reaches here escaped that way.
///
/// Patterns and names are compared as Unicode scalars, never as Characters: a `/`
/// followed by a combining mark is one grapheme, and `*` must still stop at that `/`.
public struct GlobPattern: Sendable, Equatable, CustomStringConvertible {
    public enum Element: Sendable, Equatable {
        case character(Unicode.Scalar)
        case anyRun
        /// `**`: any run of characters, `/` included.
        case anyPath
        /// `**/` at the start of a level: nothing, or any run ending in `/` (whole folders).
        case anyFolders
        case anyOne
        case set(members: [ClosedRange<Unicode.Scalar>], negated: Bool)
    }

    public let elements: [Element]
    /// The pattern as written, for messages.
    public let description: String

    public init(_ pattern: String) {
        description = pattern
        var elements: [Element] = []
        let characters = Array(pattern.unicodeScalars)
        var i = 0
        while i < characters.count {
            let c = characters[i]
            switch c {
            case "\\" where i + 1 < characters.count:
                elements.append(.character(characters[i + 1]))
                i += 2
                continue
            case "*":
                guard i + 1 < characters.count, characters[i + 1] == "*" else {
                    if elements.last != .anyRun { elements.append(.anyRun) }
                    break
                }
                var end = i + 2
                while end < characters.count, characters[end] == "*" { end += 1 }
                let startsLevel = elements.isEmpty || elements.last == .character("/") || elements.last == .anyFolders
                if startsLevel, end < characters.count, characters[end] == "/" {
                    elements.append(.anyFolders)
                    i = end + 1
                } else {
                    if elements.last != .anyPath { elements.append(.anyPath) }
                    i = end
                }
                continue
            case "?":
                elements.append(.anyOne)
            case "[":
                if let (set, end) = Self.parseSet(characters, from: i) {
                    elements.append(set)
                    i = end + 1
                    continue
                }
                elements.append(.character("["))
            default:
                elements.append(.character(c))
            }
            i += 1
        }
        self.elements = elements
    }

    /// `[…]` starting at `start`; `nil` when it is not closed, so `[` is then literal.
    private static func parseSet(_ characters: [Unicode.Scalar], from start: Int) -> (Element, Int)? {
        var i = start + 1
        var negated = false
        if i < characters.count, characters[i] == "!" || characters[i] == "^" {
            negated = true
            i += 1
        }
        var members: [ClosedRange<Unicode.Scalar>] = []
        var first = true
        while i < characters.count {
            var c = characters[i]
            if c == "]" && !first { return (.set(members: members, negated: negated), i) }
            first = false
            if c == "\\", i + 1 < characters.count {
                i += 1
                c = characters[i]
            }
            if i + 2 < characters.count, characters[i + 1] == "-", characters[i + 2] != "]" {
                let upper = characters[i + 2]
                members.append(c <= upper ? c...upper : upper...c)
                i += 3
            } else {
                members.append(c...c)
                i += 1
            }
        }
        return nil
    }

    /// Whether the pattern has any wildcard; a pattern without one names exactly one thing.
    public var hasWildcards: Bool {
        elements.contains { if case .character = $0 { false } else { true } }
    }

    /// Whether the pattern holds `**`, which matches across `/`: its matches may lie at any depth.
    public var crossesFolders: Bool {
        elements.contains { $0 == .anyPath || $0 == .anyFolders }
    }

    /// The text before the first wildcard: what a listing can ask the server for.
    public var literalPrefix: String {
        var prefix = ""
        for element in elements {
            guard case .character(let c) = element else { break }
            prefix.unicodeScalars.append(c)
        }
        return prefix
    }

    /// Whether `name` matches the whole pattern.
    public func matches(_ name: String) -> Bool {
        let text = Array(name.unicodeScalars)
        // reachable[j]: the elements so far can match text[..<j].
        var reachable = [Bool](repeating: false, count: text.count + 1)
        reachable[0] = true
        for element in elements {
            var next = [Bool](repeating: false, count: text.count + 1)
            switch element {
            case .anyRun:
                var carrying = false
                for j in 0...text.count {
                    if reachable[j] { carrying = true }
                    next[j] = carrying
                    if j < text.count, text[j] == "/" { carrying = false }
                }
            case .anyPath:
                var carrying = false
                for j in 0...text.count {
                    if reachable[j] { carrying = true }
                    next[j] = carrying
                }
            case .anyFolders:
                var carrying = false
                for j in 0...text.count {
                    if reachable[j] { carrying = true }
                    next[j] = reachable[j] || (carrying && j > 0 && text[j - 1] == "/")
                }
            default:
                for j in 0..<text.count where reachable[j] && Self.matchesOne(element, text[j]) {
                    next[j + 1] = true
                }
            }
            reachable = next
            if !reachable.contains(true) { return false }
        }
        return reachable[text.count]
    }

    private static func matchesOne(_ element: Element, _ c: Unicode.Scalar) -> Bool {
        switch element {
        case .character(let expected): return c == expected
        case .anyOne: return c != "/"
        case .set(let members, let negated):
            guard c != "/" else { return false }
            return members.contains { $0.contains(c) } != negated
        case .anyRun, .anyPath, .anyFolders: return false
        }
    }

    /// `text` with every glob character escaped, so that it matches only itself.
    public static func escape(_ text: String) -> String {
        var escaped = ""
        for c in text.unicodeScalars {
            if "*?[]\\".unicodeScalars.contains(c) { escaped.unicodeScalars.append("\\") }
            escaped.unicodeScalars.append(c)
        }
        return escaped
    }
}
