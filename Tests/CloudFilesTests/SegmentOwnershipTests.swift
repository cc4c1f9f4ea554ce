import Testing

@testable import CloudFiles

@Suite("SegmentOwnership: which segments deleting a large object may delete")
struct SegmentOwnershipTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var object: String
        var container: String
        var segmentContainer: String
        var segmentName: String
        var owned: Bool
        var testDescription: String { "\(container)/\(object) -> \(segmentContainer)/\(segmentName)" }
    }

    // "café" spelled with a precomposed é (NFC) and with e + U+0301 (NFD): Swift's String ==
    // says they are equal, but they are different names to the server.
    static let nfc = "caf\u{E9}"
    static let nfd = "cafe\u{301}"

    @Test(
        "owned only in the manifest's container or <container>_segments, under '<name>/', compared as bytes",
        arguments: [
            Case(
                object: "report.txt", container: "shared", segmentContainer: "shared_segments",
                segmentName: "report.txt/slo/1/2/3/00000000", owned: true),
            Case(
                object: "report.txt", container: "shared", segmentContainer: "shared",
                segmentName: "report.txt/00000001", owned: true),
            Case(
                object: "d/report.txt", container: "shared", segmentContainer: "shared_segments",
                segmentName: "d/report.txt/1", owned: true),
            Case(
                object: "report.txt", container: "shared", segmentContainer: "victim", segmentName: "report.txt/1",
                owned: false),
            Case(
                object: "report.txt", container: "shared", segmentContainer: "victim", segmentName: "important-1",
                owned: false),
            Case(
                object: "report.txt", container: "shared", segmentContainer: "shared_segments",
                segmentName: "report.txt-1", owned: false),
            Case(
                object: "report.txt", container: "shared", segmentContainer: "shared_segments",
                segmentName: "report.txt", owned: false),
            Case(
                object: "report", container: "shared", segmentContainer: "shared_segments", segmentName: "report.txt/1",
                owned: false),
            Case(
                object: "report.txt", container: "shared", segmentContainer: "shared_segments",
                segmentName: "precious/1", owned: false),
            Case(
                object: "report.txt", container: "shared", segmentContainer: "shared_segments_segments",
                segmentName: "report.txt/1", owned: false),
            Case(
                object: "report.txt", container: "shared", segmentContainer: "segments", segmentName: "report.txt/1",
                owned: false),
            Case(object: "x", container: nfc, segmentContainer: nfd + "_segments", segmentName: "x/1", owned: false),
            Case(object: "x", container: nfc, segmentContainer: nfc + "_segments", segmentName: "x/1", owned: true),
            Case(object: nfc, container: "c", segmentContainer: "c_segments", segmentName: nfd + "/1", owned: false),
            Case(object: nfd, container: "c", segmentContainer: "c_segments", segmentName: nfd + "/1", owned: true),
            Case(object: "a\u{301}", container: "c", segmentContainer: "c", segmentName: "a/\u{301}1", owned: false),
        ])
    func ownership(_ item: Case) {
        let rule = SegmentOwnership(object: item.object, in: item.container)
        let segment = SegmentRecord(container: item.segmentContainer, name: item.segmentName, etag: "", bytes: 1)
        #expect(rule.owns(segment) == item.owned)
        let (owned, kept) = rule.partition([segment])
        #expect(owned.count == (item.owned ? 1 : 0))
        #expect(kept.map(\.count) == (item.owned ? [] : [1]))
    }

    @Test("kept segments are grouped by container and reason, and say where they are")
    func keptReport() {
        let rule = SegmentOwnership(object: "report.txt", in: "shared")
        let segments = [
            SegmentRecord(container: "victim", name: "important-1", etag: "", bytes: 1),
            SegmentRecord(container: "victim", name: "important-2", etag: "", bytes: 1),
            SegmentRecord(container: "shared_segments", name: "report.txt/1", etag: "", bytes: 1),
            SegmentRecord(container: "shared_segments", name: "precious/1", etag: "", bytes: 1),
            SegmentRecord(container: "victim", name: "important-3", etag: "", bytes: 1),
        ]
        let (owned, kept) = rule.partition(segments)
        #expect(owned.map(\.name) == ["report.txt/1"])
        #expect(
            kept.map(\.description) == [
                "kept 3 segments of 'report.txt': they are in 'victim', not where an upload of it puts them",
                "kept 1 segment of 'report.txt': it is in 'shared_segments' but not under 'report.txt/', not where an upload of it puts them",
            ])
        let unlisted = KeptSegments(object: "r", container: "v", count: 0, reason: .unlisted)
        #expect(
            unlisted.description == "kept the segments of 'r': they are in 'v', not where an upload of it puts them")
    }
}
