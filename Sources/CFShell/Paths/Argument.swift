import CFShellLanguage

/// One argument after expansion.
struct Argument: CommandWord, Equatable {
    /// The text, with quotes removed and variables substituted.
    var text: String
    /// The glob pattern, when the word had an unquoted `*`, `?` or `[`.
    var pattern: GlobPattern?
    /// The exact remote path, when the argument is an item from a listing or a glob:
    /// always an operand, never an option, and never resolved again.
    var exact: ExactPath?
    /// Why the text cannot be read as a remote path: it joins a server name that would then
    /// name something else.
    var refusal: ShellError?
    var location: SourceLocation

    /// A glob or an exact path is an operand even when it starts with `-`.
    var isAlwaysOperand: Bool { pattern != nil || exact != nil }

    init(_ text: String, pattern: GlobPattern? = nil, exact: ExactPath? = nil, location: SourceLocation = .unknown) {
        self.text = text
        self.pattern = pattern
        self.exact = exact
        self.location = location
    }

    /// The remote path this argument names: its exact path, or its text resolved against `base`.
    func remotePath(from base: RemotePath) throws(ShellError) -> RemotePath {
        if let refusal { throw refusal }
        return exact?.path ?? RemotePath.resolve(text, from: base)
    }

    /// Whether the argument names a container or a pseudo-folder rather than an object.
    func isFolder(from base: RemotePath) throws(ShellError) -> Bool {
        if let exact { return !exact.isObject }
        return try remotePath(from: base).isFolder
    }
}
