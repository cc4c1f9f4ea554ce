import CFSHTestSupport
import CloudFiles
import Foundation
import Testing

/// Options, environment variables and clouds.yaml, resolved without any server.
@Suite("Connection options, environment and clouds.yaml")
struct ConfigResolutionTests {
    @Test("OS_* variables are read, and win over their ST_* counterparts")
    func environment() {
        let options = ConnectionOptions.fromEnvironment([
            "ST_AUTH": "http://st/auth/v1.0", "ST_USER": "st:user", "ST_KEY": "stkey",
            "OS_AUTH_URL": "https://keystone/v3", "OS_USERNAME": "osuser", "OS_PASSWORD": "ospw",
            "OS_PROJECT_NAME": "proj", "OS_USER_DOMAIN_NAME": "Users", "OS_REGION_NAME": "RegionTwo",
            "OS_ENDPOINT_TYPE": "internalURL", "OS_IDENTITY_API_VERSION": "3", "OS_CLOUD": "",
            "OS_APPLICATION_CREDENTIAL_ID": "acid",
        ])
        #expect(options.authURL == "https://keystone/v3")
        #expect(options.user == "osuser")
        #expect(options.password == "ospw")
        #expect(options.key == "stkey")
        #expect(options.projectName == "proj")
        #expect(options.userDomainName == "Users")
        #expect(options.region == "RegionTwo")
        #expect(options.interface == .internal)
        #expect(options.authVersion == .v3)
        #expect(options.applicationCredentialID == "acid")
        #expect(options.cloud == nil, "an empty variable counts as unset")
    }

    @Test(
        "the auth version is inferred like python-swiftclient, from the URL first",
        arguments: [
            (["authURL": "http://h/auth/v1.0", "user": "a:b", "key": "k"], AuthVersion.v1),
            (["authURL": "https://identity.api.rackspacecloud.com/v2.0/", "user": "u", "key": "k"], .v2),
            (["authURL": "https://keystone:5000/v3", "user": "u", "password": "p"], .v3),
            (["authURL": "https://keystone:5000", "user": "u", "password": "p", "userDomainName": "D"], .v3),
            (["authURL": "https://swift.example/auth", "user": "u", "key": "k"], .v1),
            (["authURL": "https://keystone:5000", "applicationCredentialID": "x"], .v3),
            (["authURL": "https://keystone:5000", "user": "u", "password": "p"], .v3),
            (["authURL": "https://keystone:5000/v3", "authType": "v1password", "user": "u", "key": "k"], .v1),
            (["authURL": "https://x/v3", "authVersion": "2.0", "user": "u", "key": "k"], .v2),
        ])
    func inference(fields: [String: String], expected: AuthVersion) {
        let options = ConnectionOptions(fields: fields)
        #expect(options.inferredAuthVersion == expected)
    }

    @Test("clouds.yaml and secure.yaml are found on the XDG path and merged, secrets from secure.yaml")
    func cloudsAndSecure() throws {
        let dir = try TemporaryFolder()
        try dir.write(
            "xdg/openstack/clouds.yaml",
            """
            clouds:
              lab:
                auth:
                  auth_url: http://127.0.0.1:5000/v3
                  username: demo
                  project_name: demo
                  user_domain_name: Default
                  project_domain_id: default
                region_name: RegionTwo
                interface: internal
                identity_api_version: 3
              other:
                auth: {auth_url: "http://other/v3"}
                regions: [North]
            """)
        try dir.write(
            "xdg/openstack/secure.yaml",
            """
            clouds:
              lab:
                auth:
                  password: s3cret-from-secure
            """)
        let config = try CloudsConfig.load(
            environment: ["XDG_CONFIG_HOME": dir.path + "/xdg"],
            currentDirectory: dir.path + "/nowhere")
        #expect(config.cloudsFile == dir.path + "/xdg/openstack/clouds.yaml")
        #expect(config.secureFile == dir.path + "/xdg/openstack/secure.yaml")
        let lab = try config.options(forCloud: "lab")
        #expect(lab.authURL == "http://127.0.0.1:5000/v3")
        #expect(lab.user == "demo")
        #expect(lab.password == "s3cret-from-secure")
        #expect(lab.projectName == "demo")
        #expect(lab.userDomainName == "Default")
        #expect(lab.projectDomainID == "default")
        #expect(lab.region == "RegionTwo")
        #expect(lab.interface == .internal)
        #expect(lab.authVersion == .v3)
        #expect(try config.options(forCloud: "other").region == "North")
    }

