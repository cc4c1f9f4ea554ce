import Foundation
import Testing

@testable import CloudFiles

/// Parsing numbers and times a server sends: every hostile value gives `nil` or a clamped
/// value, never a trap.
@Suite struct WireNumberTests {
    static let hostile = [
        "nan", "NaN", "-nan", "inf", "-inf", "infinity", "1e300", "-1e300", "1e309", "-1e309",
        "9223372036854775807", "-9223372036854775808", "9223372036854775808", "99999999999999999999999",
        "", " ", "\t", "1e3", "0x10", "0x1p70", "+", "-", ".", "e5", "1..2", "1e", "١٢", "12abc", "\u{0}",
        "18446744073709551616", "4.9e-324", "1.7976931348623157e308",
    ]

    @Test("Retry-After never traps, and nothing but a wait of 0 to a day comes out", arguments: hostile)
    func retryAfter(value: String) {
        let wait = RetryPolicy.parseRetryAfter(value)
        guard let wait else { return }
        #expect(wait >= .zero && wait <= .seconds(86_400), "\(value) → \(wait)")
        if wait > RetryPolicy.default.maxRetryAfter {
            #expect(RetryPolicy.default.delay(afterAttempt: 1, retryAfter: wait) == nil, "\(value): fail, do not wait")
        }
    }

    @Test("Retry-After values that mean something keep their meaning")
    func retryAfterGood() {
        #expect(RetryPolicy.parseRetryAfter("2") == .seconds(2))
        #expect(RetryPolicy.parseRetryAfter(" 1.5 ") == .milliseconds(1500))
        #expect(RetryPolicy.parseRetryAfter("1e300") == .seconds(86_400))
        #expect(RetryPolicy.parseRetryAfter("9223372036854775807") == .seconds(86_400))
        #expect(RetryPolicy.parseRetryAfter("nan") == nil)
        #expect(RetryPolicy.parseRetryAfter("-1") == nil)
        #expect(RetryPolicy.parseRetryAfter("0x10") == nil)
        #expect(RetryPolicy.parseRetryAfter("Sun, 06 Nov 9223372036854775807 08:49:37 GMT") == nil)
        let now = Date(timeIntervalSince1970: 784_111_770)
        #expect(RetryPolicy.parseRetryAfter("Sun, 06 Nov 1994 08:49:37 GMT", now: now) == .seconds(7))
    }

    @Test(
        "an HTTP date with a hostile field is nil",
        arguments: [
            "Sun, 06 Nov 9223372036854775807 08:49:37 GMT", "Sun, 06 Nov -9223372036854775808 08:49:37 GMT",
            "Sun, 06 Nov 99999999999 08:49:37 GMT", "Sun, 9223372036854775807 Nov 1994 08:49:37 GMT",
            "Sun, 06 Nov 1994 9223372036854775807:49:37 GMT", "Sun, 06 Nov 1994 08:49:9223372036854775807 GMT",
            "Sun, 06 Nov 1994 08:-1:37 GMT", "Sun, 06 Nov 0 08:49:37 GMT", "Sun, 06 Nov +1994 08:49:37 GMT",
            "", " ", "Sun, 06 Nov 1994 08:49:37", "Sun, 32 Nov 1994 08:49:37 GMT",
        ])
    func httpDate(text: String) {
        #expect(HTTPDate.parse(text) == nil)
    }

    @Test("an HTTP date and a listing date in range parse as before")
    func goodDates() {
        #expect(HTTPDate.parse("Sun, 06 Nov 1994 08:49:37 GMT")?.timeIntervalSince1970 == 784_111_777)
        #expect(HTTPDate.parse("Fri, 31 Dec 9999 23:59:59 GMT")?.timeIntervalSince1970 == 253_402_300_799)
        #expect(HTTPDate.parseISO8601("2024-05-01T10:20:30.5")?.timeIntervalSince1970 == 1_714_558_830.5)
        #expect(HTTPDate.parseISO8601("0000-05-01T10:20:30") == nil)
        #expect(HTTPDate.parseISO8601("2024-05-01T10:20:30.nan") != nil)
    }

    @Test("seconds since 1970 outside the years 1 to 9999 are no date", arguments: hostile)
    func dates(value: String) {
        if let date = WireNumber.date(secondsSince1970: value) {
            #expect(date.timeIntervalSince1970 >= WireNumber.earliestSecondsSince1970)
            #expect(date.timeIntervalSince1970 <= WireNumber.latestSecondsSince1970)
        }
    }

