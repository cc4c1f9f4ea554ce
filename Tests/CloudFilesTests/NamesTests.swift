import Testing

@testable import CloudFiles

@Suite("Names: validation and percent-encoding")
struct NamesTests {
    @Test(
        "container names Swift refuses are refused before sending",
        arguments: [
            "", "a/b", "/", String(repeating: "x", count: 257), String(repeating: "é", count: 129), "nul\u{0}byte",
        ])
    func invalidContainers(name: String) {
        #expect(throws: CloudFilesError.invalidName) { try Names.validateContainer(name) }
    }

    @Test(
        "container names Swift accepts pass",
        arguments: [
            "c", String(repeating: "x", count: 256), "with space", "日本語", "a%b?c#d+e&f;g", ".", "..",
        ])
    func validContainers(name: String) throws {
        try Names.validateContainer(name)
    }

    @Test(
        "object names over 1024 bytes or empty are refused",
        arguments: [
            "", String(repeating: "x", count: 1025), String(repeating: "ü", count: 513),
        ])
    func invalidObjects(name: String) {
        #expect(throws: CloudFilesError.invalidName) { try Names.validateObject(name) }
    }

    @Test("the refusal says why, and how long the name is")
    func refusalMessage() {
        do {
            try Names.validateObject(String(repeating: "x", count: 1030))
            Issue.record("no error")
        } catch let error as CloudFilesError {
            #expect(error.description.contains("1030 bytes"))
            #expect(error.description.contains("1024"))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test(
        "object names keep their slashes and encode everything else",
        arguments: [
            ("a b", "a%20b"),
            ("100%", "100%25"),
            ("what?#frag", "what%3F%23frag"),
            ("a+b&c;d=e", "a%2Bb%26c%3Bd%3De"),
            ("/leading", "/leading"),
            ("a//b", "a//b"),
            ("dir/", "dir/"),
            ("é", "%C3%A9"),
            ("日本", "%E6%97%A5%E6%9C%AC"),
            ("a/./b", "a/%2E/b"),
            ("../x", "%2E%2E/x"),
            ("file.txt", "file.txt"),
            ("~tilde_-.", "~tilde_-."),
        ])
    func objectEncoding(name: String, encoded: String) {
        #expect(Names.encodeObject(name) == encoded)
    }

    @Test("container names and query values encode the slash too")
    func slashInQueries() {
        #expect(Names.encodeQuery("a/b c&d") == "a%2Fb%20c%26d")
        #expect(Names.encodeContainer("x y") == "x%20y")
    }

    @Test(
        "content types are guessed from the extension",
        arguments: [
            ("photo.JPG", "image/jpeg"), ("a/b/notes.txt", "text/plain"), ("archive.tar.gz", "application/gzip"),
            ("noext", "application/octet-stream"), (".hidden", "application/octet-stream"),
            ("x.unknownext", "application/octet-stream"),
        ])
    func contentTypes(name: String, type: String) {
        #expect(ContentTypes.guess(for: name) == type)
    }
}
