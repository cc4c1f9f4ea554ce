import Foundation

/// The timestamp formats Swift uses in headers and listings, parsed without a
/// `DateFormatter` (not `Sendable`, and slow over 100k-entry listings). Every field is
/// bounded (see ``WireNumber``), so a hostile date is `nil`, never a trap.
enum HTTPDate {
    private static let months = [
        "jan", "feb", "mar", "apr", "may", "jun",
        "jul", "aug", "sep", "oct", "nov", "dec",
    ]

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

    /// Parses an ISO 8601 date-time in the forms Swift and identity services write: a
    /// listing's `last_modified` (`2024-05-01T10:20:30.123456`, UTC without a zone), and
    /// token expiries (`…33Z`, `…33.123Z`, `…33.000000Z`, `…33+01:00`, `…33+0100`).
    static func parseISO8601(_ text: String) -> Date? {
        let utf8 = Array(text.utf8)
        guard utf8.count >= 19, utf8[4] == UInt8(ascii: "-"), utf8[10] == UInt8(ascii: "T") else { return nil }
        func number(_ range: Range<Int>) -> Int? { WireNumber.field(utf8[range], maxDigits: 4) }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
            let hour = number(11..<13), let minute = number(14..<16), var second = number(17..<19).map(Double.init)
        else { return nil }
        var index = 19
        if index < utf8.count, utf8[index] == UInt8(ascii: ".") {
            index += 1
            let start = index
            while index < utf8.count, utf8[index] >= UInt8(ascii: "0"), utf8[index] <= UInt8(ascii: "9") { index += 1 }
            // Ten digits are finer than a Date keeps; the rest are read past, not parsed.
            let digits = String(decoding: utf8[start..<min(index, start + 10)], as: UTF8.self)
            if !digits.isEmpty, let fraction = WireNumber.seconds("0." + digits), fraction < 1 { second += fraction }
        }
        var offset = 0
        if index < utf8.count, utf8[index] == UInt8(ascii: "+") || utf8[index] == UInt8(ascii: "-") {
            let sign = utf8[index] == UInt8(ascii: "-") ? -1 : 1
            var rest = utf8[(index + 1)...].split(separator: UInt8(ascii: ":"), omittingEmptySubsequences: false)
            if rest.count == 1, rest[0].count == 4 { rest = [rest[0].prefix(2), rest[0].suffix(2)] }  // +0530
            // Real offsets are within a day; anything else is a hostile or broken reply.
            guard rest.count <= 2, let hours = rest.first.flatMap({ WireNumber.field($0, maxDigits: 2) }), hours < 24,
                let minutes = rest.count > 1 ? WireNumber.field(rest[1], maxDigits: 2) : 0, minutes < 60
            else { return nil }
            offset = sign * (hours * 3600 + minutes * 60)
        }
        guard let date = date(year: year, month: month, day: day, hour: hour, minute: minute, second: second) else {
            return nil
        }
        return WireNumber.plausible(date.addingTimeInterval(-Double(offset)))
    }

    private static func date(year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Double) -> Date? {
        WireNumber.secondsSince1970(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
            .flatMap { WireNumber.date(secondsSince1970: $0) }
    }
}
