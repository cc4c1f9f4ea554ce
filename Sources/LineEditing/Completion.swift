/// One way to finish the word at the cursor.
public struct CompletionCandidate: Sendable, Equatable {
    /// What replaces the word, already quoted for the command language.
    public var replacement: String
    /// What the candidate list shows (usually the bare last path component).
    public var display: String
    /// Whether a unique match is finished: a space follows it. A folder
    /// (`photos/`) is not finished, so Tab can descend into it.
    public var isFinal: Bool

    public init(replacement: String, display: String? = nil, isFinal: Bool = true) {
        self.replacement = replacement
        self.display = display ?? replacement
        self.isFinal = isFinal
    }
}

/// The candidates for the word before the cursor.
public struct CompletionResult: Sendable, Equatable {
    /// How many characters before the cursor the candidates replace.
    public var replacing: Int
    public var candidates: [CompletionCandidate]

    public init(replacing: Int, candidates: [CompletionCandidate]) {
        self.replacing = replacing
        self.candidates = candidates
    }

    public static let none = CompletionResult(replacing: 0, candidates: [])
}

/// Supplies Tab completions. Called on the editor's thread, synchronously,
/// while the user waits: implementations bound their own latency.
public protocol CompletionProvider: AnyObject {
    /// - Parameters:
    ///   - line: the whole line being edited.
    ///   - cursor: the cursor position as a count of characters (Unicode
    ///     scalars) from the start of `line`.
    func completions(line: String, cursor: Int) -> CompletionResult
}

/// What the editor does with a `CompletionResult`: an edit to the word, a
/// list to show, or nothing. Kept apart from libedit so it can be tested.
enum CompletionAction: Equatable {
    case insert(deleting: Int, text: String)
    case list([String])
    case nothing

    static func plan(_ result: CompletionResult, typed: String) -> CompletionAction {
        let candidates = result.candidates
        guard !candidates.isEmpty else { return .nothing }
        if candidates.count == 1, let only = candidates.first {
            let text = only.replacement + (only.isFinal ? " " : "")
            return text == typed ? .nothing : .insert(deleting: result.replacing, text: text)
        }
        let common = commonPrefix(candidates.map(\.replacement))
        // Only ever grow the word: a shorter prefix would delete what was
        // typed. The prefix may be re-quoted (`my f` becoming `'my f`).
        if common.unicodeScalars.count > typed.unicodeScalars.count {
            return .insert(deleting: result.replacing, text: common)
        }
        var seen = Set<String>()
        return .list(candidates.map(\.display).filter { seen.insert($0).inserted })
    }

    static func commonPrefix(_ strings: [String]) -> String {
        guard var prefix = strings.first.map({ Array($0.unicodeScalars) }) else { return "" }
        for string in strings.dropFirst() {
            let scalars = Array(string.unicodeScalars)
            var count = 0
            while count < prefix.count, count < scalars.count, prefix[count] == scalars[count] { count += 1 }
            prefix.removeSubrange(count...)
        }
        var result = String.UnicodeScalarView()
        result.append(contentsOf: prefix)
        return String(result)
    }
}
