import CFSHTestSupport
import Foundation
import Testing

/// `$(…)` keeps at most its limit of output, and an `if` condition keeps none.
@Suite(.serialized, .timeLimit(.minutes(3))) struct CaptureLimitE2ETests {
    /// Runs cfsh under GNU time.
    /// - Returns: the result, with standard error without time's last line, and the peak RSS in KiB.
    private func measured(_ script: String) async throws -> (CommandResult, Int) {
        var result = try await CFSHBinary.run(
            ["-c", script], environment: LocalServer.environment,
            timeout: .seconds(120), wrapper: ["/usr/bin/time", "-f", "maxrss=%M"])
        var lines = result.stderr.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        let rss = Int(lines.last?.replacingOccurrences(of: "maxrss=", with: "") ?? "") ?? -1
        if !lines.isEmpty { lines.removeLast() }
        result.stderr = lines.isEmpty ? "" : lines.joined(separator: "\n") + "\n"
        return (result, rss)
    }

    /// A container holding `big`, an object of `megabytes` MiB.
    private func bigObject(megabytes: Int) async throws -> String {
        try await LocalServer.require()
        let session = try await RawSwift.session()
        let container = LocalServer.uniqueContainer("capture")
        try await RawSwift.createContainer(session, container)
        let scratch = try TemporaryFolder()
        defer { scratch.remove() }
        let line = String(repeating: "y", count: 1023) + "\n"
        try Data(String(repeating: line, count: megabytes * 1024).utf8).write(
            to: URL(fileURLWithPath: scratch.path + "/big"))
        let result = try await RawSwift.curl(
            session,
            [
                "-o", "/dev/null", "-w", "%{http_code}", "-X", "PUT", "--data-binary", "@" + scratch.path + "/big",
                session.storageURL + "/" + container + "/big",
            ])
        #expect(result.stdout == "201", "\(result)")
        return container
    }

    @Test("let x = $(cat big) stops at the limit with an error naming the command and the limit")
    func substitutionLimit() async throws {
        let container = try await bigObject(megabytes: 96)
        let started = ContinuousClock.now
        let (result, rss) = try await measured("let x = $(cat \(container)/big)\necho never")
        let elapsed = ContinuousClock.now - started
        await LocalServer.removeContainer(container)
        #expect(result.status == 1, "\(result)")
        #expect(result.stdout == "")
        #expect(result.stderr.contains("$(cat"), "\(result)")
        #expect(result.stderr.contains("16 MiB"), "\(result)")
        #expect(rss < 80 * 1024, "peak RSS \(rss) KiB")
        #expect(elapsed < .seconds(30))
    }

    @Test("if cat big keeps none of the output")
    func conditionKeepsNothing() async throws {
        let container = try await bigObject(megabytes: 96)
        let (result, rss) = try await measured("if cat \(container)/big { echo read }")
        await LocalServer.removeContainer(container)
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout == "read\n")
        #expect(rss < 80 * 1024, "peak RSS \(rss) KiB")
    }
}