    @Test("./clouds.yaml comes before the XDG one, and HOME/.config is the XDG default")
    func searchOrder() throws {
        let paths = CloudsConfig.searchPaths(environment: ["HOME": "/home/u"], currentDirectory: "/work")
        #expect(
            paths.clouds == [
                "/work/clouds.yaml", "/home/u/.config/openstack/clouds.yaml", "/etc/openstack/clouds.yaml",
            ])
        #expect(
            paths.secure == [
                "/work/secure.yaml", "/home/u/.config/openstack/secure.yaml", "/etc/openstack/secure.yaml",
            ])
        let dir = try TemporaryFolder()
        try dir.write("cwd/clouds.yaml", "clouds:\n  c:\n    region_name: FromCwd\n")
        try dir.write("xdg/openstack/clouds.yaml", "clouds:\n  c:\n    region_name: FromXDG\n")
        let config = try CloudsConfig.load(
            environment: ["XDG_CONFIG_HOME": dir.path + "/xdg"],
            currentDirectory: dir.path + "/cwd")
        #expect(try config.options(forCloud: "c").region == "FromCwd")
    }

    @Test("options win over the environment, which wins over clouds.yaml, field by field")
    func precedence() throws {
        let dir = try TemporaryFolder()
        try dir.write(
            "clouds.yaml",
            """
            clouds:
              lab:
                auth: {auth_url: "http://file/v3", username: fileuser, password: filepw, project_name: fileproj}
                region_name: FileRegion
                interface: admin
            """)
        let env = [
            "OS_CLOUD": "lab", "OS_PASSWORD": "envpw", "OS_REGION_NAME": "EnvRegion",
            "ST_AUTH": "http://ignored/auth/v1.0", "ST_USER": "ignored",
        ]
        var options = ConnectionOptions()
        options.region = "OptionRegion"
        let resolved = try ConnectionResolver(environment: env, currentDirectory: dir.path).layered(options)
        #expect(resolved.region == "OptionRegion")
        #expect(resolved.password == "envpw")
        #expect(resolved.user == "fileuser")
        #expect(resolved.projectName == "fileproj")
        #expect(resolved.authURL == "http://file/v3", "ST_* variables do not apply when a cloud is named")
        #expect(resolved.interface == .admin)
        #expect(resolved.cloud == "lab")
    }

    @Test("without a cloud, the environment fills what options leave unset")
    func environmentUnderOptions() throws {
        var options = ConnectionOptions()
        options.key = "optkey"
        let env = ["ST_AUTH": "http://127.0.0.1:8080/auth/v1.0", "ST_USER": "test:tester", "ST_KEY": "envkey"]
        let resolved = try ConnectionResolver(environment: env, currentDirectory: "/nonexistent").layered(options)
        #expect(resolved.key == "optkey")
        #expect(resolved.user == "test:tester")
        let provider = try resolved.makeProvider()
        let v1 = try #require(provider as? V1AuthProvider)
        #expect(v1.key == "optkey")
    }

    @Test("a cloud that is not there names the file and the clouds it has")
    func missingCloud() throws {
        let dir = try TemporaryFolder()
        try dir.write("clouds.yaml", "clouds:\n  alpha: {}\n  beta: {}\n")
        let resolver = ConnectionResolver(environment: [:], currentDirectory: dir.path)
        var options = ConnectionOptions()
        options.cloud = "gamma"
        #expect {
            _ = try resolver.layered(options)
        } throws: { error in
            (error as? CloudFilesError)?.message
                == "no cloud named 'gamma' in \(dir.path)/clouds.yaml; clouds there: alpha, beta"
        }
        let empty = ConnectionResolver(environment: ["HOME": dir.path + "/home"], currentDirectory: dir.path + "/none")
        #expect {
            _ = try empty.layered(options)
        } throws: { error in
            (error as? CloudFilesError)?.message.hasPrefix(
                "no clouds.yaml found for cloud 'gamma' (looked in \(dir.path)/none/clouds.yaml") == true
        }
    }

    @Test("a malformed clouds.yaml is reported by line without quoting the file")
    func malformedYAML() throws {
        let dir = try TemporaryFolder()
        try dir.write("clouds.yaml", "clouds:\n  lab:\n    auth:\n      password: \"unclosed-s3cret\n")
        var options = ConnectionOptions()
        options.cloud = "lab"
        do {
            _ = try ConnectionResolver(environment: [:], currentDirectory: dir.path).layered(options)
            Issue.record("a malformed file must fail")
        } catch let error as CloudFilesError {
            #expect(error == .invalidArgument)
            #expect(error.message.contains("clouds.yaml is not valid YAML (line"))
            #expect(!error.description.contains("unclosed-s3cret"))
        }
    }

    @Test("options map to the right provider: token, v1, ServiceNet, Rackspace key and password, Keystone methods")
    func providers() throws {
        func provider(_ edit: (inout ConnectionOptions) -> Void) throws -> any AuthProvider {
            var options = ConnectionOptions()
            edit(&options)
            return try options.makeProvider()
        }
        #expect(
            try provider {
                $0.storageURL = "http://s/v1/AUTH_x"
                $0.token = "t"
            } is TokenAuthProvider)
        #expect(
            try provider {
                $0.authURL = "http://h/auth/v1.0"
                $0.user = "a:b"
                $0.key = "k"
            } is V1AuthProvider)
        let snet = try provider {
            $0.authURL = "http://h/auth/v1.0"
            $0.user = "a:b"
            $0.key = "k"
            $0.interface = .internal
        }
        #expect(snet is ServiceNetAuthProvider<V1AuthProvider>)
        let rax = try #require(
            try provider {
                $0.authURL = "https://lon.identity.api.rackspacecloud.com/v2.0/"
                $0.user = "u"
                $0.password = "p"
                $0.region = "LON"
            } as? RackspaceAuthProvider)
        #expect(rax.credential == .password("p"))
        #expect(rax.region == "LON")
        let appName = try #require(
            try provider {
                $0.authURL = "http://k/v3"
                $0.user = "demo"
                $0.userDomainID = "dom"
                $0.applicationCredentialName = "ac"
                $0.applicationCredentialSecret = "s"
            } as? KeystoneV3AuthProvider)
        #expect(
            appName.method == .applicationCredentialName("ac", user: .name("demo", domain: .id("dom")), secret: "s"))
        let byIds = try #require(
            try provider {
                $0.authURL = "http://k/v3"
                $0.userID = "uid"
                $0.password = "p"
                $0.projectID = "pid"
            } as? KeystoneV3AuthProvider)
        #expect(byIds.method == .password(user: .id("uid"), password: "p"))
        #expect(byIds.scope == .projectID("pid"))
        let byNames = try #require(
            try provider {
                $0.authURL = "http://k/v3"
                $0.user = "u"
                $0.password = "p"
                $0.projectName = "proj"
                $0.userDomainName = "Users"
            } as? KeystoneV3AuthProvider)
        #expect(
            byNames.scope == .project(name: "proj", domain: .name("Users")), "the project domain defaults to the user's"
        )
        let token = try #require(
            try provider {
                $0.authURL = "http://k/v3"
                $0.token = "tok"
                $0.projectName = "proj"
            } as? KeystoneV3AuthProvider)
        #expect(token.method == .token("tok"))
        let overridden = try provider {
            $0.authURL = "http://h/auth/v1.0"
            $0.user = "a:b"
            $0.key = "k"
            $0.storageURL = "http://other/v1/AUTH_a"
        }
        #expect(overridden is StorageURLOverrideAuthProvider<AnyAuthProvider>)
    }

    @Test(
        "missing pieces are errors that say what to give",
        arguments: [
            ([:], "not connected: give --auth-url"),
            (["authURL": "http://h/auth/v1.0", "user": "a:b"], "auth v1.0 needs a key"),
            (["authURL": "http://k/v3", "user": "u"], "auth v3 needs a password"),
            (
                ["authURL": "http://k/v3", "applicationCredentialID": "x"],
                "auth v3 needs the application credential's secret"
            ),
            (["authURL": "ftp://k/v3", "user": "u", "password": "p"], "the auth URL is not an http(s) URL"),
            (["storageURL": "http://s/v1/AUTH_a"], "a storage URL needs a token too"),
        ])
    func missing(fields: [String: String], message: String) {
        let options = ConnectionOptions(fields: fields)
        #expect {
            _ = try options.makeProvider()
        } throws: { error in
            (error as? CloudFilesError)?.message.hasPrefix(message) == true
        }
    }

    @Test("the prompt text names the missing secret, and nothing is asked when one is there")
    func prompt() {
        var options = ConnectionOptions()
        options.authURL = "http://k/v3"
        options.user = "demo"
        #expect(options.missingSecretPrompt == "Password for demo")
        options.password = "p"
        #expect(options.missingSecretPrompt == nil)
        options.authURL = "https://identity.api.rackspacecloud.com/v2.0/"
        options.password = nil
        #expect(options.missingSecretPrompt == "API key for demo")
    }

    @Test("a prompted secret goes where the auth method needs it")
    func promptedSecret() throws {
        var v1 = ConnectionOptions()
        v1.authURL = "http://h/auth/v1.0"
        v1.user = "a:b"
        #expect(v1.secretPrompt == "Key for a:b")
        #expect(v1.withPromptedSecret("k1").key == "k1")
        var keystone = ConnectionOptions()
        keystone.authURL = "http://k/v3"
        keystone.user = "demo"
        keystone.key = "from-ST_KEY"
        #expect(keystone.missingSecretPrompt == nil)
        let prompted = keystone.withPromptedSecret("typed")
        #expect(prompted.password == "typed")
        #expect(prompted.key == nil, "--password-prompt replaces a key taken as the password")
        var appCredential = keystone
        appCredential.applicationCredentialID = "acid"
        #expect(appCredential.secretPrompt == "Application credential secret")
        #expect(appCredential.withPromptedSecret("s").applicationCredentialSecret == "s")
        var token = ConnectionOptions()
        token.storageURL = "http://s/v1/AUTH_a"
        token.token = "t"
        #expect(token.secretPrompt == nil)
        let provider = try #require(try keystone.withPromptedSecret("typed").makeProvider() as? KeystoneV3AuthProvider)
        #expect(provider.method == .password(user: .name("demo", domain: .default), password: "typed"))
    }

    @Test("descriptions and dumps of options and providers never show a secret")
    func redaction() throws {
        var options = ConnectionOptions()
        options.authURL = "http://k/v3"
        options.user = "demo"
        options.password = "pw-s3cret"
        options.applicationCredentialSecret = "ac-s3cret"
        options.token = "tok-s3cret"
        options.key = "key-s3cret"
        var dumped = ""
        dump(options, to: &dumped)
        let provider = try options.makeProvider()
        var dumpedProvider = ""
        dump(provider, to: &dumpedProvider)
        for text in [
            options.description, String(reflecting: options), "\(options)", dumped,
            "\(provider)", dumpedProvider, provider.summary,
        ] {
            for secret in options.secrets {
                #expect(!text.contains(secret), "\(text)")
            }
        }
        #expect(options.description.contains("user: demo"))
        #expect(Set(options.secrets) == ["pw-s3cret", "ac-s3cret", "tok-s3cret", "key-s3cret"])
    }

    @Test("v1.0 ServiceNet puts snet- before the storage host, once")
    func serviceNetURL() {
        let url = URL(string: "https://storage101.dfw1.clouddrive.com/v1/MossoCloudFS_abc")!
        let snet = ServiceNetAuthProvider<V1AuthProvider>.serviceNetURL(url)
        #expect(snet.absoluteString == "https://snet-storage101.dfw1.clouddrive.com/v1/MossoCloudFS_abc")
        #expect(ServiceNetAuthProvider<V1AuthProvider>.serviceNetURL(snet) == snet)
    }
}

extension ConnectionOptions {
    /// Options with the fields a test case names (by property name) set, and no others.
    init(fields: [String: String]) {
        self.init()
        authURL = fields["authURL"]
        user = fields["user"]
        key = fields["key"]
        password = fields["password"]
        userDomainName = fields["userDomainName"]
        applicationCredentialID = fields["applicationCredentialID"]
        authType = fields["authType"]
        authVersion = fields["authVersion"].flatMap(AuthVersion.init(parsing:))
        storageURL = fields["storageURL"]
    }
}
