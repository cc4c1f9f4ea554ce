import CFSHTestSupport
import CloudFiles
import Foundation
import Testing

@Suite("Container ACLs: validation, and set, merge and clear against the real server", .timeLimit(.minutes(3)))
struct ContainerACLTests {
    @Test(
        "the forms Swift understands are accepted, and referrer spellings normalized",
        arguments: [
            (".r:*", ContainerACL.Kind.read, ".r:*"), (".r:example.com", .read, ".r:example.com"),
            (".r:-bad.example.com", .read, ".r:-bad.example.com"), (".r:.example.com", .read, ".r:.example.com"),
            (".r:*.example.com", .read, ".r:.example.com"), (".referrer:example.com", .read, ".r:example.com"),
            (".ref:-x.org", .read, ".r:-x.org"), (".rlistings", .read, ".rlistings"),
            ("partner:partner", .read, "partner:partner"), ("partner", .write, "partner"),
            ("partner:*", .write, "partner:*"), ("*:0123abcd", .read, "*:0123abcd"),
            ("2f1e3d:9a8b7c", .write, "2f1e3d:9a8b7c"), ("*:*", .read, "*:*"), ("AUTH_test", .read, "AUTH_test"),
        ])
    func accepted(element: String, kind: ContainerACL.Kind, stored: String) throws {
        #expect(try ContainerACL.validate(element, for: kind) == stored)
    }

    @Test(
        "bad elements are refused with a message naming the element and the fault",
        arguments: [
            ("", ContainerACL.Kind.read, "an empty read ACL element"),
            ("a:b\r\nX-Container-Write: *:*", .read, "contains a line break"),
            ("a\nb", .write, "contains a line break"), ("a\u{1B}[31m", .read, "contains a control character"),
            ("a:b c", .read, "contains a space"), ("pärtner", .read, "is not ASCII"),
            ("a:b:c", .read, "more than one ':'"), (":user", .read, "empty side of ':'"),
            ("acct:", .write, "empty side of ':'"), ("*", .read, "'*' alone"),
            (".r:", .read, "names no host"), (".r:-", .read, "names no host"), (".r:.", .read, "names no host"),
            (".r:*", .write, "only in a read ACL"), (".rlistings", .write, "belongs in a read ACL"),
            (".x:y", .read, "is not .r:HOST"), (".admin", .read, "is not .r:HOST"),
            (".r:ex*ample.com", .read, "no valid host"), (".r:a/b", .read, "no valid host"),
        ])
    func refused(element: String, kind: ContainerACL.Kind, message: String) throws {
        let error = #expect(throws: CloudFilesError.self) { try ContainerACL.validate(element, for: kind) }
        #expect(error == .invalidArgument)
        #expect(error?.message.contains(message) == true, "\(error?.message ?? "")")
    }

    @Test("a list splits on commas and refuses an empty element between them")
    func lists() throws {
        #expect(try ContainerACL.validate(["a:b, c:d", "a:b", ".r:*"], for: .read) == ["a:b", "c:d", ".r:*"])
        #expect(throws: CloudFilesError.self) { try ContainerACL.validate(["a:b,,c:d"], for: .read) }
        #expect(throws: CloudFilesError.self) { try ContainerACL.validate(["a:b,"], for: .read) }
    }

    @Test("set, read back, merge keeping the other grantees, revoke one, and clear; curl -I agrees")
    func setMergeClear() async throws {
        try await TestServer.withClient { client in
            try await TestServer.withContainer(client) { container in
                try await client.setContainerACL(container, read: ["partner:partner", ".r:*"], write: ["partner"])
                var acl = try await client.containerACL(container)
                #expect(acl.read == ["partner:partner", ".r:*"])
                #expect(acl.write == ["partner"])
                #expect(acl.isPublic && !acl.allowsListings)
                let merged = try await client.updateContainerACL(
                    container, grant: ContainerACL(read: ["test:tester3", "partner:partner", ".rlistings"]))
                #expect(merged.read == ["partner:partner", ".r:*", "test:tester3", ".rlistings"])
                acl = try await client.containerACL(container)
                #expect(acl == merged)
                #expect(
                    try await Self.header("X-Container-Read", of: container, client) == acl.read.joined(separator: ","))
                #expect(try await Self.header("X-Container-Write", of: container, client) == "partner")
                acl = try await client.updateContainerACL(container, revoke: ["partner:partner", "partner"])
                #expect(acl.read == [".r:*", "test:tester3", ".rlistings"] && acl.write.isEmpty)
                #expect(try await client.containerACL(container) == acl)
                try await client.setContainerACL(container, read: [], write: [])
                #expect(try await client.containerACL(container) == ContainerACL())
                #expect(try await Self.header("X-Container-Read", of: container, client) == nil)
            }
        }
    }

    @Test("a bad element is refused before anything is sent: the ACL is unchanged")
    func refusedBeforeSending() async throws {
        try await TestServer.withClient { client in
            try await TestServer.withContainer(client) { container in
                try await client.setContainerACL(container, read: ["partner:partner"])
                await #expect(throws: CloudFilesError.self) {
                    try await client.setContainerACL(container, read: ["test:tester3", "x\r\nX-Container-Write: *:*"])
                }
                await #expect(throws: CloudFilesError.self) {
                    try await client.updateContainerACL(container, grant: ContainerACL(write: [".r:*"]))
                }
                #expect(try await client.containerACL(container) == ContainerACL(read: ["partner:partner"]))
                // A container that does not exist: the element is refused first, not the name.
                let error = await #expect(throws: CloudFilesError.self) {
                    try await client.setContainerACL(container + "-missing", read: ["a:b:c"])
                }
                #expect(error == .invalidArgument)
            }
        }
    }

    /// One header of the container, as curl sees it with the main account's token.
    static func header(_ name: String, of container: String, _ client: CloudFilesClient) async throws -> String? {
        let session = try await client.session()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        process.arguments = [
            "-sI", "-H", "X-Auth-Token: " + session.token, try await client.containerURL(container),
        ]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let prefix = name.lowercased() + ": "
        return String(decoding: data, as: UTF8.self).split(separator: "\r\n")
            .first { $0.lowercased().hasPrefix(prefix) }.map { String($0.dropFirst(prefix.count)) }
    }
}
