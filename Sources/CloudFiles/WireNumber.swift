import Foundation

/// Numbers and times read from a server's reply, parsed so that no value can trap.
///
/// A server, or anyone who can set metadata on a shared object, chooses these strings.
/// Swift's `Int64(_: Double)`, `Int(_: Double)` and integer `+` and `*` trap on values out
/// of range, and `Double` accepts `nan`, `inf` and hexadecimal. Every parse here returns
/// `nil` (or a clamped value, where it says so) instead. Foundation only, so a fuzzing
/// harness can call it directly.
public enum WireNumber {
    /// The earliest time accepted from the wire: 0001-01-01T00:00:00Z.
    public static let earliestSecondsSince1970: Double = -62_135_596_800
    /// The latest time accepted from the wire: 9999-12-31T23:59:59Z.
    public static let latestSecondsSince1970: Double = 253_402_300_799

    /// A non-negative decimal integer (`Content-Length`, object counts, byte counts):
    /// ASCII digits only, optionally surrounded by spaces or tabs.
    ///
    /// - Returns: the value, or `nil` when the text is not such a number or does not fit
    ///   in `Int64`.
    public static func count<Text: StringProtocol>(_ text: Text) -> Int64? {
        let digits = trimmed(Array(text.utf8))
        guard !digits.isEmpty, digits.count <= 19 else { return nil }
        var value: Int64 = 0
        for byte in digits {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            let (times10, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (next, overflow2) = times10.addingReportingOverflow(Int64(byte - UInt8(ascii: "0")))
            guard !overflow1, !overflow2 else { return nil }
            value = next
        }
        return value
    }

    /// A finite decimal number of seconds (`X-Object-Meta-Mtime`, `X-Delete-At`,
    /// `Retry-After`, `X-Auth-Token-Expires`): an optional sign, digits, an optional
    /// fraction and exponent. `nan`, `inf` and hexadecimal are refused.
    ///
    /// - Returns: the value, or `nil` when the text is not such a number or overflows a
    ///   `Double`.
    public static func seconds<Text: StringProtocol>(_ text: Text) -> Double? {
        let bytes = trimmed(Array(text.utf8))
        guard !bytes.isEmpty, bytes.count <= 64,
            bytes.contains(where: { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
            bytes.allSatisfy({ ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9")) || "+-.eE".utf8.contains($0) }),
            let value = Double(String(decoding: bytes, as: UTF8.self)), value.isFinite
        else { return nil }
        return value
    }

    /// A point in time given in seconds since 1970 (`X-Object-Meta-Mtime`, `X-Delete-At`).
    ///
    /// - Returns: the date, or `nil` when the text is no number or the time lies outside
    ///   the years 1 to 9999, so every date it returns can be formatted and set on a file.
    public static func date<Text: StringProtocol>(secondsSince1970 text: Text) -> Date? {
        seconds(text).flatMap { date(secondsSince1970: $0) }
    }

    /// `Date(timeIntervalSince1970:)` for a value from the wire, or `nil` when it is not a
    /// finite time in the years 1 to 9999.
    public static func date(secondsSince1970 value: Double) -> Date? {
        guard value.isFinite, value >= earliestSecondsSince1970, value <= latestSecondsSince1970 else { return nil }
        return Date(timeIntervalSince1970: value)
    }

    /// A `Date` from anywhere kept only when it lies in the years 1 to 9999.
    public static func plausible(_ date: Date?) -> Date? {
        date.flatMap { self.date(secondsSince1970: $0.timeIntervalSince1970) }
    }

    /// A wait of `seconds`, clamped to `0...maximum` (a day by default) so that it converts
    /// to a `Duration` without trapping. A negative or non-finite wait is `nil`.
    public static func duration(seconds: Double, maximum: Double = 86_400) -> Duration? {
        guard seconds.isFinite, seconds >= 0 else { return nil }
        let clamped = Swift.min(seconds, Swift.max(0, maximum))
        return .milliseconds(Int64((clamped * 1000).rounded(.down)))
    }

    /// The sum of sizes from the wire, or `nil` when one is negative or the sum does not
    /// fit in `Int64`.
    public static func sum<Sizes: Sequence>(_ sizes: Sizes) -> Int64? where Sizes.Element == Int64 {
        var total: Int64 = 0
        for size in sizes {
            guard size >= 0 else { return nil }
            let (next, overflow) = total.addingReportingOverflow(size)
            guard !overflow else { return nil }
            total = next
        }
        return total
    }

    /// Seconds since 1970 for a civil date and time in UTC (proleptic Gregorian), or `nil`
    /// when a field is out of range or the year lies outside 1 to 9999.
    static func secondsSince1970(year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Double) -> Double? {
        guard (1...9999).contains(year), (1...12).contains(month), (1...31).contains(day),
            (0..<24).contains(hour), (0..<60).contains(minute), second.isFinite, second >= 0, second < 61
        else { return nil }
        // Days-from-civil; with the year bounded, nothing here can overflow.
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        let days = era * 146_097 + doe - 719_468
        return Double(days * 86_400 + hour * 3600 + minute * 60) + second
    }

    /// A small decimal field (a date's day, hour, year): at most `maxDigits` ASCII digits.
    static func field<Bytes: Collection>(_ bytes: Bytes, maxDigits: Int) -> Int? where Bytes.Element == UInt8 {
        guard !bytes.isEmpty, bytes.count <= maxDigits else { return nil }
        var value = 0
        for byte in bytes {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
        }
        return value
    }

    private static func trimmed(_ bytes: [UInt8]) -> ArraySlice<UInt8> {
        let isSpace = { (byte: UInt8) in byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }
        guard let first = bytes.firstIndex(where: { !isSpace($0) }),
            let last = bytes.lastIndex(where: { !isSpace($0) })
        else { return bytes[bytes.endIndex...] }
        return bytes[first...last]
    }
}
