import CFSHTestSupport
import CloudFiles
import Foundation
import Testing

/// The process's resident-set high-water mark, from /proc/self/status.
enum PeakRSS {
    /// Resets VmHWM to the current RSS (Linux: write 5 to /proc/self/clear_refs).
    static func reset() throws {
        try "5".write(toFile: "/proc/self/clear_refs", atomically: false, encoding: .utf8)
    }

    /// VmHWM in bytes.
    static func current() throws -> Int64 {
        let status = try String(contentsOfFile: "/proc/self/status", encoding: .utf8)
        guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
            let kilobytes = Int64(line.split(separator: " ")[1])
        else { throw CocoaError(.fileReadCorruptFile) }
        return kilobytes * 1024
    }
}

@Suite("Memory: transfers stream", .timeLimit(.minutes(6)))
struct MemoryTests {
    @Test("uploading and downloading a 1 GiB file grows peak RSS by under 100 MB")
    func oneGiB() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let size: Int64 = 1 << 30
        let md5 = try folder.writePattern("1g.bin", size: size, seed: 42)
        try await TestServer.withClient { client in
            try await TestServer.withContainer(client, prefix: "cf-memory") { container in
                try PeakRSS.reset()
                let before = try PeakRSS.current()
                let upload = try await client.uploadObject("1g.bin", in: container, fromFile: folder.file("1g.bin"))
                let afterUpload = try PeakRSS.current()
                let download = try await client.downloadObject("1g.bin", in: container, toFile: folder.file("back.bin"))
                let peak = try PeakRSS.current()
                print(
                    "peak RSS: \(before >> 20) MiB before, \(afterUpload >> 20) MiB after the 1 GiB upload, \(peak >> 20) MiB after the download"
                )
                #expect(upload.etag == md5)
                #expect(download.md5Verified)
                #expect(download.bytes == size)
                // The growth, not the total: every suite shares this process, and what the ones
                // before left resident (glibc keeps freed memory) is not this transfer's.
                #expect(peak - before < 100_000_000, "peak RSS \(peak >> 20) MiB, \(before >> 20) MiB before")
                try FileManager.default.removeItem(atPath: folder.file("back.bin"))
                try await client.deleteObject("1g.bin", in: container)
            }
        }
    }
}
