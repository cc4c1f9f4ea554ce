import Testing

@testable import CFShell
@testable import CFShellLanguage

@Suite struct RemotePathTests {
    static let root = RemotePath.root
    static let inFolder = RemotePath(container: "c", name: "p/")

    @Test(
        "paths resolve against the working folder",
        arguments: [
            ("c", root, RemotePath(container: "c")),
            ("c/", root, RemotePath(container: "c")),
            ("c/x.txt", root, RemotePath(container: "c", name: "x.txt")),
            ("c/dir/", root, RemotePath(container: "c", name: "dir/")),
            ("x", inFolder, RemotePath(container: "c", name: "p/x")),
            ("sub/", inFolder, RemotePath(container: "c", name: "p/sub/")),
            ("/d/y", inFolder, RemotePath(container: "d", name: "y")),
            ("/", inFolder, root),
            ("", inFolder, inFolder),
            (".", inFolder, inFolder),
            ("..", inFolder, RemotePath(container: "c")),
            ("../q/", inFolder, RemotePath(container: "c", name: "q/")),
            ("../..", inFolder, root),
            ("../../../..", inFolder, root),
            ("a//b", root, RemotePath(container: "a", name: "/b")),
            ("c/x//y", root, RemotePath(container: "c", name: "x//y")),
            ("//c/x", inFolder, RemotePath(container: "c", name: "x")),
        ])
    func resolve(text: String, base: RemotePath, expected: RemotePath) {
        #expect(RemotePath.resolve(text, from: base) == expected)
    }

    @Test("paths print relative to the working folder when below it, else absolute")
    func display() {
        let object = RemotePath(container: "c", name: "p/x")
        #expect(object.display(relativeTo: Self.inFolder) == "x")
        #expect(object.display(relativeTo: Self.root) == "c/p/x")
        #expect(object.display(relativeTo: RemotePath(container: "d")) == "/c/p/x")
        #expect(RemotePath(container: "c").display(relativeTo: Self.root) == "c")
        #expect(Self.inFolder.display(relativeTo: Self.inFolder) == "/c/p/")
        #expect(Self.root.description == "/")
        #expect(RemotePath(container: "c").description == "/c")
    }

    @Test("the last component names an object, a folder or a container")
    func lastComponent() {
        #expect(RemotePath(container: "c", name: "a/b/").lastComponent == "b")
        #expect(RemotePath(container: "c", name: "a/x.txt").lastComponent == "x.txt")
        #expect(RemotePath(container: "c").lastComponent == "c")
        #expect(RemotePath(container: "c", name: "a").asFolder == RemotePath(container: "c", name: "a/"))
    }
}
