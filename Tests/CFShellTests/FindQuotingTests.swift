import CloudFiles
import Foundation
import Testing

@testable import CFShell
@testable import CFShellLanguage

/// `find`'s printed paths, the file times `ls -l` shows, and the segment layout `orphans` reads.
@Suite struct FindQuotingTests {
    private static func same(_ a: RemotePath, _ b: RemotePath) -> Bool {
        a.container.map { Array($0.utf8) } == b.container.map { Array($0.utf8) }
            && a.name.utf8.elementsEqual(b.name.utf8)
    }

    @Test(
        "every hostile name find prints, lexed and resolved again from anywhere, is that object; the rest it leaves out"
    )
    func hostileNamesRoundTrip() throws {
        var printed = 0
        for name in HostileNameGenerator.names(count: 2000, seed: 13) {
            let path = RemotePath(container: "c", name: name)
            guard FindPrinter.canBeTyped(path) else {
                // Left out: resolving its text would name something else.
                #expect(
                    !Self.same(RemotePath.resolve(path.description, from: .root), path)
                        || name.utf8.last == UInt8(ascii: "/"), "\(name.debugDescription)")
                continue
            }
            guard let quoted = WordQuoting.quoted(path.description) else { continue }
            printed += 1
            let tokens = try Lexer.tokenize("cat " + quoted)
            guard tokens.count == 3, case .word(let pieces) = tokens[1].kind else {
                Issue.record("\(quoted.debugDescription) is not one word")
                continue
            }
            var text = ""
            for piece in pieces {
                switch piece {
                case .literal(let part), .quoted(let part): text += part
                default: Issue.record("\(quoted.debugDescription) holds a variable or a substitution")
                }
            }
            #expect(text.unicodeScalars.elementsEqual(path.description.unicodeScalars), "\(quoted.debugDescription)")
            for base in [RemotePath.root, RemotePath(container: "other", name: "x/")] {
                #expect(Self.same(RemotePath.resolve(text, from: base), path), "\(name.debugDescription)")
            }
        }
        #expect(printed > 500)
    }

    @Test("a stored mtime counts only when it is a time from 1970 to 9999")
    func acceptedModificationTimes() {
        #expect(FileTimes.accepted(Self.info(mtime: "1700000000.5"))?.timeIntervalSince1970 == 1_700_000_000.5)
        for hostile in ["nan", "-1", "-62135596800", "1e300", "abc", "253402300800", "inf", "0x10", ""] {
            #expect(FileTimes.accepted(Self.info(mtime: hostile)) == nil, "\(hostile)")
        }
    }

    private static func info(mtime: String) -> Date? {
        WireNumber.date(secondsSince1970: mtime)
    }

    @Test("orphans reads only names in the upload layout")
    func segmentLayout() {
        let parsed = SegmentUpload.parse("dir/big.bin/slo/1700000000.123456/3145728/1048576/00000002")
        #expect(parsed?.object == "dir/big.bin")
        #expect(parsed?.prefix == "dir/big.bin/slo/1700000000.123456/3145728/1048576/")
        #expect(parsed?.kind == "slo")
        #expect(SegmentUpload.parse("x/dlo/-5.000000/1/1/00000000")?.kind == "dlo")
        for other in [
            "notes.txt", "big.bin/1700000000.123456/3145728/1048576/00000002",  // swift --use-dlo
            "big.bin/slo/1700000000/3/1/00000000", "big.bin/slo/1.5/3/1/0000002", "/slo/1.5/3/1/00000000",
            "big.bin/SLO/1.5/3/1/00000000", "big.bin/slo/1.5/x/1/00000000", "slo/1.5/3/1/00000000",
        ] {
            #expect(SegmentUpload.parse(other) == nil, "\(other)")
        }
    }

    @Test("an age filter keeps an object of unknown time out, and measures strictly")
    func ageFilter() {
        let now = Date(timeIntervalSince1970: 1_000_000)
        let filter = ObjectFilter(olderThan: 100, now: now)
        #expect(filter.matchesAge(Date(timeIntervalSince1970: 999_899)))
        #expect(!filter.matchesAge(Date(timeIntervalSince1970: 999_900)))
        #expect(!filter.matchesAge(nil))
        let newer = ObjectFilter(newerThan: 100, now: now)
        #expect(newer.matchesAge(Date(timeIntervalSince1970: 2_000_000)))
        #expect(ObjectFilter.baseName("a/b/c.sql") == "c.sql")
        #expect(ObjectFilter.baseName("a/b/") == "b")
        #expect(ObjectFilter.baseName("c.sql") == "c.sql")
    }
}
