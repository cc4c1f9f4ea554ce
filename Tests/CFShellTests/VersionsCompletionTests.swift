import Testing

@testable import CFShell

/// `versions C on|off`: Tab completes containers first, then the two words.
@Suite("versions completion")
struct VersionsCompletionTests {
    @Test(
        "versions completes a container, then on or off",
        arguments: [
            ("versions ba", ["backups/"]),
            ("versions backups o", ["off", "on"]),
            ("versions backups of", ["off"]),
            ("versions backups x", []),
        ])
    func completes(line: String, expected: [String]) async {
        #expect(await REPLCompletionTests.replacements(line).sorted() == expected)
    }
}
