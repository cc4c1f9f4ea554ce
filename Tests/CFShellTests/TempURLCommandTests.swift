import Foundation
import Testing

@testable import CFShell
@testable import CFShellLanguage

/// `tempurl` without a server: completion, `--expires`, and what its help promises.
@Suite struct TempURLCommandTests {
    @Test("tempurl's PATH completes to remote names")
    func completion() {
        #expect(CompletionSlots.slot(command: "tempurl", position: 0, precedingWords: ["tempurl"]) == .remote(.any))
    }

    @Test("--expires: an AGE from now, a future time, 1h by default; past, zoneless or nonsense refused")
    func expiry() throws {
        let now = Date(timeIntervalSince1970: 1_796_200_000)
        #expect(try TempURLCommand.expiry(nil, now: now) == 1_796_203_600)
        #expect(try TempURLCommand.expiry("3s", now: now) == 1_796_200_003)
        #expect(try TempURLCommand.expiry("1d12h", now: now) == 1_796_200_000 + 129_600)
        #expect(try TempURLCommand.expiry("2026-12-02T12:00:00Z", now: now) == 1_796_212_800)
        for bad in ["0s", "2020-01-01T00:00:00Z", "2026-12-02T12:00:00", "soon", "-1h", "99999999999999w"] {
            #expect(throws: ShellError.self, "\(bad)") { try TempURLCommand.expiry(bad, now: now) }
        }
    }

    @Test("the help says the key is a secret and how to set it")
    func help() {
        let details = TempURLCommand.spec.details
        #expect(details.contains("never printed unless --show-key"))
        #expect(details.contains("tempurl --set-key"))
        #expect(TempURLCommand.spec.options.first { $0.names == ["--key"] }?.isSecret == true)
    }
}
