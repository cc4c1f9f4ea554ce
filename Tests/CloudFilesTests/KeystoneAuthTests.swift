import CFSHTestSupport
import CloudFiles
import Foundation
import Testing

extension KeystoneIntegration {
    /// Keystone v3 against the real Keystone of `scripts/keystone-server` and the Swift proxies
    /// behind it (authtoken + keystoneauth).
    @Suite("Keystone v3 against a real Keystone", .timeLimit(.minutes(3)))
    struct KeystoneAuthTests {
        @Test(
            "a password login by names gets a token, its expiry and the public RegionOne endpoint, which opens the account"
        )
        func passwordByNames() async throws {
            let ids = try await LocalIdentity.requireKeystone()
            let provider = KeystoneV3AuthProvider.keystoneV3(
                authURL: LocalIdentity.keystoneURL, method: LocalIdentity.demoByName,
                scope: LocalIdentity.demoScope, region: "RegionOne")
            try await LocalIdentity.withClient(provider) { client in
                let session = try await client.session()
                #expect(session.storageURL.absoluteString == "http://127.0.0.1:8082/v1/AUTH_\(ids.project)")
                #expect(session.endpoint?.region == "RegionOne")
                #expect(session.endpoint?.interface == "public")
                let expiresAt = try #require(session.expiresAt)
                #expect(expiresAt.timeIntervalSinceNow > 3000 && expiresAt.timeIntervalSinceNow <= 3601)
                let account = try await client.accountInfo()
                #expect(account.containerCount >= 0)
            }
        }

        @Test("a password login by user id and project id reaches the same account")
        func passwordByIds() async throws {
            let ids = try await LocalIdentity.requireKeystone()
            let provider = KeystoneV3AuthProvider.keystoneV3(
                authURL: LocalIdentity.keystoneURL,
                method: .password(user: .id(ids.user), password: LocalIdentity.demoPassword),
                scope: .projectID(ids.project), region: "RegionOne")
            try await LocalIdentity.withClient(provider) { client in
                let session = try await client.session()
                #expect(session.storageURL.absoluteString == "http://127.0.0.1:8082/v1/AUTH_\(ids.project)")
                _ = try await client.accountInfo()
            }
        }

        @Test("a domain given by name, and the server root as auth URL, work too")
        func domainByNameAndRootURL() async throws {
            let ids = try await LocalIdentity.requireKeystone()
            let provider = KeystoneV3AuthProvider.keystoneV3(
                authURL: URL(string: "http://127.0.0.1:5000")!,
                method: .password(user: .name("demo", domain: .name("Default")), password: LocalIdentity.demoPassword),
                scope: .project(name: "demo", domain: .name("Default")), region: "RegionOne")
            try await LocalIdentity.withClient(provider) { client in
                let storageURL = try await client.storageURL().absoluteString
                #expect(storageURL.hasSuffix("/AUTH_\(ids.project)"))
            }
        }

        @Test("an application credential logs in by id, and by name with its user")
        func applicationCredential() async throws {
            let ids = try await LocalIdentity.requireKeystone()
            let byID = KeystoneV3AuthProvider.keystoneV3(
                authURL: LocalIdentity.keystoneURL,
                method: .applicationCredential(
                    id: ids.applicationCredential, secret: LocalIdentity.appCredentialSecret),
                region: "RegionOne")
            let byName = KeystoneV3AuthProvider.keystoneV3(
                authURL: LocalIdentity.keystoneURL,
                method: .applicationCredentialName(
                    LocalIdentity.appCredentialName,
                    user: .name("demo", domain: .default),
                    secret: LocalIdentity.appCredentialSecret),
                region: "RegionOne")
            for provider in [byID, byName] {
                try await LocalIdentity.withClient(provider) { client in
                    let session = try await client.session()
                    #expect(session.storageURL.absoluteString == "http://127.0.0.1:8082/v1/AUTH_\(ids.project)")
                    _ = try await client.accountInfo()
                }
            }
        }

        @Test("a token is exchanged for a project-scoped one through the token method")
        func tokenMethod() async throws {
            let ids = try await LocalIdentity.requireKeystone()
            let first = try await LocalIdentity.withClient(
                KeystoneV3AuthProvider.keystoneV3(
                    authURL: LocalIdentity.keystoneURL, method: LocalIdentity.demoByName,
                    scope: LocalIdentity.demoScope, region: "RegionOne")
            ) { try await $0.session() }
            let provider = KeystoneV3AuthProvider.keystoneV3(
                authURL: LocalIdentity.keystoneURL, method: .token(first.token),
                scope: .projectID(ids.project), region: "RegionTwo")
            try await LocalIdentity.withClient(provider) { client in
                let session = try await client.session()
                #expect(session.token != first.token)
                #expect(session.storageURL.absoluteString == "http://localhost:8082/v1/AUTH_\(ids.project)")
                _ = try await client.accountInfo()
            }
        }

