import CloudFiles
import Foundation
import Testing

@testable import CFShell

@Suite("meta and put: KEY=VALUE, headers, content types and expiry dates")
struct MetadataWordsTests {
    @Test("KEY=VALUE: keys lowercased, '=' allowed in values; bad keys and line breaks refused")
    func assignments() throws {
        #expect(try MetadataWords.assignment("Owner=a=b", what: "x") == ("owner", "a=b"))
        #expect(try MetadataWords.assignment("k=", what: "x") == ("k", ""))
        for bad in ["=v", "novalue", "a_b=1", "a b=1", "é=1", "k=a\nb", "k=a\rb", "k=a\u{7}"] {
            #expect(throws: ShellError.self, "\(bad.debugDescription)") { try MetadataWords.assignment(bad, what: "x") }
        }
    }

    @Test("--header: 'Name: Value'; controlled and reserved headers refused")
    func headers() throws {
        #expect(try MetadataWords.header("Content-Disposition:  attachment ") == ("Content-Disposition", "attachment"))
        for bad in [
            "ETag: x", "content-length: 1", "X-Object-Manifest: c/p", "X-Delete-At: 1", "Content-Type: a/b",
            "X-Object-Sysmeta-A: 1", "X-Backend-B: 1", "Bad_Name: 1", "NoColon", "A: b\r\nX-Evil: 1", ": v",
        ] {
            #expect(throws: ShellError.self, "\(bad.debugDescription)") { try MetadataWords.header(bad) }
        }
    }

    @Test("DATE: a day, a time with or without seconds, UTC unless an offset is given")
    func dates() {
        let formatter = ISO8601DateFormatter()
        let cases = [
            ("2027-01-31", "2027-01-31T00:00:00Z"), ("2027-01-31T18:00", "2027-01-31T18:00:00Z"),
            ("2027-01-31 18:00:30", "2027-01-31T18:00:30Z"), ("2027-01-31T18:00:00+02:00", "2027-01-31T16:00:00Z"),
            ("2027-01-31T18:00:00Z", "2027-01-31T18:00:00Z"),
        ]
        for (text, iso) in cases {
            #expect(MetadataWords.date(text) == formatter.date(from: iso), "\(text)")
        }
        for bad in ["tomorrow", "2027-13-01", "31/01/2027", "", "2027-01-31T25:00"] {
            #expect(MetadataWords.date(bad) == nil, "\(bad)")
        }
    }

    @Test("stat's expiry text says how long is left")
    func expiryText() {
        let iso = "2027-01-15T08:00:00.000Z"
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let date = formatter.date(from: iso)!
        #expect(
            Stat.expiryText(iso, now: date.addingTimeInterval(-(6 * 86_400 + 23 * 3600 + 50))) == iso + " (in 6d 23h)")
        #expect(Stat.expiryText(iso, now: date.addingTimeInterval(-90)) == iso + " (in 1m 30s)")
        #expect(Stat.expiryText(iso, now: date.addingTimeInterval(5)).contains("due"))
    }
}
