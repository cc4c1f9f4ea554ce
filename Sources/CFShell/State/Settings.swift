import Foundation

/// Settings changed with `set`.
struct Settings: Sendable, Equatable {
    /// How many transfers or deletions run at once.
    var parallel = 10
    /// Whether put, get and rm print each file.
    var verbose = false
    /// Files larger than this are uploaded as static large objects in segments
    /// of this size; `nil` never segments (and files over 5 GiB then fail).
    var segmentSize: Int64? = 1 << 30
    /// Whether an operand that matches nothing (`ls c/typo/`, `rm -r c/typo/`, `get -r`) is
    /// an error (`set nomatch error`, the default) or only a note (`set nomatch ok`).
    var noMatchIsError = true

    /// A size as `set` shows it and `parseSize` reads it back exactly: `64M`, `1G`, `1536K`.
    static func formatSize(_ bytes: Int64) -> String {
        for (unit, factor) in [("T", Int64(1) << 40), ("G", 1 << 30), ("M", 1 << 20), ("K", 1 << 10)]
        where bytes >= factor && bytes % factor == 0 {
            return "\(bytes / factor)\(unit)"
        }
        return String(bytes)
    }

    /// `1048576`, `512K`, `100M`, `1G`, `2T` (powers of 1024).
    static func parseSize(_ text: String) -> Int64? {
        let units: [Character: Int64] = ["K": 1 << 10, "M": 1 << 20, "G": 1 << 30, "T": 1 << 40]
        var digits = Substring(text.uppercased())
        var multiplier: Int64 = 1
        if digits.hasSuffix("B") { digits = digits.dropLast() }
        if let unit = digits.last, let factor = units[unit] {
            multiplier = factor
            digits = digits.dropLast()
        }
        guard let number = Double(digits), number > 0 else { return nil }
        let bytes = number * Double(multiplier)
        return bytes < Double(Int64.max) ? Int64(bytes) : nil
    }
}
