import CFSHTestSupport
import CloudFiles
import Foundation
import NIOCore
import Testing

@Suite("Account and containers against the real server", .timeLimit(.minutes(7)))
struct AccountContainerTests {
    @Test("account HEAD returns totals, and metadata can be set and removed")
    func account() async throws {
        try await TestServer.withClient { client in
            let key = "cftest" + UUID().uuidString.prefix(8).lowercased()
            try await client.updateAccountMetadata(set: [key: "Value One"])
            var info = try await client.accountInfo()
            #expect(info.metadata[key] == "Value One")
            #expect(info.containerCount >= 0 && info.objectCount >= 0 && info.bytesUsed >= 0)
            #expect(info.transactionID != nil)
            try await client.updateAccountMetadata(remove: [key])
            info = try await client.accountInfo()
            #expect(info.metadata[key] == nil)
        }
    }

    @Test("account totals count a new container at once, and a new object once the container updater has run")
    func accountTotals() async throws {
        try await TestServer.withClient { client in
            try await TestServer.withContainer(client) { container in
                let before = try await client.containerInfo(container)
                #expect(before.objectCount == 0)
                try await client.uploadObject("a", in: container, bytes: .pattern(1000))
                let after = try await client.containerInfo(container)
                #expect(after.objectCount == 1)
                #expect(after.bytesUsed == 1000)
                // Object totals reach the account through the container-updater's sweeps over
                // every container database: scripts/swift-server sweeps every 30 s, and a sweep
                // on a loaded 2-core machine with hundreds of test containers can take minutes.
                var record = try await Array(client.listContainers(.init(prefix: container))).first
                #expect(record?.name == container)
                let start = ContinuousClock.now
                while record?.objectCount != 1, ContinuousClock.now - start < .seconds(360) {
                    try await Task.sleep(for: .seconds(1))
                    record = try await Array(client.listContainers(.init(prefix: container))).first
                }
                #expect(record?.name == container)
                #expect(record?.objectCount == 1)
                #expect(record?.bytesUsed == 1000)
                let account = try await client.accountInfo()
                #expect(account.containerCount >= 1)
                #expect(account.objectCount >= 1)
                #expect(account.bytesUsed >= 1000)
                let raw = Dictionary(
                    account.headers.map { ($0.name.lowercased(), $0.value) }, uniquingKeysWith: { a, _ in a })
                #expect(raw["x-account-container-count"].flatMap { Int64($0) } == account.containerCount)
            }
        }
    }

    @Test("PUT creates (201) then finds it existing (202); HEAD, POST and DELETE work")
    func containerLifecycle() async throws {
        try await TestServer.withClient { client in
            let name = TestServer.uniqueName("cf-life")
            #expect(try await client.createContainer(name, metadata: ["colour": "blue"]) == true)
            #expect(try await client.createContainer(name) == false)
            var info = try await client.containerInfo(name)
            #expect(info.name == name)
            #expect(info.metadata["colour"] == "blue")
            #expect(info.storagePolicy != nil)
            try await client.updateContainerMetadata(
                name, set: ["size": "L"], remove: ["colour"], headers: ["X-Container-Read": ".r:*"])
            info = try await client.containerInfo(name)
            #expect(info.metadata == ["size": "L"])
            #expect(info.readACL == ".r:*")
            try await client.deleteContainer(name)
            await #expect(throws: CloudFilesError.notFound) { try await client.containerInfo(name) }
        }
    }

    @Test("deleting a container that holds objects is containerNotEmpty (409)")
    func notEmpty() async throws {
        try await TestServer.withClient { client in
            try await TestServer.withContainer(client) { container in
                try await client.uploadObject("x", in: container, bytes: .init(string: "x"))
                do {
                    try await client.deleteContainer(container)
                    Issue.record("no error")
                } catch let error as CloudFilesError {
                    #expect(error == .containerNotEmpty)
                    #expect(error.status == 409)
                    #expect(error.method == "DELETE")
                    #expect(error.transactionID?.hasPrefix("tx") == true)
                    #expect(error.description.contains(container))
                }
            }
        }
    }

    @Test("a missing container is notFound (404) for HEAD, POST, DELETE and listing")
    func missing() async throws {
        try await TestServer.withClient { client in
            let name = TestServer.uniqueName("cf-missing")
            await #expect(throws: CloudFilesError.notFound) { try await client.containerInfo(name) }
            await #expect(throws: CloudFilesError.notFound) { try await client.deleteContainer(name) }
            await #expect(throws: CloudFilesError.notFound) {
                try await client.updateContainerMetadata(name, set: ["a": "b"])
            }
            await #expect(throws: CloudFilesError.notFound) {
                for try await _ in client.listObjects(in: name) {}
            }
            do {
                try await client.deleteContainer(name)
            } catch let error as CloudFilesError {
                #expect(error.status == 404)
                #expect(error.description.contains("not found"))
                #expect(error.description.contains("X-Trans-Id: tx"))
            }
        }
    }

    @Test("another account's valid token gets forbidden (403)")
    func forbidden() async throws {
        // test2:tester2's token in AUTH_test (test:tester3 is kept for the short-token tests).
        let ours = try await TestServer.withClient { try await $0.session() }
        let theirs = try await TestServer.client(user: LocalServer.secondUser, key: LocalServer.secondKey)
        let token = try await theirs.session().token
        try await theirs.shutdown()
        let client = CloudFilesClient(auth: .token(storageURL: ours.storageURL, token: token))
        defer { Task { try await client.shutdown() } }
        do {
            try await client.createContainer(TestServer.uniqueName("cf-403"))
            Issue.record("no error")
        } catch let error as CloudFilesError {
            #expect(error == .forbidden)
            #expect(error.status == 403)
        }
    }

    @Test("invalid container names are refused before any request")
    func invalidNames() async throws {
        try await TestServer.withClient { client in
            await #expect(throws: CloudFilesError.invalidName) { try await client.createContainer("a/b") }
            await #expect(throws: CloudFilesError.invalidName) {
                try await client.createContainer(String(repeating: "c", count: 257))
            }
            await #expect(throws: CloudFilesError.invalidName) { try await client.createContainer("") }
            await #expect(throws: CloudFilesError.invalidName) {
                try await client.uploadObject(String(repeating: "o", count: 1025), in: "c", bytes: ByteBuffer())
            }
        }
    }

    @Test("capabilities come from /info: limits, SLO and bulk delete")
    func capabilities() async throws {
        try await TestServer.withClient { client in
            let caps = try await client.capabilities()
            #expect(caps.maxFileSize == 5_368_709_122)
            #expect(caps.containerListingLimit == 10_000)
            #expect(caps.maxObjectNameLength == 1024)
            #expect(caps.slo?.maxManifestSegments == 1000)
            #expect(caps.bulkDelete?.maxDeletesPerRequest == 10_000)
            #expect(caps.sections.contains("tempurl"))
            #expect(caps.version?.hasPrefix("2.") == true)
        }
    }

    @Test("a client asks /info once and keeps the answer, unless told to refresh")
    func capabilitiesAskedOnce() async throws {
        try await TestServer.withClient(authURL: TestServer.faultProxyAuthURL) { client in
            try await FaultProxy.startCounting("/info")
            _ = try await client.capabilities()
            let again = try await client.capabilities()
            #expect(again.slo?.maxManifestSegments == 1000)
            #expect(try await FaultProxy.hits("/info") == 1)
            _ = try await client.capabilities(refresh: true)
            #expect(try await FaultProxy.hits("/info") == 2)
            try await FaultProxy.clear("/info")
        }
    }
}
