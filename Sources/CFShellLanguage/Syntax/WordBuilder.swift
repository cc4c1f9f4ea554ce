/// A word's pieces as they are lexed. Plain text of one kind is gathered in a
/// buffer and made a piece once, so that a long word is lexed in linear time.
struct WordBuilder {
    private var pieces: [WordPiece] = []
    private var text = ""
    /// Whether the text in the buffer is quoted; `nil` when the buffer holds no run.
    private var textIsQuoted: Bool?
    /// How many times anything was added: a `""` adds an empty piece only when nothing came between.
    private(set) var additions = 0

    public mutating func add(_ scalar: Unicode.Scalar, quoted: Bool) {
        startRun(quoted: quoted)
        text.unicodeScalars.append(scalar)
    }

    public mutating func add(_ string: String, quoted: Bool) {
        startRun(quoted: quoted)
        text += string
    }

    public mutating func add(_ piece: WordPiece) {
        additions += 1
        flush()
        pieces.append(piece)
    }

    public mutating func finish() -> [WordPiece] {
        flush()
        return pieces
    }

    private mutating func startRun(quoted: Bool) {
        additions += 1
        if textIsQuoted != quoted {
            flush()
            textIsQuoted = quoted
        }
    }

    private mutating func flush() {
        guard let quoted = textIsQuoted else { return }
        pieces.append(quoted ? .quoted(text) : .literal(text))
        text = ""
        textIsQuoted = nil
    }
}
