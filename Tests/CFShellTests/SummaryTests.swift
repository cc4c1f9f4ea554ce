import CloudFiles
import Foundation
import Testing

@testable import CFShell

/// Issue 13 items 7, 12 and 17: the summary line and JSON object of transfers and deletions,
/// and a progress rate that counts only bytes transferred.
@Suite struct SummaryTests {
    @Test("put's line names files, bytes and time, and what was sent and skipped when anything was skipped")
    func putLine() {
        var summary = TransferSummary(.put)
        summary.transferred(bytes: 250 << 20, sent: 250 << 20)
        summary.skipped(bytes: 250 << 20)
        summary.seconds = 1.84
        #expect(summary.line == "put: 2 files, 500.0 MiB in 1.8 s (sent 1, skipped 1 identical)")
        var plain = TransferSummary(.get)
        plain.transferred(bytes: 1, sent: 1)
        plain.seconds = 0.04
        #expect(plain.line == "get: 1 file, 1 B in 0.0 s")
    }

    @Test("a resumed upload's line counts only the bytes sent, and says how many segments were there")
    func resumedLine() {
        var summary = TransferSummary(.put)
        summary.transferred(bytes: 160 << 20, sent: 112 << 20)
        summary.segmentsReused = 3
        summary.segmentsInResumed = 10
        summary.seconds = 65
        #expect(
            summary.line == "put: 1 file, 160.0 MiB in 1:05 (sent 112.0 MiB: 3 of 10 segments were already stored)")
    }

    @Test("the JSON object has every key, with integers, a fractional number of seconds and typed failures")
    func transferJSON() {
        var summary = TransferSummary(.cp)
        summary.bytesKnown = false
        summary.transferred(bytes: 0, sent: 0)
        summary.failed(CommandFailure(path: "c/b", error: "not found"))
        summary.seconds = 2
        #expect(
            summary.json.serialized()
                == #"{"command":"cp","objects":2,"transferred":1,"skipped":0,"failed":1,"bytes":null,"#
                + #""bytes_transferred":null,"segments_reused":0,"seconds":2.0,"#
                + #""failures":[{"path":"c/b","error":"not found"}]}"#)
        #expect(summary.line == "cp: 2 objects in 2.0 s (copied 1, 1 failed)")
    }

    @Test("deletion lines: objects, containers, and what was not found or failed only when any")
    func deletionLines() {
        var rm = DeletionSummary(command: "rm")
        rm.tally = DeleteTally(deleted: 12)
        rm.seconds = 0.42
        #expect(rm.line == "rm: deleted 12 objects in 0.4 s")
        var rmdir = DeletionSummary(command: "rmdir")
        rmdir.tally = DeleteTally(deleted: 1, notFound: 2)
        rmdir.containersDeleted = 1
        #expect(rmdir.line == "rmdir: deleted 1 container and 1 object in 0.0 s (2 not found)")
        rmdir.tally = DeleteTally()
        #expect(rmdir.line == "rmdir: deleted 1 container in 0.0 s")
        #expect(DeletionSummary(command: "rm").isEmpty)
    }

    @Test("seconds in JSON: three decimals at most, a fraction's form even when whole, null when not finite")
    func numbers() {
        #expect(JSONValue.number(1.8).serialized() == "1.8")
        #expect(JSONValue.number(0.1234).serialized() == "0.123")
        #expect(JSONValue.number(3).serialized() == "3.0")
        #expect(JSONValue.number(.infinity).serialized() == "null")
    }

    @Test("the progress rate and ETA count bytes transferred, not those skipped or already stored")
    func rateWithoutSkipped() {
        // 491 MiB done in 1 s, 480 of them already there: 11 MiB/s, not 491.
        let line = ProgressLine.render(
            label: "put 0/1 files", done: 491 << 20, skipped: 480 << 20, total: 500 << 20, elapsed: .seconds(1),
            width: 100)
        #expect(line == "put 0/1 files  491.0 MiB / 500.0 MiB  98%  11.0 MiB/s  ETA 0:01")
    }
}
