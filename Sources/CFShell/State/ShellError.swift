import CFShellLanguage
import CloudFiles

/// A command's failure, as the shell reports it.
///
/// Usage errors (a wrong option, a missing operand) exit with 2 like syntax errors,
/// because they are mistakes in the script; failures (the server said no, a file is
/// missing) exit with 1.
public struct ShellError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        case usage
        case failure
    }

    public var kind: Kind
    public var message: String
    /// Where in the source the problem is, when a word is to blame (an undefined variable).
    public var location: SourceLocation?

    public init(_ kind: Kind, _ message: String, at location: SourceLocation? = nil) {
        self.kind = kind
        self.message = message
        self.location = location
    }

    public static func usage(_ message: String, at location: SourceLocation? = nil) -> ShellError {
        ShellError(.usage, message, at: location)
    }

    public static func failure(_ message: String, at location: SourceLocation? = nil) -> ShellError {
        ShellError(.failure, message, at: location)
    }

    public var description: String { message }

    /// The exit status a script ends with when this error stops it.
    public var exitStatus: Int32 { kind == .usage ? 2 : 1 }
}

/// How `break`, `continue` and `exit` leave the statements they are in.
enum ControlFlow: Error {
    case breakLoop
    case continueLoop
    case exit(Int32)
}

/// The user pressed Ctrl-C: the running command was cancelled.
struct Interrupted: Error {}

extension Error {
    /// The message a user sees for this error, without the command name.
    var userMessage: String {
        switch self {
        case let error as ShellError: return error.message
        case let error as CloudFilesError: return error.description
        case let error as ParseError: return error.description
        default: return String(describing: self)
        }
    }

    /// Whether the error comes from cancelling the running task (Ctrl-C).
    var isCancellation: Bool {
        self is CancellationError || self is Interrupted
    }
}
