import CFSHTestSupport
import CloudFiles
import Foundation
import Testing

/// Rackspace identity v2.0 against `scripts/rackspace-identity`, a stand-in that answers in
/// Rackspace's format with real tempauth tokens, so the storage calls behind it are real.
@Suite("Rackspace identity v2.0", .timeLimit(.minutes(2)))
struct RackspaceAuthTests {
    @Test("an API key login reads the token, its expiry and the default region's publicURL, which opens the account")
    func apiKey() async throws {
        try await LocalIdentity.requireRackspace()
        let provider = RackspaceAuthProvider.rackspace(
            authURL: LocalIdentity.rackspaceURL, username: LocalIdentity.rackspaceUser,
            apiKey: LocalIdentity.rackspaceAPIKey)
        try await LocalIdentity.withClient(provider) { client in
            let session = try await client.session()
            #expect(session.storageURL.absoluteString == "http://127.0.0.1:8080/v1/AUTH_test")
            #expect(session.endpoint == AuthEndpoint(region: "DFW", interface: "public", serviceName: "cloudFiles"))
            let expiresAt = try #require(session.expiresAt)
            #expect(abs(expiresAt.timeIntervalSinceNow - 86400) < 120)
            _ = try await client.accountInfo()
        }
    }

    @Test("internal (ServiceNet) picks the internalURL, a different and working proxy")
    func internalURL() async throws {
        try await LocalIdentity.requireRackspace()
        let provider = RackspaceAuthProvider.rackspace(
            authURL: LocalIdentity.rackspaceURL, username: LocalIdentity.rackspaceUser,
            apiKey: LocalIdentity.rackspaceAPIKey, interface: .internal)
        try await LocalIdentity.withClient(provider) { client in
            let session = try await client.session()
            #expect(session.storageURL.absoluteString == "http://127.0.0.1:8081/v1/AUTH_test")
            #expect(session.endpoint?.interface == "internal")
            _ = try await client.accountInfo()
        }
    }

    @Test("connect-style options with --internal infer v2.0 from the URL and choose internalURL")
    func optionsWithInternal() async throws {
        try await LocalIdentity.requireRackspace()
        var options = ConnectionOptions()
        options.authURL = LocalIdentity.rackspaceURL.absoluteString
        options.user = LocalIdentity.rackspaceUser
        options.key = LocalIdentity.rackspaceAPIKey
        options.interface = .internal
        #expect(options.inferredAuthVersion == .v2)
        let provider = try ConnectionResolver(environment: [:], currentDirectory: "/nonexistent").provider(for: options)
        let rackspace = try #require(provider as? RackspaceAuthProvider)
        #expect(rackspace.credential == .apiKey(LocalIdentity.rackspaceAPIKey))
        try await LocalIdentity.withClient(rackspace) { client in
            let storageURL = try await client.storageURL().absoluteString
            #expect(storageURL == "http://127.0.0.1:8081/v1/AUTH_test")
        }
    }

    @Test("a named region picks its endpoints; a region without internalURL says which interfaces it has")
    func regions() async throws {
        try await LocalIdentity.requireRackspace()
        let ord = RackspaceAuthProvider.rackspace(
            authURL: LocalIdentity.rackspaceURL, username: LocalIdentity.rackspaceUser,
            apiKey: LocalIdentity.rackspaceAPIKey, region: "ORD")
        try await LocalIdentity.withClient(ord) { client in
            let storageURL = try await client.storageURL().absoluteString
            #expect(storageURL == "http://localhost:8080/v1/AUTH_test")
            _ = try await client.accountInfo()
        }
        let iad = RackspaceAuthProvider.rackspace(
            authURL: LocalIdentity.rackspaceURL, username: LocalIdentity.rackspaceUser,
            apiKey: LocalIdentity.rackspaceAPIKey, region: "IAD", interface: .internal)
        try await LocalIdentity.withClient(iad) { client in
            do {
                _ = try await client.session()
                Issue.record("IAD has no internalURL in the stand-in's catalog")
            } catch let error as CloudFilesError {
                #expect(
                    error.message == "region 'IAD' has no internal object-store endpoint; available interfaces: public")
            }
        }
    }

    @Test("password credentials work as well as the API key")
    func password() async throws {
        try await LocalIdentity.requireRackspace()
        let provider = RackspaceAuthProvider(
            authURL: LocalIdentity.rackspaceURL, username: LocalIdentity.rackspaceUser,
            credential: .password(LocalIdentity.rackspacePassword))
        try await LocalIdentity.withClient(provider) { client in
            let storageURL = try await client.storageURL().absoluteString
            #expect(storageURL == "http://127.0.0.1:8080/v1/AUTH_test")
        }
    }

    @Test("a wrong API key is a 401 authenticationFailed with Rackspace's message and without the key")
    func wrongKey() async throws {
        try await LocalIdentity.requireRackspace()
        let key = "feedfacefeedface\(UUID().uuidString.prefix(8))"
        let provider = RackspaceAuthProvider.rackspace(
            authURL: LocalIdentity.rackspaceURL, username: LocalIdentity.rackspaceUser, apiKey: key)
        try await LocalIdentity.withClient(provider) { client in
            do {
                _ = try await client.session()
                Issue.record("a wrong key must fail")
            } catch let error as CloudFilesError {
                #expect(error == .authenticationFailed)
                #expect(error.status == 401)
                #expect(
                    error.description.contains(
                        "Rackspace identity refused the API key of cfshrack: Username or api key is invalid."))
                #expect(!error.description.contains(key))
            }
        }
    }

    @Test("Rackspace's catalog format parses: endpoints without region or internalURL, and other services ignored")
    func catalogParsing() throws {
        let json = Data(
            """
            [{"name": "cloudFilesCDN", "type": "rax:object-cdn", "endpoints": [{"region": "DFW",
              "tenantId": "MossoCloudFS_x", "publicURL": "https://cdn1.clouddrive.com/v1/MossoCloudFS_x"}]},
             {"name": "cloudFiles", "type": "object-store", "endpoints": [
              {"region": "LON", "tenantId": "MossoCloudFS_x",
               "publicURL": "https://storage101.lon3.clouddrive.com/v1/MossoCloudFS_x",
               "internalURL": "https://snet-storage101.lon3.clouddrive.com/v1/MossoCloudFS_x"},
              {"tenantId": "MossoCloudFS_x", "publicURL": "https://storage.example/v1/MossoCloudFS_x"}]}]
            """.utf8)
        let catalog = try ServiceCatalog(identityV2: json)
        #expect(catalog.endpoints.count == 3)
        #expect(catalog.regions == ["LON"])
        let serviceNet = try catalog.select(region: "LON", interface: .internal)
        #expect(serviceNet.url == "https://snet-storage101.lon3.clouddrive.com/v1/MossoCloudFS_x")
        #expect(serviceNet.serviceName == "cloudFiles")
        let byDefault = try catalog.select(region: nil, interface: .public, defaultRegion: "LON")
        #expect(byDefault.url == "https://storage101.lon3.clouddrive.com/v1/MossoCloudFS_x")
    }
}
