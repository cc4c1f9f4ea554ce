import CFShellLanguage
import Foundation

/// Commands that need no server: echo, help, exit, source, set, date.
extension Shell {
    func echo(_ arguments: [Argument]) {
        var words = arguments.map(\.text)
        var newline = true
        if words.first == "-n" {
            newline = false
            words.removeFirst()
        }
        stdout.write(words.joined(separator: " ") + (newline ? "\n" : ""))
    }

    func help(_ parsed: ParsedArguments<Argument>) throws(ShellError) {
        if let name = parsed.operands.first?.text {
            if let spec = Builtins.named(name)?.spec {
                stdout.write(spec.helpText)
            } else if let text = Keyword(rawValue: name)?.help {
                stdout.write(text)
            } else {
                throw ShellError.usage("no command named '\(name)'; 'help' lists them")
            }
            return
        }
        let rows = Builtins.all.map { $0.spec }.sorted { $0.name < $1.name }.map { [$0.name, $0.summary] }
        for line in Format.table(rows) { stdout.line(line) }
        stdout.line("")
        stdout.line("Statements: let, foreach, if/else, break, continue. 'help NAME' describes one.")
        stdout.line("A leading '-' (as in '-rm old.txt') lets a script go on when the command fails.")
    }

    func exitShell(_ parsed: ParsedArguments<Argument>) throws -> Never {
        guard let text = parsed.operands.first?.text else { throw ControlFlow.exit(0) }
        guard let status = Int32(text), (0...255).contains(status) else {
            throw ShellError.usage("the status must be a number from 0 to 255, not '\(text)'")
        }
        throw ControlFlow.exit(status)
    }

    func source(_ parsed: ParsedArguments<Argument>) async throws {
        let path = localPath(parsed.operands[0].text)
        guard sourceDepth < 32 else { throw ShellError.failure("'source' is nested too deeply (32 files)") }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ShellError.failure("cannot read '\(parsed.operands[0].text)'")
        }
        let text = String(decoding: data, as: UTF8.self)
        let file = parsed.operands[0].text
        sources[file] = text
        let script: Script
        do {
            script = try Self.language.read(text, file: file)
        } catch {
            throw ShellError.usage(error.message, at: error.location)
        }
        let savedArguments = arguments
        let savedName = scriptName
        if parsed.operands.count > 1 {
            arguments = parsed.operands.dropFirst().map(\.text)
            scriptName = file
        }
        sourceDepth += 1
        defer {
            sourceDepth -= 1
            arguments = savedArguments
            scriptName = savedName
        }
        try await execute(script.statements)
    }

    func set(_ parsed: ParsedArguments<Argument>) throws(ShellError) {
        let operands = parsed.operands.map(\.text)
        let current = [
            ("parallel", String(settings.parallel)), ("verbose", settings.verbose ? "on" : "off"),
            ("segment-size", settings.segmentSize.map(Settings.formatSize) ?? "off"),
        ]
        guard let name = operands.first else {
            for (name, value) in current { stdout.line("\(name) \(value)") }
            return
        }
        guard let value = operands.dropFirst().first else {
            guard let setting = current.first(where: { $0.0 == name }) else { throw unknownSetting(name) }
            stdout.line("\(setting.0) \(setting.1)")
            return
        }
        switch name {
        case "parallel":
            guard let number = Int(value), (1...64).contains(number) else {
                throw ShellError.usage("parallel must be a number from 1 to 64, not '\(value)'")
            }
            settings.parallel = number
        case "verbose":
            switch value {
            case "on", "true", "yes", "1": settings.verbose = true
            case "off", "false", "no", "0": settings.verbose = false
            default: throw ShellError.usage("verbose must be on or off, not '\(value)'")
            }
        case "segment-size":
            if value == "off" {
                settings.segmentSize = nil
            } else {
                guard let size = Settings.parseSize(value), size >= 1 << 20 else {
                    throw ShellError.usage("segment-size must be a size of at least 1M (such as 100M or 1G), or off, not '\(value)'")
                }
                settings.segmentSize = size
            }
        default:
            throw unknownSetting(name)
        }
    }

    private func unknownSetting(_ name: String) -> ShellError {
        ShellError.usage("no setting named '\(name)'; the settings are parallel, verbose and segment-size")
    }

    func date(_ parsed: ParsedArguments<Argument>) throws(ShellError) {
        let utc = parsed.has("-u")
        var format = utc ? "%Y-%m-%dT%H:%M:%SZ" : "%Y-%m-%dT%H:%M:%S%z"
        if let operand = parsed.operands.first?.text {
            guard operand.hasPrefix("+") else {
                throw ShellError.usage("the format must start with '+', as in 'date +%Y-%m-%d'")
            }
            format = String(operand.dropFirst())
        }
        var now = time(nil)
        var parts = tm()
        if utc { gmtime_r(&now, &parts) } else { localtime_r(&now, &parts) }
        var buffer = [CChar](repeating: 0, count: 512)
        let length = strftime(&buffer, buffer.count, format, &parts)
        guard length > 0 || format.isEmpty else { throw ShellError.usage("the format '\(format)' gives no text") }
        stdout.line(String(decoding: buffer[..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self))
    }
}
