/// Lays completion candidates out in columns, down then across, as `ls` does.
enum CandidateColumns {
    /// The text to print under the edited line; every row ends in a newline.
    static func format(_ items: [String], width: Int, limit: Int = 300) -> String {
        guard !items.isEmpty else { return "" }
        let shown = Array(items.prefix(limit))
        let longest = shown.map(displayWidth).max() ?? 0
        let columnWidth = longest + 2
        let columns = max(1, min(shown.count, (max(width, 1) + 2) / max(columnWidth, 1)))
        let rows = (shown.count + columns - 1) / columns
        var text = ""
        for row in 0..<rows {
            var line = ""
            for column in 0..<columns {
                let index = column * rows + row
                guard index < shown.count else { break }
                let item = shown[index]
                line += item
                let isLast = column == columns - 1 || (column + 1) * rows + row >= shown.count
                if !isLast { line += String(repeating: " ", count: columnWidth - displayWidth(item)) }
            }
            text += line + "\n"
        }
        if items.count > shown.count {
            text += "… and \(items.count - shown.count) more\n"
        }
        return text
    }

    /// Columns a string takes on a terminal: wide East Asian characters take
    /// two, combining marks none. Approximate, but right for file names.
    static func displayWidth(_ string: String) -> Int {
        string.unicodeScalars.reduce(0) { width, scalar in
            let v = scalar.value
            if scalar.properties.generalCategory == .nonspacingMark || v == 0x200D { return width }
            let wide =
                (0x1100...0x115F).contains(v) || (0x2E80...0xA4CF).contains(v)
                || (0xAC00...0xD7A3).contains(v) || (0xF900...0xFAFF).contains(v)
                || (0xFE30...0xFE4F).contains(v) || (0xFF00...0xFF60).contains(v)
                || (0xFFE0...0xFFE6).contains(v) || (0x1F300...0x1FAFF).contains(v)
                || (0x20000...0x3FFFD).contains(v)
            return width + (wide ? 2 : 1)
        }
    }
}