    @Test("seconds refuses nan, inf, hex and words; takes decimals and exponents")
    func seconds() {
        #expect(WireNumber.seconds("1e3") == 1000)
        #expect(WireNumber.seconds(" 1700000000.123456 ") == 1_700_000_000.123456)
        #expect(WireNumber.seconds("-5") == -5)
        for bad in ["nan", "inf", "-inf", "infinity", "0x10", "1e309", "", " ", "12abc"] {
            #expect(WireNumber.seconds(bad) == nil, "\(bad)")
        }
        #expect(WireNumber.date(secondsSince1970: "1e300") == nil)
        #expect(WireNumber.date(secondsSince1970: "1700000000")?.timeIntervalSince1970 == 1_700_000_000)
    }

    @Test("counts are non-negative decimal Int64s or nil", arguments: hostile)
    func counts(value: String) {
        if let count = WireNumber.count(value) {
            #expect(count >= 0 && String(count) == value.trimmingCharacters(in: .whitespaces))
        }
    }

    @Test("counts in range parse; past Int64 they do not")
    func countValues() {
        #expect(WireNumber.count("9223372036854775807") == .max)
        #expect(WireNumber.count("9223372036854775808") == nil)
        #expect(WireNumber.count(" 42\t") == 42)
        #expect(WireNumber.count("-1") == nil)
        #expect(WireNumber.count("+1") == nil)
        #expect(WireNumber.count("0x10") == nil)
    }

    @Test("sums of sizes stop at Int64 and refuse negative sizes")
    func sums() {
        #expect(WireNumber.sum([1, 2, 3]) == 6)
        #expect(WireNumber.sum([Int64.max, 0]) == .max)
        #expect(WireNumber.sum([Int64.max, 1]) == nil)
        #expect(WireNumber.sum([Int64.max, Int64.max, Int64.max]) == nil)
        #expect(WireNumber.sum([5, -1]) == nil)
        #expect(WireNumber.sum([Int64]()) == 0)
    }

    @Test(
        "durations are clamped to the maximum and never trap",
        arguments: [0, 1.5, 86_400, 1e300, .greatestFiniteMagnitude, -1, .nan, .infinity])
    func durations(seconds: Double) {
        if let duration = WireNumber.duration(seconds: seconds) {
            #expect(duration >= .zero && duration <= .seconds(86_400))
        } else {
            #expect(!(seconds.isFinite && seconds >= 0))
        }
    }

    @Test(
        "an identity timestamp with an absurd offset or year is nil; real offsets work",
        arguments: [
            "2030-01-01T00:00:00.000000+99999999999999999:00", "2030-01-01T00:00:00.000000-9223372036854775807:00",
            "2030-01-01T00:00:00+00:99999999999999999999", "2030-01-01T00:00:00+24:00", "2030-01-01T00:00:00+1:2:3",
            "2030-01-01T00:00:00.99999999999999999999999999999999999999999+", "99999-01-01T00:00:00Z",
        ])
    func identityTimestamps(text: String) {
        #expect(HTTPDate.parseISO8601(text) == nil)
    }

    @Test("identity timestamps in the forms services write still parse")
    func identityGood() {
        #expect(HTTPDate.parseISO8601("2025-11-26T15:22:33Z")?.timeIntervalSince1970 == 1_764_170_553)
        #expect(HTTPDate.parseISO8601("2025-11-26T15:22:33.000000+01:00")?.timeIntervalSince1970 == 1_764_166_953)
        #expect(HTTPDate.parseISO8601("2025-11-26T15:22:33+0100")?.timeIntervalSince1970 == 1_764_166_953)
    }

    @Test("a listing page that repeats or goes back is an error, in either order")
    func listingOrder() throws {
        let pages = ListingPages<String>(initialMarker: nil, limit: nil, markerOf: { $0 }) { _, _ in [] }
        try pages.checkOrder(["a", "b", "é"], after: nil)
        #expect(throws: CloudFilesError.invalidResponse) { try pages.checkOrder(["a", "b"], after: "b") }
        #expect(throws: CloudFilesError.invalidResponse) { try pages.checkOrder(["b", "a"], after: nil) }
        #expect(throws: CloudFilesError.invalidResponse) { try pages.checkOrder(["a", "a"], after: nil) }
        // Byte order, as Swift sorts: U+00E9 (C3 A9) sorts after "z", though "é" would not
        // by Unicode collation; and "e\u{301}" (65 CC 81) sorts before it.
        try pages.checkOrder(["z", "é"], after: "e\u{301}")
        let reversed = ListingPages<String>(initialMarker: nil, limit: nil, reverse: true, markerOf: { $0 }) { _, _ in
            []
        }
        try reversed.checkOrder(["b", "a"], after: "c")
        #expect(throws: CloudFilesError.invalidResponse) { try reversed.checkOrder(["a", "b"], after: nil) }
    }
}
