import Testing

@testable import CFShell
@testable import CFShellLanguage

/// No history entry keeps a secret, however the secret option is spelled or wherever the
/// statement sits in the line; entries without a secret are kept as typed.
@Suite("History redaction: every spelling of every secret option")
struct HistoryRedactionTests {
    /// An entry and the texts that must not survive in it.
    struct Case: Sendable, CustomTestStringConvertible {
        var entry: String
        var secrets: [String]
        init(_ entry: String, _ secrets: String...) {
            self.entry = entry
            self.secrets = secrets.isEmpty ? ["S3cr3t"] : secrets
        }
        var testDescription: String { entry.debugDescription }
    }

    static let secretEntries: [Case] = [
        Case("connect -K S3cr3t"),
        Case("tempurl --set-key --key S3cr3t"),
        Case("tempurl --set-key --container c --key=S3cr3t --second"),
        Case("connect -KS3cr3t"),
        Case("connect --key=S3cr3t"),
        Case("connect --key S3cr3t"),
        Case("connect --password S3cr3t"),
        Case("connect --password=S3cr3t"),
        Case("connect --token S3cr3t"),
        Case("connect --token=S3cr3t"),
        Case("connect --application-credential-secret S3cr3t"),
        Case("connect --application-credential-secret=S3cr3t"),
        Case("connect -U test:tester -K S3cr3t -A http://127.0.0.1:8080/auth/v1.0"),
        Case("connect -K S3cr3t; ls"),
        Case("ls; connect -KS3cr3t; pwd"),
        Case("if connect -K S3cr3t { ls }"),
        Case("if connect --key=S3cr3t {\n  ls\n} else {\n  connect --password S3cr3t\n}"),
        Case("foreach c in a b { connect --token S3cr3t; ls $c }"),
        Case("connect -K 'S3cr3t'"),
        Case("connect -K \"S3cr3t\""),
        Case("connect -K'S3cr3t'"),
        Case("connect \"-K\" S3cr3t"),
        Case("connect '--key=S3cr3t'"),
        Case("connect --ke'y'=S3cr3t"),
        Case("connect --password 'S3 cr3t'", "S3 cr3t", "S3", "cr3t"),
        Case("connect --password S3\\ cr3t", "S3\\ cr3t", "S3", "cr3t"),
        Case("connect --password \"S3\\\"cr3t\"", "cr3t"),
        Case("connect --key S3cr\\3t", "S3cr\\3t", "3t"),
        Case("connect --key \"$HOME\"S3cr3t"),
        Case("connect --key=S3cr3t$HOME"),
        Case("connect -K S3cr3t\r\nls"),
        Case("connect --token\tS3cr3t"),
        Case("connect -K \\\n  S3cr3t"),
        Case("let x = $(connect -K S3cr3t)"),
        Case("echo \"$(connect --password S3cr3t)\""),
        Case("echo $(echo $(connect --key=S3cr3t))"),
        Case("connect --key $(echo S3cr3t)"),
        Case("connect -K S3cr3t # a comment"),
        Case("connect  -K   S3cr3t  --user u"),
        Case("connect --key=S3cr3t --key S3cr3t -K S3cr3t"),
        // Lines the lexer refuses are still remembered, so the user can fix them.
        Case("connect -K 'S3cr3t"),
        Case("connect --password \"S3cr3t\\q\"", "S3cr3t"),
        Case("connect -K S3cr3t )"),
        Case("connect -K S3cr3t (x"),
        Case("connect --key=S3cr3t $"),
    ]

    @Test("the secret appears nowhere in the redacted entry", arguments: secretEntries)
    func redacted(_ example: Case) {
        let redacted = Shell.language.redaction.redact(example.entry)
        for secret in example.secrets {
            #expect(!redacted.contains(secret), "\(redacted.debugDescription) still holds \(secret.debugDescription)")
        }
        #expect(redacted.contains(SecretRedaction.mask))
    }

    @Test("a huge entry is redacted quickly, by the raw scan", .timeLimit(.minutes(1)))
    func huge() {
        let filler = String(repeating: "-a", count: 300_000)
        let started = ContinuousClock.now
        let redacted = Shell.language.redaction.redact("ls \(filler); connect -KS3cr3t; echo \(filler)")
        #expect(ContinuousClock.now - started < .seconds(5))
        #expect(!redacted.contains("S3cr3t"))
    }

    @Test(
        "entries without a secret are kept as typed",
        arguments: [
            "ls -l photos", "echo --key", "put -r photos backup/", "connect --key $RAX_API_KEY",
            "connect --key=$RAX_API_KEY", "connect -K $KEY", "connect -K \"$KEY\"", "connect -K${KEY}",
            "connect --password \"${PASS}\"", "connect -U test:tester -A http://127.0.0.1:8080/auth/v1.0",
            "foreach f in $(ls -r logs/) { get $f }", "connect mycloud", "connect --password-prompt --user u",
            "if stat c/o { echo yes } else { echo no }", "let k = 1; echo $k", "get 'a b' c\\ d",
            "connect -K $KEY; ls # comment", "connect\r\n",
        ])
    func unchanged(_ entry: String) {
        #expect(Shell.language.redaction.redact(entry) == entry)
    }

    /// Every spelling the option table allows, for every option it marks secret: a secret
    /// option added later is covered without touching this test.
    static var tableSpellings: [Case] {
        var cases: [Case] = []
        for spec in Builtins.all.map({ $0.spec }) {
            for option in spec.options where option.isSecret {
                for name in option.names {
                    cases.append(Case("\(spec.name) \(name) S3cr3t"))
                    cases.append(Case("\(spec.name) \(name)=S3cr3t"))
                    cases.append(Case("ls; \(spec.name) \(name) 'S3cr3t'"))
                    if !name.hasPrefix("--") {
                        cases.append(Case("\(spec.name) \(name)S3cr3t"))
                    }
                }
            }
        }
        return cases
    }

    @Test("every spelling of every option the table marks secret is redacted")
    func fromTheTable() {
        let cases = Self.tableSpellings
        #expect(
            cases.count >= 12,
            "the table should mark --key, -K, --password, --token and the application credential secret")
        for example in cases {
            let redacted = Shell.language.redaction.redact(example.entry)
            #expect(!redacted.contains("S3cr3t"), "\(redacted.debugDescription)")
        }
    }
}

/// Error messages quote the line and the argument at fault; a secret in them is masked too.
@Suite("Errors do not echo secrets")
struct ErrorRedactionTests {
    @Test(
        "a usage error on a connect line shows the line with its key masked",
        arguments: [
            "connect -A http://127.0.0.1:8080/auth/v1.0 -U test:tester -K S3cr3t --bogus",
            "connect -A http://127.0.0.1:8080/auth/v1.0 -U test:tester -QKS3cr3t",
            "connect --password=S3cr3t -Z",
        ])
    func usageError(_ source: String) async throws {
        let output = OutputChannel.capture()
        let errors = OutputChannel.capture()
        let shell = Shell(
            configuration: ShellConfiguration(scriptName: "t", arguments: [], environment: [:], debug: false),
            output: output, errors: errors)
        let status = await shell.run(source: source, file: "t")
        await shell.shutdown()
        #expect(status == 2)
        #expect(!errors.text.contains("S3cr3t"), "\(errors.text)")
        #expect(errors.text.contains("***"))
    }
}
