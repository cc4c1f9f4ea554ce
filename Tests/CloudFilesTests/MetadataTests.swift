import CloudFiles
import Foundation
import NIOCore
import Testing

@Suite("Metadata: object updates keep what Swift's POST drops", .timeLimit(.minutes(5)))
struct MetadataTests {
    /// Swift's object POST drops X-Delete-At and the other headers it stores (Content-Disposition,
    /// Content-Encoding, X-Object-Manifest…) unless they are sent again.
    @Test("updateObjectMetadata keeps the expiry, the content type and Content-Disposition")
    func updateKeepsExpiryAndHeaders() async throws {
        try await TestServer.withClient { client in
            try await TestServer.withContainer(client) { container in
                try await client.uploadObject(
                    "kept", in: container, bytes: .init(string: "kept"),
                    options: .init(
                        contentType: "text/x-kept", metadata: ["a": "1"], deleteAfter: 3600,
                        headers: ["Content-Disposition": "attachment; filename=kept.txt"]))
                let before = try await client.objectInfo("kept", in: container)
                let deleteAt = try #require(before.deleteAt)
                try await client.updateObjectMetadata("kept", in: container, set: ["b": "2"])
                let after = try await client.objectInfo("kept", in: container)
                #expect(after.metadata["a"] == "1" && after.metadata["b"] == "2")
                #expect(after.deleteAt == deleteAt)
                #expect(after.contentType == "text/x-kept")
                let disposition = after.headers.first { $0.name.lowercased() == "content-disposition" }?.value
                #expect(disposition == "attachment; filename=kept.txt")
            }
        }
    }

    @Test("a dynamic large object stays one after a metadata change (X-Object-Manifest is sent again)")
    func dynamicManifestKept() async throws {
        try await TestServer.withClient { client in
            try await TestServer.withContainer(client) { container in
                try await client.uploadObject("parts/1", in: container, bytes: .init(string: "ab"))
                try await client.uploadObject("parts/2", in: container, bytes: .init(string: "cd"))
                try await client.uploadObject(
                    "whole", in: container, bytes: .init(),
                    options: .init(headers: ["X-Object-Manifest": "\(container)/parts/"]))
                try await client.updateObjectMetadata("whole", in: container, set: ["k": "v"])
                let info = try await client.objectInfo("whole", in: container)
                #expect(info.dynamicManifest == "\(container)/parts/")
                #expect(info.totalLength == 4)
                #expect(info.metadata["k"] == "v")
            }
        }
    }

    @Test("a symlink is refused, the content type and expiry change on request, limits are checked first")
    func symlinkTypeExpiryLimits() async throws {
        try await TestServer.withClient { client in
            try await TestServer.withContainer(client) { container in
                try await client.uploadObject("t", in: container, bytes: .init(string: "t"))
                try await client.uploadObject(
                    "l", in: container, bytes: .init(), options: .init(headers: ["X-Symlink-Target": "\(container)/t"]))
                await #expect(throws: CloudFilesError.invalidArgument) {
                    try await client.updateObjectMetadata("l", in: container, set: ["a": "1"])
                }
                let at = Date().addingTimeInterval(86_400).rounded()
                try await client.updateObjectMetadata("t", in: container, contentType: "text/x-new", expiry: .at(at))
                var info = try await client.objectInfo("t", in: container)
                #expect(info.contentType == "text/x-new")
                #expect(info.deleteAt == at)
                try await client.updateObjectMetadata("t", in: container, expiry: .never)
                info = try await client.objectInfo("t", in: container)
                #expect(info.deleteAt == nil)
                #expect(info.contentType == "text/x-new")
                await #expect(throws: CloudFilesError.invalidArgument) {
                    try await client.updateObjectMetadata(
                        "t", in: container, set: ["big": String(repeating: "v", count: 257)])
                }
                await #expect(throws: CloudFilesError.invalidArgument) {
                    try await client.updateObjectMetadata(
                        "t", in: container, expiry: .at(Date(timeIntervalSince1970: 1)))
                }
            }
        }
    }

    @Test("Capabilities reads the metadata limits and checkMetadata names the key and the limit")
    func limits() throws {
        let json =
            #"{"swift": {"max_meta_name_length": 8, "max_meta_value_length": 4, "max_meta_count": 2, "max_meta_overall_size": 12}}"#
        let capabilities = try Capabilities(json: Data(json.utf8))
        #expect(capabilities.maxMetaNameLength == 8 && capabilities.maxMetaValueLength == 4)
        try capabilities.checkMetadata(["a": "1", "b": "2"])
        for (metadata, limit) in [
            (["longername": "1"], "max_meta_name_length"), (["a": "12345"], "max_meta_value_length"),
            (["a": "1", "b": "2", "c": "3"], "max_meta_count"),
            (["abcd": "1234", "efgh": "5678"], "max_meta_overall_size"),
        ] {
            #expect {
                try capabilities.checkMetadata(metadata)
            } throws: { error in
                (error as? CloudFilesError)?.message.contains(limit) == true
            }
        }
        #expect(throws: Never.self) {
            try Capabilities(json: Data("{}".utf8)).checkMetadata(["x": String(repeating: "v", count: 9999)])
        }
    }

    /// "\r\n" is one Swift Character, equal to neither "\r" nor "\n": a check by Character let
    /// it through to the request. Port 9 refuses connections, so only a refusal before
    /// sending gives `.invalidArgument`.
    @Test("a CR/LF pair or another control character in a value is refused before anything is sent")
    func lineBreakPairRefused() async throws {
        let client = CloudFilesClient(
            auth: .token(storageURL: URL(string: "http://127.0.0.1:9/v1/AUTH_x")!, token: "t"))
        defer { Task { try? await client.shutdown() } }
        for value in ["a\r\nX-Injected: 1", "a\rb", "a\nb", "a\u{0}b", "a\u{1B}[2Jb"] {
            await #expect(throws: CloudFilesError.invalidArgument) {
                try await client.updateAccountMetadata(set: ["note": value])
            }
        }
    }

    @Test("ObjectExpiry refuses the past and more than 100 years")
    func expiryValidation() throws {
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        try ObjectExpiry.after(seconds: 3).validate(now: now)
        try ObjectExpiry.at(now.addingTimeInterval(60)).validate(now: now)
        #expect(throws: CloudFilesError.invalidArgument) { try ObjectExpiry.after(seconds: 0).validate(now: now) }
        #expect(throws: CloudFilesError.invalidArgument) {
            try ObjectExpiry.at(now.addingTimeInterval(-1)).validate(now: now)
        }
        #expect(throws: CloudFilesError.invalidArgument) {
            try ObjectExpiry.after(seconds: ObjectExpiry.maximumSeconds + 1).validate(now: now)
        }
    }
}

extension Date {
    fileprivate func rounded() -> Date { Date(timeIntervalSince1970: timeIntervalSince1970.rounded(.down)) }
}
