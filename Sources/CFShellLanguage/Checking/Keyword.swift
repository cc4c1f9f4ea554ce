/// The words that begin a statement that is not a command: the one list of them, for the
/// parser, completion and `help`.
public enum Keyword: String, CaseIterable, Sendable {
    case `let`, foreach, `if`, `else`, `break`, `continue`

    /// Whether the prompt completes the word: the ones that start a statement of their own.
    public var isCompletedAtPrompt: Bool {
        switch self {
        case .let, .foreach, .if: true
        case .else, .break, .continue: false
        }
    }

    /// The text `help KEYWORD` prints; `nil` for `else`, which `if`'s help describes.
    public var help: String? {
        switch self {
        case .let:
            "usage: let NAME = VALUE…\n\nBind a variable to a list of words. $NAME then gives the list.\n"
        case .foreach:
            """
            usage: foreach NAME in ITEM… { STATEMENTS }

            Run the statements once per item, with $NAME set to it. A remote glob item expands to \
            its matches, $(…) and $list to their items. 'break' leaves the loop, 'continue' goes \
            to the next item.

            """
        case .if:
            """
            usage: if [!] COMMAND { STATEMENTS } [else { STATEMENTS } | else if …]

            Run the first block when COMMAND succeeds (with '!', when it fails), else the other. \
            The command's output is discarded and its failure is not an error.

            """
        case .break:
            "usage: break\n\nLeave the innermost foreach loop.\n"
        case .continue:
            "usage: continue\n\nGo on with the next item of the innermost foreach loop.\n"
        case .else:
            nil
        }
    }
}
