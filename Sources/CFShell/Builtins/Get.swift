import CFShellLanguage

/// `get`: download objects.
enum Get: Builtin {
    static let spec = CommandSpec(
        "get", "[-r] [OPTIONS] REMOTE… [LOCAL]",
        summary: "Download objects.",
        details: """
            With two or more operands the last is LOCAL; with one, files go to the local working \
            folder. One object may be saved under another name; several go into the folder LOCAL. \
            With -r or a glob, LOCAL is a folder whatever the count, created if missing. With -r, \
            a container or pseudo-folder is downloaded as LOCAL/NAME/…, pseudo-folders becoming \
            folders; written with a trailing '/' (c/ or c/prefix/), its contents go straight into \
            LOCAL, as in rsync. An object whose name would write outside LOCAL ('..', a leading '/', \
            an empty path component) is refused. Files appear only once complete and verified \
            (large objects segment by segment); a broken transfer resumes with Range and If-Match. \
            With --parallel-segments N, a static large object's segments come N at a time, each \
            with a ranged GET written at its offset: for links where one stream is slow. \
            --ignore-checksum checks lengths but not MD5s, for speed where the CPU is the limit.
            On a terminal (or with -v) get ends with one line: files, bytes, time, and how many were \
            received and skipped; --json prints that as an object instead.
            """,
        options: [
            CommandSpec.Option("-r", "--recursive", help: "download containers and pseudo-folders"),
            CommandSpec.Option("-v", "--verbose", help: "print each object as it is downloaded"),
            TransferFlags.parallelOption, TransferFlags.parallelSegmentsOption, TransferFlags.skipIdenticalOption,
            TransferFlags.ignoreChecksumOption, TransferFlags.quietOption, TransferFlags.progressOption,
            TransferFlags.jsonSummaryOption, Versions.versionOption,
        ],
        operands: 1...Int.max)

    static func completion(at position: Int) -> CompletionSlots.Slot {
        position == 0 ? .remote(.any) : .remoteThenLocal
    }

    static func run(_ arguments: ParsedArguments<Argument>, in shell: isolated Shell) async throws {
        if let id = arguments.value("--version") { return try await Versions.get(arguments, id: id, in: shell) }
        try await download(arguments, in: shell)
    }
}
