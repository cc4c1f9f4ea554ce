import Foundation

/// The timestamp formats Swift uses in headers and listings, parsed without a
/// `DateFormatter` (not `Sendable`, and slow over 100k-entry listings). Every field is
/// bounded (see ``WireNumber``), so a hostile date is `nil`, never a trap.
enum HTTPDate {
    private static let months = ["jan", "feb", "mar", "apr", "may", "jun",
                                 "jul", "aug", "sep", "oct", "nov", "dec"]

    /// Parses an IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`), as in `Last-Modified`.
    static func parse(_ text: String) -> Date? {
        let parts = text.split(separator: " ")
        guard parts.count == 6, parts[5] == "GMT",
              let day = WireNumber.field(parts[1].utf8, maxDigits: 2),
              let month = months.firstIndex(of: parts[2].lowercased()),
              let year = WireNumber.field(parts[3].utf8, maxDigits: 4)
        else { return nil }
        let time = parts[4].split(separator: ":")
        guard time.count == 3, let hour = WireNumber.field(time[0].utf8, maxDigits: 2),
              let minute = WireNumber.field(time[1].utf8, maxDigits: 2),
              let second = WireNumber.field(time[2].utf8, maxDigits: 2)
        else { return nil }
        return date(year: year, month: month + 1, day: day, hour: hour, minute: minute, second: Double(second))
    }

    /// Parses a listing's `last_modified` (`2024-05-01T10:20:30.123456`, UTC, no zone).
    static func parseListing(_ text: String) -> Date? {
        let utf8 = Array(text.utf8)
        guard utf8.count >= 19, utf8[4] == UInt8(ascii: "-"), utf8[10] == UInt8(ascii: "T") else { return nil }
        func number(_ range: Range<Int>) -> Int? { WireNumber.field(utf8[range], maxDigits: 4) }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
              let hour = number(11..<13), let minute = number(14..<16), var second = number(17..<19).map(Double.init)
        else { return nil }
        if utf8.count > 20, utf8[19] == UInt8(ascii: "."),
           let fraction = WireNumber.seconds("0" + String(text.dropFirst(19).prefix(10))), fraction < 1 {
            second += fraction
        }
        return date(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
    }

    private static func date(year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Double) -> Date? {
        WireNumber.secondsSince1970(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
            .flatMap { WireNumber.date(secondsSince1970: $0) }
    }
}
