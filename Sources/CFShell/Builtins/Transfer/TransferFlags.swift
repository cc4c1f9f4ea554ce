import CFShellLanguage
import CloudFiles
import Foundation

/// The options that put, get, rm and rmdir share, read once per command:
/// `--parallel`, `--segment-size`, `--skip-identical`, `--leave-segments`,
/// `--quiet` and `--progress`, falling back to `set`.
struct TransferFlags: Sendable {
    /// How many transfers or deletions run at once.
    var parallel: Int
    /// Files larger than this go up as static large objects; `nil` only past `max_file_size`.
    var segmentSize: Int64?
    /// Skip files whose size and MD5 already match (per segment for large objects).
    var skipIdentical = false
    /// Keep the segments of large objects that are deleted or replaced.
    var leaveSegments = false
    /// Draw the live progress line.
    var showsProgress = false
    /// How many segments of a static large object `get` fetches at once (ranged GETs).
    var parallelSegments = 1
    /// `get` checks lengths only, not MD5s.
    var ignoreChecksum = false

    static let parallelOption = CommandSpec.Option(
        "--parallel", value: "N", help: "how many at once, 1 to 64 (default: 'set parallel')")
    static let segmentSizeOption = CommandSpec.Option(
        "--segment-size", value: "SIZE",
        help: "files larger than SIZE go up in segments of SIZE, as a static large object (default: 'set segment-size')"
    )
    static let skipIdenticalOption = CommandSpec.Option(
        "--skip-identical", help: "skip files whose size and MD5 already match (segment by segment for large objects)")
    static let leaveSegmentsOption = CommandSpec.Option(
        "--leave-segments", help: "keep the segments of large objects that are deleted or replaced")
    static let parallelSegmentsOption = CommandSpec.Option(
        "--parallel-segments", value: "N",
        help: "fetch a static large object's segments N at a time, each with a ranged GET (default 1: one stream)")
    static let ignoreChecksumOption = CommandSpec.Option(
        "--ignore-checksum",
        help: "check lengths only, not MD5s (plain objects' ETags, large objects' segments): saves CPU, not safety")
    static let quietOption = CommandSpec.Option(
        "-q", "--quiet", help: "no progress line and no summary line, even on a terminal")
    static let jsonSummaryOption = CommandSpec.Option(
        "--json", help: "print what was done as one JSON object: counts, bytes, seconds and failures")
    static let progressOption = CommandSpec.Option(
        "--progress", help: "show progress even when standard error is not a terminal")

    /// What rm and rmdir take after their own option: -v and the deletion flags.
    static let deletionOptions = [
        CommandSpec.Option("-v", "--verbose", help: "print each object as it is deleted"),
        parallelOption, leaveSegmentsOption, quietOption, progressOption,
    ]

    /// Reads the flags of `parsed`; `settings` give the defaults.
    static func read(
        _ parsed: ParsedArguments<Argument>, settings: Settings, tty: TTY
    ) throws(ShellError) -> TransferFlags {
        var flags = TransferFlags(parallel: settings.parallel, segmentSize: settings.segmentSize)
        if let text = parsed.value("--parallel") {
            guard let number = Int(text), (1...64).contains(number) else {
                throw ShellError.usage("--parallel must be a number from 1 to 64, not '\(text)'")
            }
            flags.parallel = number
        }
        if let text = parsed.value("--segment-size") {
            if text == "off" {
                flags.segmentSize = nil
            } else {
                guard let size = Settings.parseSize(text), size >= 1 << 20 else {
                    throw ShellError.usage(
                        "--segment-size must be a size of at least 1M (such as 100M or 1G), or off, not '\(text)'")
                }
                flags.segmentSize = size
            }
        }
        if let text = parsed.value("--parallel-segments") {
            guard let number = Int(text), (1...64).contains(number) else {
                throw ShellError.usage("--parallel-segments must be a number from 1 to 64, not '\(text)'")
            }
            flags.parallelSegments = number
        }
        flags.skipIdentical = parsed.has("--skip-identical")
        flags.leaveSegments = parsed.has("--leave-segments")
        flags.ignoreChecksum = parsed.has("--ignore-checksum")
        if parsed.has("-q") && parsed.has("--progress") {
            throw ShellError.usage("--quiet and --progress contradict each other")
        }
        flags.showsProgress = parsed.has("--progress") || (!parsed.has("-q") && tty.showsProgress)
        return flags
    }
}

extension Shell {
    /// What put, get, rm and rmdir read first: the connection, whether to print each item
    /// (`-v`, or `set verbose on`), and the transfer flags.
    func transferSetup(
        _ parsed: ParsedArguments<Argument>
    ) async throws -> (client: CloudFilesClient, verbose: Bool, flags: TransferFlags) {
        let verbose = try verbosity(parsed)
        let flags = try TransferFlags.read(parsed, settings: settings, tty: tty)
        return (try await connectedClient(), verbose, flags)
    }

    /// Whether a command prints each item: `-v`, or `set verbose on`. With `--json` standard
    /// output carries the JSON object alone, so `-v` contradicts it and `set verbose` yields.
    func verbosity(_ parsed: ParsedArguments<Argument>) throws(ShellError) -> Bool {
        guard parsed.has("--json") else { return parsed.has("-v") || settings.verbose }
        if parsed.has("-v") {
            throw ShellError.usage("-v and --json contradict each other: --json prints one object on standard output")
        }
        return false
    }
}
