import CFShellLanguage

/// `sync`: make a destination folder match a source folder.
enum Sync: Builtin {
    static let spec = CommandSpec(
        "sync", "[OPTIONS] SRC DST",
        summary: "Make DST hold every file of SRC; with --delete, remove what SRC does not have.",
        details: """
            SRC and DST are folders: a local one written file:PATH (absolute, relative to 'lcd', \
            or file:~/PATH), or a remote container or pseudo-folder written as in the other \
            commands (relative to the working folder, or /container/prefix/). Directions: \
            file: to remote, remote to file:, and remote to remote in one account (copied on the \
            server); file: to file: is refused. Names are relative to SRC and DST, and after a \
            sync DST holds every file of SRC under the same name, byte for byte.
            A file is sent when DST lacks it, or when the sizes differ, or the modification \
            times differ by more than 1 ms (X-Object-Meta-Mtime, which cfsh, swift and rclone \
            write; an object without one is compared by MD5); a file of 1 MiB or less is \
            compared by MD5 with the listing's ETag instead, with no HEAD. --size-only compares sizes alone; \
            --checksum compares MD5s with ETags (segment by segment for a large object). \
            Downloads get the object's mtime, so the next sync either way finds nothing to do. \
            Large files go up as static large objects, and an interrupted sync run again sends \
            only what is still missing or changed (a large file's stored segments are kept).
            --delete removes from DST what SRC does not have, after every transfer, and only \
            when nothing failed in the run (a listing, a read, a transfer): one failure and \
            nothing is deleted. It deletes at most --max-delete N objects, or P% of DST's; \
            the default allows 10, or up to half of DST, whichever is more: over it nothing \
            is deleted and sync fails saying how many it would have deleted. An empty SRC \
            deletes nothing unless --allow-empty-source. Remote deletions go by bulk delete, \
            a large object with the segments it owns.
            --exclude and --include take globs (*, ?, […], ** across folders): a pattern \
            without '/' matches the base name, one with '/' the whole relative name. With \
            --include, only matching names are synced; --exclude wins. Excluded names in DST \
            are never deleted. Symbolic links in a local SRC are not followed nor sent, and \
            their names in DST are left alone; directory markers are neither sent nor deleted.
            --dry-run prints the plan, one line per copy, update and delete, and changes \
            nothing. --shard I/N does only shard I of N (0 ≤ I < N) of the work, both \
            transfers and deletions: a name's shard is the FNV-1a 64 hash of its UTF-8 bytes \
            modulo N, the same on every machine, so N processes split one sync with no \
            coordinator (each still lists both sides whole).
            Both sides are read in byte order and merged as they stream: memory does not grow \
            with the number of files (the names to delete are held until the end). The \
            summary says what was copied, updated, deleted, skipped and failed, and the bytes; \
            --json prints it with the plan as one object. The exit status is 0 only when \
            everything succeeded.
            """,
        options: [
            CommandSpec.Option(
                "--delete", help: "remove what SRC does not have from DST, once everything else succeeded"),
            CommandSpec.Option(
                "--max-delete", value: "N|P%",
                help:
                    "delete nothing, and fail, when more than N objects (or P% of DST's) would go (default: 10 or 50%)"),
            CommandSpec.Option("--allow-empty-source", help: "let an empty SRC delete everything in DST with --delete"),
            CommandSpec.Option("--dry-run", help: "print what would be copied, updated and deleted; change nothing"),
            CommandSpec.Option("--checksum", help: "compare MD5s with ETags instead of sizes and times"),
            CommandSpec.Option("--size-only", help: "compare sizes only"),
            CommandSpec.Option(
                "--exclude", value: "PATTERN", help: "leave out names matching PATTERN (repeatable)"),
            CommandSpec.Option(
                "--include", value: "PATTERN", help: "sync only names matching PATTERN (repeatable)"),
            CommandSpec.Option(
                "--shard", value: "I/N", help: "do only shard I of N of the work (by a hash of the name)"),
            CommandSpec.Option("-v", "--verbose", help: "print each file as it is copied, updated or deleted"),
            TransferFlags.parallelOption, TransferFlags.segmentSizeOption, TransferFlags.quietOption,
            TransferFlags.progressOption,
            CommandSpec.Option("--json", help: "print the plan and the summary as one JSON object"),
        ],
        operands: 2...2,
        examples: [
            "sync --delete --max-delete 5% file:/var/backups/db nightly/db/",
            "sync --dry-run --exclude '*.tmp' photos/ file:~/photos",
            "sync --shard 0/4 file:data bucket/data/",
        ])

    static func completion(at position: Int) -> CompletionSlots.Slot {
        .remote(.any)
    }

    static func run(_ arguments: ParsedArguments<Argument>, in shell: isolated Shell) async throws {
        try await SyncRun.run(arguments, in: shell)
    }
}
