/// The ages and sizes that `find`, `ls`, `rm` and `orphans` take as filter values: pure
/// parsing, no clock, no network.
///
/// - AGE: one or more `NUMBER UNIT` parts, with the units `s` (seconds), `m` (minutes),
///   `h` (hours), `d` (days, 24 h) and `w` (weeks): `30m`, `12h`, `7d`, `2w`, `1d12h`. A
///   unit is required (`7` alone is refused: seconds or days?), and an age is at most 10,000
///   years.
/// - SIZE: a whole number of bytes, or a number (with a decimal fraction) and a binary unit,
///   `k`/`K` (1024), `M` (1024²), `G` (1024³) or `T` (1024⁴), optionally followed by `B` or
///   `iB`: `500k`, `10M`, `1.5G`, `1GiB`. At most 2^63 - 1 bytes.
///
/// Values are read as ASCII: `nan`, `inf`, hexadecimal, exponents, signs and blanks are
/// refused, and nothing here can trap.
public enum Quantities {
    /// The longest age accepted, in seconds: 10,000 years of 365.25 days.
    public static let maximumAgeSeconds: Int64 = 315_576_000_000

    /// An AGE in whole seconds, or `nil` when `text` is not one.
    public static func ageSeconds(_ text: String) -> Int64? {
        let bytes = Array(text.utf8)
        guard !bytes.isEmpty, bytes.count <= 64 else { return nil }
        var total: Int64 = 0
        var index = 0
        while index < bytes.count {
            var number: Int64 = 0
            let start = index
            while index < bytes.count, let digit = digit(bytes[index]) {
                let (times10, overflow1) = number.multipliedReportingOverflow(by: 10)
                let (next, overflow2) = times10.addingReportingOverflow(digit)
                guard !overflow1, !overflow2 else { return nil }
                number = next
                index += 1
            }
            guard index > start, index < bytes.count else { return nil }
            let unit: Int64
            switch bytes[index] {
            case UInt8(ascii: "s"): unit = 1
            case UInt8(ascii: "m"): unit = 60
            case UInt8(ascii: "h"): unit = 3600
            case UInt8(ascii: "d"): unit = 86_400
            case UInt8(ascii: "w"): unit = 604_800
            default: return nil
            }
            index += 1
            let (part, overflow1) = number.multipliedReportingOverflow(by: unit)
            let (sum, overflow2) = total.addingReportingOverflow(part)
            guard !overflow1, !overflow2, sum <= maximumAgeSeconds else { return nil }
            total = sum
        }
        return total
    }

    /// A SIZE in bytes, or `nil` when `text` is not one.
    public static func bytes(_ text: String) -> Int64? {
        var bytes = Array(text.utf8)
        guard !bytes.isEmpty, bytes.count <= 64 else { return nil }
        // The optional B or iB after a unit (or B alone after a number of bytes).
        if bytes.last == UInt8(ascii: "B") || bytes.last == UInt8(ascii: "b") {
            bytes.removeLast()
            if bytes.last == UInt8(ascii: "i") {
                bytes.removeLast()
                guard let last = bytes.last, unitFactor(last) != nil else { return nil }
            }
        }
        var factor: Int64 = 1
        if let last = bytes.last, let unit = unitFactor(last) {
            factor = unit
            bytes.removeLast()
        }
        // Digits, then an optional fraction.
        var whole: Int64 = 0
        var index = 0
        while index < bytes.count, let digit = digit(bytes[index]) {
            let (times10, overflow1) = whole.multipliedReportingOverflow(by: 10)
            let (next, overflow2) = times10.addingReportingOverflow(digit)
            guard !overflow1, !overflow2 else { return nil }
            whole = next
            index += 1
        }
        guard index > 0 else { return nil }
        let (wholeBytes, overflow) = whole.multipliedReportingOverflow(by: factor)
        guard !overflow else { return nil }
        guard index < bytes.count else { return wholeBytes }
        // A fraction: only with a unit, and at most 9 digits (rounded down to whole bytes).
        guard bytes[index] == UInt8(ascii: "."), factor > 1, bytes.count - index - 1 <= 9 else { return nil }
        index += 1
        guard index < bytes.count else { return nil }
        var numerator: Int64 = 0
        var denominator: Int64 = 1
        while index < bytes.count {
            guard let digit = digit(bytes[index]) else { return nil }
            numerator = numerator * 10 + digit
            denominator *= 10
            index += 1
        }
        // factor ≤ 2^40 and numerator < 10^9 < 2^30: the product fits.
        let (sum, overflow2) = wholeBytes.addingReportingOverflow(numerator * factor / denominator)
        return overflow2 ? nil : sum
    }

    /// What the parsers above accept, for error messages.
    public static let ageForms = "a number and a unit: s, m, h, d or w, such as 30m, 12h, 7d, 2w or 1d12h"
    /// What ``bytes(_:)`` accepts, for error messages.
    public static let sizeForms = "bytes, or a number with K, M, G or T (powers of 1024), such as 500k, 10M or 1.5G"

    private static func digit(_ byte: UInt8) -> Int64? {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") ? Int64(byte - UInt8(ascii: "0")) : nil
    }

    private static func unitFactor(_ byte: UInt8) -> Int64? {
        switch byte {
        case UInt8(ascii: "k"), UInt8(ascii: "K"): 1 << 10
        case UInt8(ascii: "m"), UInt8(ascii: "M"): 1 << 20
        case UInt8(ascii: "g"), UInt8(ascii: "G"): 1 << 30
        case UInt8(ascii: "t"), UInt8(ascii: "T"): 1 << 40
        default: nil
        }
    }
}