        @Test("a wrong password fails with authenticationFailed, naming the user and 401, without the password")
        func wrongPassword() async throws {
            _ = try await LocalIdentity.requireKeystone()
            let secret = "Wr0ng-pass-\(UUID().uuidString.prefix(6))"
            let provider = KeystoneV3AuthProvider.keystoneV3(
                authURL: LocalIdentity.keystoneURL,
                method: .password(user: .name("demo", domain: .default), password: secret),
                scope: LocalIdentity.demoScope, region: "RegionOne")
            let error = try await LocalIdentity.withClient(provider) { client in
                await #expect(throws: CloudFilesError.authenticationFailed) { try await client.accountInfo() }
                do {
                    _ = try await client.session()
                    return nil as CloudFilesError?
                } catch let error as CloudFilesError {
                    return error
                }
            }
            let failure = try #require(error)
            #expect(failure.status == 401)
            #expect(failure.description.contains("Keystone refused the password of demo"))
            #expect(failure.description.contains("/v3/auth/tokens"))
            #expect(!failure.description.contains(secret))
            #expect(!String(reflecting: failure).contains(secret))
        }

        @Test(
            "region and interface pick the matching catalog endpoint, and each one really serves the account",
            arguments: [
                ("RegionOne", EndpointInterface.public, "http://127.0.0.1:8082/v1/"),
                ("RegionOne", .internal, "http://127.0.0.1:8083/v1/"),
                ("RegionOne", .admin, "http://127.0.0.1:8082/v1.0/"),
                ("RegionTwo", .public, "http://localhost:8082/v1/"),
                ("RegionTwo", .internal, "http://localhost:8083/v1/"),
                ("regiontwo", .internal, "http://localhost:8083/v1/"),
            ])
        func endpointSelection(region: String, interface: EndpointInterface, prefix: String) async throws {
            let ids = try await LocalIdentity.requireKeystone()
            let provider = KeystoneV3AuthProvider.keystoneV3(
                authURL: LocalIdentity.keystoneURL, method: LocalIdentity.demoByName,
                scope: LocalIdentity.demoScope, region: region, interface: interface)
            try await LocalIdentity.withClient(provider) { client in
                let session = try await client.session()
                #expect(session.storageURL.absoluteString == prefix + "AUTH_\(ids.project)")
                #expect(session.endpoint?.interface == interface.rawValue)
                #expect(session.endpoint?.region?.lowercased() == region.lowercased())
                _ = try await client.accountInfo()
            }
        }

        @Test("without a region, a two-region catalog is an error that lists both regions")
        func regionRequired() async throws {
            _ = try await LocalIdentity.requireKeystone()
            let provider = KeystoneV3AuthProvider.keystoneV3(
                authURL: LocalIdentity.keystoneURL, method: LocalIdentity.demoByName, scope: LocalIdentity.demoScope)
            try await LocalIdentity.withClient(provider) { client in
                do {
                    _ = try await client.session()
                    Issue.record("expected an error listing the regions")
                } catch let error as CloudFilesError {
                    #expect(error == .invalidArgument)
                    #expect(error.message.contains("2 regions: RegionOne, RegionTwo"))
                    #expect(error.message.contains("--region"))
                }
            }
        }

        @Test("an unknown region is an error that lists the regions there are")
        func unknownRegion() async throws {
            _ = try await LocalIdentity.requireKeystone()
            let provider = KeystoneV3AuthProvider.keystoneV3(
                authURL: LocalIdentity.keystoneURL, method: LocalIdentity.demoByName,
                scope: LocalIdentity.demoScope, region: "RegionNine")
            try await LocalIdentity.withClient(provider) { client in
                do {
                    _ = try await client.session()
                    Issue.record("expected an error for RegionNine")
                } catch let error as CloudFilesError {
                    #expect(error == .invalidArgument)
                    #expect(
                        error.message
                            == "the service catalog has no object-store endpoint in region 'RegionNine'; available regions: RegionOne, RegionTwo"
                    )
                }
            }
        }

        @Test("connect options with --internal resolve to Keystone and reach the internal proxy")
        func optionsResolveToKeystone() async throws {
            let ids = try await LocalIdentity.requireKeystone()
            var options = LocalIdentity.demoPasswordOptions
            options.interface = .internal
            let provider = try ConnectionResolver(environment: [:], currentDirectory: "/nonexistent").provider(
                for: options)
            #expect(provider is KeystoneV3AuthProvider)
            try await LocalIdentity.withClient(AnyAuthProvider(provider)) { client in
                let storageURL = try await client.storageURL().absoluteString
                #expect(storageURL == "http://127.0.0.1:8083/v1/AUTH_\(ids.project)")
                _ = try await client.accountInfo()
            }
        }
    }
}
