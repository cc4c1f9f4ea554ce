import CFSHTestSupport
import CloudFiles
import Foundation
import Testing

extension KeystoneIntegration {
    /// clouds.yaml, secure.yaml and the environment, logging in to the real Keystone.
    @Suite("clouds.yaml and the environment against a real Keystone", .timeLimit(.minutes(2)))
    struct ConfigKeystoneTests {
        private static let cloudsYAML = """
            clouds:
              local:
                auth:
                  auth_url: http://127.0.0.1:5000/v3
                  username: demo
                  project_name: demo
                  user_domain_name: Default
                  project_domain_name: Default
                region_name: RegionTwo
                interface: public
                identity_api_version: 3
              broken:
                auth:
                  auth_url: http://127.0.0.1:5000/v3
                  username: demo
                  password: not-the-password
                  project_name: demo
                region_name: RegionNine
            """

        private static let secureYAML = """
            clouds:
              local:
                auth:
                  password: demo-secret
            """

        @Test("OS_CLOUD picks a clouds.yaml entry whose password is in secure.yaml, and the login works")
        func osCloud() async throws {
            let ids = try await LocalIdentity.requireKeystone()
            let dir = try TemporaryFolder()
            try dir.write("config/openstack/clouds.yaml", Self.cloudsYAML)
            try dir.write("config/openstack/secure.yaml", Self.secureYAML)
            let env = ["OS_CLOUD": "local", "XDG_CONFIG_HOME": dir.path + "/config", "HOME": dir.path]
            let resolver = ConnectionResolver(environment: env, currentDirectory: dir.path)
            let provider = try resolver.provider(for: ConnectionOptions())
            try await LocalIdentity.withClient(AnyAuthProvider(provider)) { client in
                let session = try await client.session()
                #expect(session.storageURL.absoluteString == "http://localhost:8082/v1/AUTH_\(ids.project)")
                #expect(session.endpoint?.region == "RegionTwo")
                _ = try await client.accountInfo()
            }
        }

        @Test("connect NAME with options over OS_* over the file: the env password and the option's region win")
        func precedenceAgainstKeystone() async throws {
            let ids = try await LocalIdentity.requireKeystone()
            let dir = try TemporaryFolder()
            try dir.write("clouds.yaml", Self.cloudsYAML)
            // The file's password is wrong and its region does not exist: only the layers above
            // it can make this login work.
            let env = [
                "OS_PASSWORD": LocalIdentity.demoPassword, "OS_REGION_NAME": "RegionTwo",
                "OS_INTERFACE": "internal", "HOME": dir.path,
            ]
            var options = ConnectionOptions()
            options.cloud = "broken"
            options.region = "RegionOne"
            let resolver = ConnectionResolver(environment: env, currentDirectory: dir.path)
            let effective = try resolver.layered(options)
            #expect(effective.password == LocalIdentity.demoPassword)
            #expect(effective.region == "RegionOne")
            #expect(effective.interface == .internal)
            try await LocalIdentity.withClient(AnyAuthProvider(try effective.makeProvider())) { client in
                let session = try await client.session()
                #expect(session.storageURL.absoluteString == "http://127.0.0.1:8083/v1/AUTH_\(ids.project)")
                _ = try await client.accountInfo()
            }
            // And with the file alone, its wrong password is what Keystone sees.
            let fileOnly = ConnectionResolver(environment: ["HOME": dir.path], currentDirectory: dir.path)
            try await LocalIdentity.withClient(AnyAuthProvider(try fileOnly.provider(for: options))) { client in
                await #expect(throws: CloudFilesError.authenticationFailed) { try await client.session() }
            }
        }

        @Test("OS_* variables alone log in by ids with an application credential")
        func environmentOnly() async throws {
            let ids = try await LocalIdentity.requireKeystone()
            let env = [
                "OS_AUTH_URL": "http://127.0.0.1:5000/v3",
                "OS_APPLICATION_CREDENTIAL_ID": ids.applicationCredential,
                "OS_APPLICATION_CREDENTIAL_SECRET": LocalIdentity.appCredentialSecret,
                "OS_AUTH_TYPE": "v3applicationcredential", "OS_REGION_NAME": "RegionOne",
            ]
            let provider = try ConnectionResolver(environment: env, currentDirectory: "/nonexistent")
                .provider(for: ConnectionOptions())
            try await LocalIdentity.withClient(AnyAuthProvider(provider)) { client in
                let storageURL = try await client.storageURL().absoluteString
                #expect(storageURL == "http://127.0.0.1:8082/v1/AUTH_\(ids.project)")
            }
        }
    }
}
