import CFSHTestSupport
import Foundation
import Testing

@testable import CFShell
@testable import CFShellLanguage

@Suite struct SafeLocalPathTests {
    @Test(
        "a name from the server becomes a path below the target folder, checked byte by byte",
        arguments: [
            ("a.txt", "/t/a.txt"),
            ("dir/a.txt", "/t/dir/a.txt"),
            ("dir/", "/t/dir"),
            ("...", "/t/..."),
            ("..\u{301}", "/t/..\u{301}"),
            ("..\u{301}/x", "/t/..\u{301}/x"),
            (".\u{338}", "/t/.\u{338}"),
            ("x/\u{20DD}y", "/t/x/\u{20DD}y"),
            ("a\u{1}\u{1B}b", "/t/a\u{1}\u{1B}b"),
            (String(repeating: "m", count: 255), "/t/" + String(repeating: "m", count: 255)),
            ("../x", nil),
            ("a/../../x", nil),
            ("a/..", nil),
            ("a/../", nil),
            ("/etc/passwd", nil),
            ("/\u{301}x", nil),
            ("x/../\u{301}esc", nil),
            ("../\u{FE0F}esc", nil),
            ("a//b", nil),
            ("./a", nil),
            ("a/./b", nil),
            ("..", nil),
            (".", nil),
            ("a\0b", nil),
            (String(repeating: "n", count: 256), nil),
            ("é" + String(repeating: "n", count: 254), nil),  // 256 bytes, 255 Characters
        ] as [(String, String?)])
    func paths(name: String, expected: String?) {
        #expect((try? SafeLocalPath(folder: "/t/", relative: name))?.path == expected)
    }

    @Test("a pseudo-folder's own name is checked like the rest", arguments: ["..", ".", "", "a/b", "a\0"])
    func leading(root: String) {
        #expect(throws: SafeLocalPath.Refusal.self) { try SafeLocalPath(folder: "/t", leading: [root], relative: "x") }
    }

    @Test("last components and prefixes are cut at the byte '/'")
    func bytewise() {
        #expect(SafeLocalPath.lastComponent(of: "a/../") == "..")
        #expect(SafeLocalPath.lastComponent(of: "x/\u{301}/") == "\u{301}")
        #expect(SafeLocalPath.lastComponent(of: "x/\u{301}y") == "\u{301}y")
        #expect(SafeLocalPath.lastComponent(of: "top") == "top")
        #expect(SafeLocalPath.dropPrefix("x/", of: "x/\u{301}y") == "\u{301}y")
        #expect(SafeLocalPath.dropPrefix("y/", of: "x/y") == nil)
    }

    @Test("folders are made without following a link inside the target folder")
    func links() throws {
        let folder = try TemporaryFolder(prefix: "cfsh-safe")
        let root = folder.path
        try FileManager.default.createDirectory(atPath: root + "/t", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: root + "/elsewhere", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: root + "/t/link", withDestinationPath: root + "/elsewhere")
        #expect(throws: SafeLocalPath.Refusal.self) {
            try SafeLocalPath(folder: root + "/t", relative: "link/sub/file").createFolders()
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: root + "/elsewhere") == [])
        try SafeLocalPath(folder: root + "/t", relative: "a/b/file").createFolders()
        #expect(FileManager.default.fileExists(atPath: root + "/t/a/b"))
        #expect(!FileManager.default.fileExists(atPath: root + "/t/a/b/file"))
        try SafeLocalPath(folder: root + "/t", relative: "c/d/").createFolders()
        #expect(FileManager.default.fileExists(atPath: root + "/t/c/d"))
    }
}
