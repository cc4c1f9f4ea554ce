import CloudFiles
import Foundation
import Testing

@testable import CFShell
@testable import CFShellLanguage

/// Dates and sizes that reached the shell from a server are printed, or shown as unknown,
/// never trapped on.
@Suite struct WireValueFormatTests {
    @Test(
        "a date outside the years 1 to 9999 prints as unknown",
        arguments: [
            1e300, -1e300, .infinity, -.infinity, .nan, 9.3e18, 253_402_300_800,
        ])
    func dates(seconds: Double) {
        let date = Date(timeIntervalSince1970: seconds)
        #expect(Format.date(date) == "-")
        #expect(Format.isoDate(date) == .null)
    }

    @Test("a date in range still prints")
    func goodDate() {
        #expect(Format.date(Date(timeIntervalSince1970: 0)) == "1970-01-01 00:00:00")
        #expect(Format.date(Date(timeIntervalSince1970: 253_402_300_799)) == "9999-12-31 23:59:59")
    }

    @Test(
        "a progress line with a total from a hostile listing never traps",
        arguments: [
            (Int64(1), Int64.max), (Int64.max, Int64(1)), (Int64(0), Int64.max), (Int64.max, Int64.max),
        ])
    func progress(done: Int64, total: Int64) {
        let line = ProgressLine.render(label: "get", done: done, total: total, elapsed: .seconds(2), width: 80)
        #expect(!line.isEmpty)
    }
}
