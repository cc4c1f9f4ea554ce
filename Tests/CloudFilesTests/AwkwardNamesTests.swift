import CloudFiles
import Foundation
import NIOCore
import Testing

@Suite("Awkward names round-trip byte for byte", .timeLimit(.minutes(5)))
struct AwkwardNamesTests {
    static let objectNames = [
        "with space", "100% sure", "what?", "#hash", "a+b", "this&that", "semi;colon", "eq=ual",
        "café", "日本語/ファイル", "emoji 🎉", "/leading-slash", "double//slash", "trailing/",
        "a/./b", "../up", "quote'\"", "tab\there", "back\\slash", "~tilde", "[brackets]{braces}",
        "%2F-not-a-slash", "plus+and space", String(repeating: "é", count: 512),
    ]

    @Test("each awkward object name is stored, listed, read and deleted under exactly its name")
    func objectNames() async throws {
        try await TestServer.withClient { client in
            try await TestServer.withContainer(client, prefix: "cf-names") { container in
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for name in Self.objectNames {
                        group.addTask {
                            try await client.uploadObject(name, in: container, bytes: .init(string: name))
                        }
                    }
                    try await group.waitForAll()
                }
                let listed = try await Array(client.listObjects(in: container, .init(pageSize: 5))).map(\.name)
                #expect(Set(listed) == Set(Self.objectNames))
                #expect(listed.count == Self.objectNames.count)
                // Swift sorts by UTF-8 bytes.
                #expect(
                    listed.map { Array($0.utf8) }
                        == listed.map { Array($0.utf8) }.sorted { $0.lexicographicallyPrecedes($1) })
                for name in Self.objectNames {
                    let body = try await client.contents(name, in: container)
                    #expect(body == ByteBuffer(string: name), "body of \(name)")
                    let info = try await client.objectInfo(name, in: container)
                    #expect(info.contentLength == Int64(name.utf8.count), "length of \(name)")
                }
                // Markers and prefixes with awkward bytes survive the query string.
                let prefixed = try await Array(client.listObjects(in: container, .init(prefix: "a+b"))).map(\.name)
                #expect(prefixed == ["a+b"])
                let after = try await Array(
                    client.listObjects(in: container, .init(marker: "this&that", endMarker: "~tilde"))
                ).map(\.name)
                #expect(
                    after
                        == Self.objectNames.filter { $0 > "this&that" && $0 < "~tilde" }.sorted {
                            Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8))
                        })
                for name in Self.objectNames {
                    try await client.deleteObject(name, in: container)
                }
                #expect(try await Array(client.listObjects(in: container)).isEmpty)
            }
        }
    }

    @Test(
        "awkward container names round-trip",
        arguments: ["cf space %?#+&; é 日本 🎉", "cf..", "cf-" + String(repeating: "ü", count: 124)])
    func containerNames(base: String) async throws {
        try await TestServer.withClient { client in
            let name = base + "-" + UUID().uuidString.prefix(4).lowercased()
            #expect(try await client.createContainer(name))
            try await client.uploadObject("o", in: name, bytes: .init(string: "x"))
            let listed = try await Array(client.listContainers(.init(prefix: name))).map(\.name)
            #expect(listed == [name])
            #expect(try await client.containerInfo(name).objectCount == 1)
            try await TestServer.empty(name, client)
            await #expect(throws: CloudFilesError.notFound) { try await client.containerInfo(name) }
        }
    }

    @Test("copy between awkward names keeps them intact")
    func copyAwkward() async throws {
        try await TestServer.withClient { client in
            try await TestServer.withContainer(client, prefix: "cf-names café") { container in
                try await client.uploadObject("/src?#%", in: container, bytes: .init(string: "payload"))
                try await client.copyObject("/src?#%", in: container, to: "dst//é&;+", in: container)
                #expect(try await client.contents("dst//é&;+", in: container) == .init(string: "payload"))
            }
        }
    }
}
