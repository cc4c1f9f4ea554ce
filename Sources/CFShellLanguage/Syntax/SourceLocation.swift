/// A position in cfsh source text: the file it came from, a 1-based line
/// and a 1-based column counted in characters.
///
/// Columns count `Character`s rather than bytes so that a caret printed under
/// a line holding non-ASCII names still lands under the right character.
public struct SourceLocation: Sendable, Equatable, Hashable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int

    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    /// A placeholder for nodes built by hand (tests, the REPL's synthetic commands).
    public static let unknown = SourceLocation(file: "", line: 0, column: 0)

    /// `file:line:col`, the form editors and terminals recognise as a link.
    public var description: String { "\(file):\(line):\(column)" }

    /// `file:line`, used when a command fails at run time: the column adds nothing there.
    public var fileAndLine: String { "\(file):\(line)" }
}
