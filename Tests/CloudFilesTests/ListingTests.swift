import CloudFiles
import Foundation
import NIOCore
import Testing

@Suite("Listings page by page against the real server", .timeLimit(.minutes(5)))
struct ListingTests {
    /// Uploads `names` (16 at a time), each with its name as body.
    static func fill(_ client: CloudFilesClient, _ container: String, _ names: [String]) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            var iterator = names.makeIterator()
            for _ in 0..<8 {
                guard let name = iterator.next() else { break }
                group.addTask { try await client.uploadObject(name, in: container, bytes: .init(string: name)) }
            }
            while try await group.next() != nil {
                guard let name = iterator.next() else { continue }
                group.addTask { try await client.uploadObject(name, in: container, bytes: .init(string: name)) }
            }
        }
    }

    @Test("300 objects with a page size of 7: every name once, in order, in 44 pages plus the empty one")
    func paging() async throws {
        // Through the fault proxy, which counts the requests for this container.
        try await TestServer.withClient(authURL: TestServer.faultProxyAuthURL) { client in
            try await TestServer.withContainer(client, prefix: "cf-pages") { container in
                let names = (0..<300).map { String(format: "obj-%04d", $0) }
                try await Self.fill(client, container, names)
                try await FaultProxy.startCounting(container)
                var seen: [String] = []
                for try await entry in client.listObjects(in: container, .init(pageSize: 7)) {
                    guard case .object(let record) = entry else {
                        Issue.record("unexpected \(entry)")
                        continue
                    }
                    #expect(record.bytes == Int64(record.name.utf8.count))
                    #expect(record.hash == md5Hex(record.name.utf8))
                    #expect(record.contentType == "application/octet-stream")
                    #expect(record.lastModified != nil)
                    seen.append(record.name)
                }
                #expect(seen == names)
                // 300 / 7 = 42 full pages + 1 page of 6 + 1 empty page: a short page is not the end.
                #expect(try await FaultProxy.hits(container) == 44)

                var pages: [Int] = []
                for try await page in client.listObjects(in: container, .init(pageSize: 100)).pages {
                    pages.append(page.count)
                }
                #expect(pages == [100, 100, 100])
            }
        }
    }

    @Test("limit caps the total over pages; marker, end_marker, prefix and reverse filter")
    func filters() async throws {
        try await TestServer.withClient { client in
            try await TestServer.withContainer(client, prefix: "cf-filters") { container in
                let names = (0..<40).map { String(format: "%@-%02d", $0 % 2 == 0 ? "even" : "odd", $0) }
                try await Self.fill(client, container, names)
                let sorted = names.sorted()
                func list(_ options: ObjectListingOptions) async throws -> [String] {
                    try await Array(client.listObjects(in: container, options)).map(\.name)
                }
                #expect(try await list(.init(limit: 13, pageSize: 5)) == Array(sorted.prefix(13)))
                #expect(try await list(.init(prefix: "odd-", pageSize: 3)) == sorted.filter { $0.hasPrefix("odd-") })
                #expect(
                    try await list(.init(marker: "even-10", endMarker: "even-20", pageSize: 2))
                        == sorted.filter { $0 > "even-10" && $0 < "even-20" })
                #expect(try await list(.init(reverse: true, pageSize: 6)) == sorted.reversed())
                #expect(
                    try await list(.init(prefix: "even-", limit: 4, reverse: true, pageSize: 3))
                        == Array(sorted.filter { $0.hasPrefix("even-") }.reversed().prefix(4)))
                #expect(try await list(.init(limit: 0)) == [])
            }
        }
    }

    @Test("a delimiter rolls names up into subdirectory entries, across pages")
    func delimiter() async throws {
        try await TestServer.withClient { client in
            try await TestServer.withContainer(client, prefix: "cf-delim") { container in
                var names = ["top.txt", "z-last"]
                for folder in ["a", "b", "c", "d"] {
                    for index in 0..<5 { names.append("\(folder)/\(index).txt") }
                }
                names += ["b/deep/x", "b/deep/y"]
                try await Self.fill(client, container, names)
                // Page size 2: markers land on subdirectories, which must not repeat.
                let root = try await Array(client.listObjects(in: container, .init(delimiter: "/", pageSize: 2)))
                #expect(root.map(\.name) == ["a/", "b/", "c/", "d/", "top.txt", "z-last"])
                #expect(root.first == .subdirectory("a/"))
                if case .object(let record) = root[4] {
                    #expect(record.name == "top.txt")
                } else {
                    Issue.record("not an object")
                }
                let inB = try await Array(
                    client.listObjects(in: container, .init(prefix: "b/", delimiter: "/", pageSize: 2)))
                #expect(inB.map(\.name) == ["b/0.txt", "b/1.txt", "b/2.txt", "b/3.txt", "b/4.txt", "b/deep/"])
            }
        }
    }

    @Test("the account's containers are listed over pages with prefix, limit and reverse")
    func containers() async throws {
        try await TestServer.withClient { client in
            let prefix = TestServer.uniqueName("cf-acct")
            let names = (0..<12).map { "\(prefix)-\(String(format: "%02d", $0))" }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for name in names { group.addTask { try await client.createContainer(name) } }
                try await group.waitForAll()
            }
            do {
                let all = try await Array(client.listContainers(.init(prefix: prefix, pageSize: 5)))
                #expect(all.map(\.name) == names)
                #expect(all.allSatisfy { $0.objectCount == 0 })
                let limited = try await Array(client.listContainers(.init(prefix: prefix, limit: 7, pageSize: 3)))
                #expect(limited.map(\.name) == Array(names.prefix(7)))
                let reversed = try await Array(client.listContainers(.init(prefix: prefix, reverse: true, pageSize: 4)))
                #expect(reversed.map(\.name) == names.reversed())
                let window = try await Array(
                    client.listContainers(.init(prefix: prefix, marker: names[2], endMarker: names[6], pageSize: 2)))
                #expect(window.map(\.name) == Array(names[3..<6]))
            } catch {
                for name in names { try? await client.deleteContainer(name) }
                throw error
            }
            for name in names { try await client.deleteContainer(name) }
        }
    }
}

extension Array {
    /// Collects an async sequence.
    init<S: AsyncSequence>(_ sequence: S) async throws where S.Element == Element {
        self = []
        for try await element in sequence { append(element) }
    }
}
