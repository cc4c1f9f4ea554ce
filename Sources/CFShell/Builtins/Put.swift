import CFShellLanguage

/// `put`: upload files.
enum Put: Builtin {
    static let spec = CommandSpec(
        "put", "[-r] [OPTIONS] LOCAL… [REMOTE]",
        summary: "Upload files.",
        details: """
            With two or more operands the last is REMOTE; with one, files go to the working folder. \
            A REMOTE ending in '/' or naming a container is a folder: each file keeps its name \
            there. Otherwise REMOTE is the object name, and only one file may be given. With -r, \
            a folder is uploaded with everything below it, as REMOTE/FOLDER/relative/path; written \
            with a trailing '/' (data/), its contents go, as REMOTE/relative/path, as in rsync. \
            LOCAL may be a glob: '*' matches dotfiles too, '**' any depth. The container is created if it does not exist. Uploads run in parallel \
            ('set parallel N' or --parallel).
            A file larger than the segment size ('set segment-size', default 1G) goes up as a static \
            large object: its segments in parallel into CONTAINER_segments, the manifest last. Run \
            again after an interruption, only the missing segments are sent ('resuming: 17 of 25 \
            segments already stored'). Files over the cluster's max_file_size are always segmented.
            On a terminal (or with -v) put ends with one line: files, bytes, time, and how many were \
            sent and skipped; --json prints that as an object instead.
            --meta, --header, --content-type, --delete-after and --delete-at apply to every file \
            (a large object: its manifest; its segments never expire, 'orphans' finds them after). \
            Headers cfsh sets itself (Content-Length, ETag, X-Object-Manifest…) are refused; \
            metadata is checked against the cluster's limits before anything is sent.
            """,
        options: [
            CommandSpec.Option("-r", "--recursive", help: "upload folders and everything in them"),
            CommandSpec.Option("-v", "--verbose", help: "print each file as it is uploaded"),
            TransferFlags.parallelOption, TransferFlags.segmentSizeOption, TransferFlags.skipIdenticalOption,
            TransferFlags.leaveSegmentsOption, TransferFlags.quietOption, TransferFlags.progressOption,
            TransferFlags.jsonSummaryOption,
        ] + MetadataWords.putOptions,
        operands: 1...Int.max)

    static func completion(at position: Int) -> CompletionSlots.Slot {
        position == 0 ? .local(foldersOnly: false) : .localThenRemote
    }

    static func run(_ arguments: ParsedArguments<Argument>, in shell: isolated Shell) async throws {
        if arguments.operands.count >= 2 { await shell.noteIfNewRelativeTarget(arguments.operands.last!) }
        try await upload(arguments, in: shell)
    }
}
