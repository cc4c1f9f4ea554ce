import CFShellLanguage

/// `set`: show the settings, or change one.
enum ChangeSetting: Builtin {
    static let spec = CommandSpec(
        "set", "[NAME [VALUE]]", summary: "Show the settings, or change one.",
        details: """
            parallel N         how many transfers or deletions run at once (1 to 64, default 10)
            verbose on|off     whether put, get, cp, mv, rm and rmdir print each file and a
                               summary, as -v does (default off)
            segment-size SIZE  put uploads larger files as static large objects in segments
                               of SIZE (100M, 1G, …; default 1G); 'off' never segments
            nomatch error|ok   whether an operand that matches nothing is an error for ls, rm
                               and get (default error); rm -f also makes it none
            """,
        operands: 0...2,
        examples: ["set", "set parallel 8", "set nomatch ok"])

    static func run(_ arguments: ParsedArguments<Argument>, in shell: isolated Shell) async throws {
        let operands = arguments.operands.map(\.text)
        let current = [
            ("parallel", String(shell.settings.parallel)), ("verbose", shell.settings.verbose ? "on" : "off"),
            ("segment-size", shell.settings.segmentSize.map(Settings.formatSize) ?? "off"),
            ("nomatch", shell.settings.noMatchIsError ? "error" : "ok"),
        ]
        guard let name = operands.first else {
            for (name, value) in current { shell.stdout.line("\(name) \(value)") }
            return
        }
        guard let value = operands.dropFirst().first else {
            guard let setting = current.first(where: { $0.0 == name }) else { throw unknownSetting(name) }
            shell.stdout.line("\(setting.0) \(setting.1)")
            return
        }
        switch name {
        case "parallel":
            guard let number = Int(value), (1...64).contains(number) else {
                throw ShellError.usage("parallel must be a number from 1 to 64, not '\(value)'")
            }
            shell.settings.parallel = number
        case "verbose":
            switch value {
            case "on", "true", "yes", "1": shell.settings.verbose = true
            case "off", "false", "no", "0": shell.settings.verbose = false
            default: throw ShellError.usage("verbose must be on or off, not '\(value)'")
            }
        case "segment-size":
            if value == "off" {
                shell.settings.segmentSize = nil
            } else {
                guard let size = Settings.parseSize(value), size >= 1 << 20 else {
                    throw ShellError.usage(
                        "segment-size must be a size of at least 1M (such as 100M or 1G), or off, not '\(value)'")
                }
                shell.settings.segmentSize = size
            }
        case "nomatch":
            switch value {
            case "error": shell.settings.noMatchIsError = true
            case "ok": shell.settings.noMatchIsError = false
            default: throw ShellError.usage("nomatch must be error or ok, not '\(value)'")
            }
        default:
            throw unknownSetting(name)
        }
    }

    private static func unknownSetting(_ name: String) -> ShellError {
        ShellError.usage("no setting named '\(name)'; the settings are parallel, verbose, segment-size and nomatch")
    }
}
