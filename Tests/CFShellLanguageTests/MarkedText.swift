@testable import CFShellLanguage

/// Source text with a `1️⃣` marking a position, as in swift-format's tests:
/// the marker is removed and its line and column remembered.
struct MarkedText {
    static let marker: Character = "1️⃣"

    let text: String
    let line: Int
    let column: Int

    init(_ marked: String) {
        var text = ""
        var line = 1
        var column = 1
        var found: (line: Int, column: Int)?
        for character in marked {
            if character == Self.marker {
                precondition(found == nil, "more than one marker in \(marked)")
                found = (line, column)
                continue
            }
            text.append(character)
            if character == "\n" || character == "\r\n" {
                line += 1
                column = 1
            } else {
                column += 1
            }
        }
        guard let found else { preconditionFailure("no marker in \(marked)") }
        self.text = text
        self.line = found.line
        self.column = found.column
    }
}
