import CloudFiles
import Foundation

/// Plain, aligned, pipe-friendly text, and JSON for scripts.
enum Format {
    /// Bytes as a number, or with `-h` in K, M, G, T (powers of 1024) as `ls -h` does.
    static func size(_ bytes: Int64, human: Bool) -> String {
        guard human, bytes >= 1024 else { return String(bytes) }
        let units = ["K", "M", "G", "T", "P", "E"]
        var value = Double(bytes)
        var unit = -1
        while value >= 1024 && unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        let text = value < 10 ? String(format: "%.1f", value) : String(format: "%.0f", value)
        return text + units[unit]
    }

    /// A listing date in UTC, `2024-05-01 12:34:56`; `-` when unknown.
    static func date(_ date: Date?) -> String {
        // Dates reach here from servers; one outside years 1-9999 would trap in time_t.
        guard let date = WireNumber.plausible(date) else { return "-" }
        return utc(date, "%Y-%m-%d %H:%M:%S")
    }

    /// A date for JSON: ISO 8601 in UTC with milliseconds.
    static func isoDate(_ date: Date?) -> JSONValue {
        guard let date = WireNumber.plausible(date) else { return .null }
        let milliseconds = Int((date.timeIntervalSince1970 * 1000).rounded()) % 1000
        return .string(utc(date, "%Y-%m-%dT%H:%M:%S") + String(format: ".%03dZ", (milliseconds + 1000) % 1000))
    }

    /// `strftime` in UTC; formatters are not Sendable, and this needs none.
    private static func utc(_ date: Date, _ format: String) -> String {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        var buffer = [CChar](repeating: 0, count: 64)
        let length = strftime(&buffer, buffer.count, format, &parts)
        return String(decoding: buffer[..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Rows as lines of columns two spaces apart. Columns in `rightAligned`
    /// (numbers) are padded on the left; the last column is never padded, so
    /// no line ends in spaces.
    static func table(_ rows: [[String]], rightAligned: Set<Int> = []) -> [String] {
        let widths = columnWidths(rows)
        return rows.map { Self.row($0, widths: widths, rightAligned: rightAligned) }
    }

    /// The widest cell of each column.
    static func columnWidths(_ rows: [[String]]) -> [Int] {
        var widths = [Int](repeating: 0, count: rows.map(\.count).max() ?? 0)
        for row in rows {
            for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.count) }
        }
        return widths
    }

    /// One row padded to `widths` (a wider cell is written whole); the last column is not padded.
    static func row(_ cells: [String], widths: [Int], rightAligned: Set<Int> = []) -> String {
        cells.enumerated().map { index, cell in
            let width = index < widths.count ? widths[index] : 0
            let padding = String(repeating: " ", count: max(0, width - cell.count))
            if rightAligned.contains(index) { return padding + cell }
            return index == cells.count - 1 ? cell : cell + padding
        }.joined(separator: "  ")
    }
}

/// A JSON value whose objects keep their keys in the order written, so that
/// output is stable and readable.
indirect enum JSONValue: Sendable, Equatable {
    case string(String)
    case int(Int64)
    /// A fraction such as seconds, written with at most three decimals; `null` when not finite.
    case number(Double)
    case bool(Bool)
    case null
    case array([JSONValue])
    case object([(String, JSONValue)])

    static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        lhs.serialized() == rhs.serialized()
    }

    static func optional(_ text: String?) -> JSONValue { text.map(JSONValue.string) ?? .null }

    /// Compact JSON, one line.
    func serialized() -> String {
        switch self {
        case .string(let text): return Self.quote(text)
        case .int(let number): return String(number)
        case .number(let number):
            guard number.isFinite else { return "null" }
            let rounded = (number * 1000).rounded() / 1000
            // Whole numbers keep one decimal, so a reader sees a fraction's type: 2.0, 0.125.
            return abs(rounded) < 1e15
                ? String(format: "%.3f", rounded).replacingOccurrences(
                    of: #"(\.\d*?)0+$"#, with: "$1", options: .regularExpression
                ).replacingOccurrences(of: #"\.$"#, with: ".0", options: .regularExpression) : "null"
        case .bool(let flag): return flag ? "true" : "false"
        case .null: return "null"
        case .array(let items): return "[" + items.map { $0.serialized() }.joined(separator: ",") + "]"
        case .object(let fields):
            return "{" + fields.map { Self.quote($0.0) + ":" + $0.1.serialized() }.joined(separator: ",") + "}"
        }
    }

    /// Indented JSON, two spaces a level, as `--json` prints it.
    func pretty(indent: String = "") -> String {
        let inner = indent + "  "
        switch self {
        case .array(let items) where !items.isEmpty:
            return "[\n" + items.map { inner + $0.pretty(indent: inner) }.joined(separator: ",\n") + "\n" + indent + "]"
        case .object(let fields) where !fields.isEmpty:
            return "{\n"
                + fields.map { inner + Self.quote($0.0) + ": " + $0.1.pretty(indent: inner) }.joined(separator: ",\n")
                + "\n" + indent + "}"
        default:
            return serialized()
        }
    }

    private static func quote(_ text: String) -> String {
        var quoted = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": quoted += "\\\""
            case "\\": quoted += "\\\\"
            case "\n": quoted += "\\n"
            case "\r": quoted += "\\r"
            case "\t": quoted += "\\t"
            case _ where Names.needsEscape(scalar):
                // Still exact JSON, and no terminal acts on a C1 control or a bidi override in it.
                quoted += String(format: "\\u%04x", scalar.value)
            default:
                quoted.unicodeScalars.append(scalar)
            }
        }
        return quoted + "\""
    }
}
