import CFShellLanguage

/// `help`: list the commands, or describe one.
enum Help: Builtin {
    static let spec = CommandSpec(
        "help", "[COMMAND]", summary: "List the commands, or describe one.", operands: 0...1,
        examples: ["help", "help put", "ls --help  # the same as 'help ls'"])

    static func completion(at position: Int) -> CompletionSlots.Slot {
        position == 0 ? .command : .none
    }

    static func run(_ arguments: ParsedArguments<Argument>, in shell: isolated Shell) async throws {
        let width = shell.helpWidth
        if let name = arguments.operands.first?.text {
            if let builtin = Builtins.named(name) {
                shell.stdout.write(documented(builtin.spec).helpText(width: width))
            } else if let text = Keyword(rawValue: name)?.help {
                shell.stdout.write(HelpWrapping.wrap(text, width: width))
            } else {
                throw ShellError.usage("no command named '\(name)'; 'help' lists them")
            }
            return
        }
        let rows = Builtins.all.map { $0.spec }.sorted { $0.name < $1.name }.map { [$0.name, $0.summary] }
        for line in Format.table(rows) { shell.stdout.line(HelpWrapping.wrap(line, width: width)) }
        shell.stdout.line("")
        shell.stdout.line(
            HelpWrapping.wrap(
                "Statements: let, foreach, if/else, break, continue. 'help NAME' describes one.", width: width))
        shell.stdout.line(
            HelpWrapping.wrap(
                "A leading '-' (as in '-rm old.txt') lets a script go on when the command fails.", width: width))
    }

    /// `spec` with its examples: its own, or those listed here for a command whose spec
    /// gives none yet.
    static func documented(_ spec: CommandSpec) -> CommandSpec {
        guard spec.examples.isEmpty, let examples = examples[spec.name] else { return spec }
        var documented = spec
        documented.examples = examples
        return documented
    }

    /// Examples of the commands whose specs do not carry their own (`CommandSpec.examples`).
    static let examples: [String: [String]] = [
        "connect": [
            "connect  # from $OS_* / $ST_* or clouds.yaml",
            "connect mycloud  # a cloud of clouds.yaml",
            "connect --auth-url https://id.example.com/v3 --user alice --project ops",
        ],
        "cd": ["cd /backups/daily/", "cd ..", "cd  # back to the account root"],
        "pwd": ["pwd"],
        "lcd": ["lcd ~/restore", "lcd .."],
        "lpwd": ["lpwd"],
        "lls": ["lls", "lls -l *.tar.gz"],
        "mkdir": ["mkdir backups", "mkdir logs-2024 logs-2025"],
        "put": [
            "put dump.sql.gz /backups/db/  # into the pseudo-folder db/",
            "put -r photos/ /media/  # the folder and everything in it",
            "put --skip-identical -r site/ /www/",
        ],
        "get": [
            "get /backups/db/dump.sql.gz  # into the local working folder",
            "get -r /media/photos/ restore/",
            "get /logs/*.gz logs/",
        ],
        "cat": ["cat /config/app.yaml", "cat notes.txt"],
        "rmdir": ["rmdir old-container", "rmdir --force scratch  # its objects too"],
        "cp": ["cp /a/report.pdf /b/archive/", "cp notes.txt notes-copy.txt"],
        "mv": ["mv draft.txt final.txt", "mv /inbox/*.csv /processed/"],
        "echo": ["echo $(ls /backups/)", "echo -n no newline"],
        "exit": ["exit", "exit 3"],
        "source": ["source setup.cfsh", "source prune.cfsh /backups/ 7"],
        "find": [
            "find /backups/ --name '*.sql.gz' --older-than 30d",
            "find logs/ --larger 1G --json",
            "foreach f in $(find /backups/daily/ --older-than 7d) { rm $f }",
        ],
        "orphans": [
            "orphans  # segments of uploads never finished, older than 24h", "orphans backups --older-than 7d --delete",
        ],
        "date": ["date", "date -u +%Y-%m-%d", "put dump.gz /backups/$(date +%F)/"],
    ]
}

extension Shell {
    /// How wide help text may be: the terminal's width when output is a terminal, else 80.
    var helpWidth: Int {
        stdout.isTerminal ? TTY.columns(environment: configuration.environment) ?? 80 : 80
    }
}
