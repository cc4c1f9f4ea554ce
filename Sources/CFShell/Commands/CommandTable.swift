/// Every built-in command's usage, help and options.
enum CommandTable {
    static let json = CommandSpec.Option("--json", help: "print JSON instead of text")
    static let human = CommandSpec.Option("-h", "--human", help: "sizes in K, M, G (powers of 1024)")

    static let specs: [CommandSpec] = [
        CommandSpec(
            "connect", "[CLOUD] [OPTIONS]",
            summary: "Log in to a Swift or Cloud Files account.",
            details: """
                Without options, connect reads the variables python-swiftclient reads: ST_AUTH, ST_USER \
                and ST_KEY for v1.0 auth; OS_STORAGE_URL with OS_AUTH_TOKEN to skip auth; OS_AUTH_URL, \
                OS_USERNAME, OS_PASSWORD, OS_PROJECT_NAME, … for Keystone; OS_CLOUD or CLOUD for an \
                entry of clouds.yaml. Options override the variables one by one.
                Remote commands connect this way by themselves when no connect was run.
                Keys, passwords and tokens are never printed or logged.
                """,
            options: ConnectOptionTable.options + [json],
            operands: 0...1),
        CommandSpec(
            "ls", "[-l] [-h] [-r] [--json] [PATH…]",
            summary: "List containers, or the objects and pseudo-folders in a container.",
            details: """
                At the account root, ls lists containers. In a container it lists one level: objects, and \
                pseudo-folders with a trailing '/'. A PATH naming an object lists that object. Globs \
                (*, ?, […]) match one level. Paths are printed so they can be typed back: relative to the \
                working folder, or absolute when they lie outside it.
                """,
            options: [
                CommandSpec.Option("-l", "--long", help: "size, date and content type (containers: objects and bytes)"),
                human,
                CommandSpec.Option("-r", "--recursive", help: "every object below, not only one level"),
                json,
            ]),
        CommandSpec(
            "cd", "[PATH]", summary: "Change the remote working folder (the account root without PATH).",
            details: "PATH may be a container or a pseudo-folder of it; '..' goes up, '/' is the root.",
            operands: 0...1),
        CommandSpec("pwd", "", summary: "Print the remote working folder.", operands: 0...0),
        CommandSpec(
            "lcd", "[DIR]", summary: "Change the local working folder (your home folder without DIR).",
            operands: 0...1),
        CommandSpec("lpwd", "", summary: "Print the local working folder.", operands: 0...0),
        CommandSpec(
            "lls", "[-l] [-h] [--json] [PATTERN…]",
            summary: "List local files: the working folder, the folders named, or the files a pattern matches.",
            details: "Folders are shown with a trailing '/'. A pattern's '*' does not match a leading '.'.",
            options: [CommandSpec.Option("-l", "--long", help: "size and date"), human, json]),
        CommandSpec(
            "mkdir", "CONTAINER…", summary: "Create containers (an existing container is left as it is).",
            operands: 1...Int.max),
        CommandSpec(
            "put", "[-r] [OPTIONS] LOCAL… [REMOTE]",
            summary: "Upload files.",
            details: """
                With two or more operands the last is REMOTE; with one, files go to the working folder. \
                A REMOTE ending in '/' or naming a container is a folder: each file keeps its name \
                there. Otherwise REMOTE is the object name, and only one file may be given. With -r, \
                a folder is uploaded with everything below it, as REMOTE/FOLDER/relative/path. LOCAL \
                may be a glob. The container is created if it does not exist. Uploads run in parallel \
                ('set parallel N' or --parallel).
                A file larger than the segment size ('set segment-size', default 1G) goes up as a static \
                large object: its segments in parallel into CONTAINER_segments, the manifest last. Run \
                again after an interruption, only the missing segments are sent. Files over the \
                cluster's max_file_size are always segmented.
                """,
            options: [
                CommandSpec.Option("-r", "--recursive", help: "upload folders and everything in them"),
                CommandSpec.Option("-v", "--verbose", help: "print each file as it is uploaded"),
                TransferFlags.parallelOption, TransferFlags.segmentSizeOption, TransferFlags.skipIdenticalOption,
                TransferFlags.leaveSegmentsOption, TransferFlags.quietOption, TransferFlags.progressOption,
            ],
            operands: 1...Int.max),
        CommandSpec(
            "get", "[-r] [OPTIONS] REMOTE… [LOCAL]",
            summary: "Download objects.",
            details: """
                With two or more operands the last is LOCAL; with one, files go to the local working \
                folder. One object may be saved under another name; several go into the folder LOCAL. \
                With -r, a container or pseudo-folder is downloaded as LOCAL/NAME/…, pseudo-folders \
                becoming folders. An object whose name would write outside LOCAL ('..', a leading '/', \
                an empty path component) is refused. Files appear only once complete and verified \
                (large objects segment by segment); a broken transfer resumes with Range and If-Match. \
                With --parallel-segments N, a static large object's segments come N at a time, each \
                with a ranged GET written at its offset: for links where one stream is slow. \
                --ignore-checksum checks lengths but not MD5s, for speed where the CPU is the limit.
                """,
            options: [
                CommandSpec.Option("-r", "--recursive", help: "download containers and pseudo-folders"),
                CommandSpec.Option("-v", "--verbose", help: "print each object as it is downloaded"),
                TransferFlags.parallelOption, TransferFlags.parallelSegmentsOption, TransferFlags.skipIdenticalOption,
                TransferFlags.ignoreChecksumOption, TransferFlags.quietOption, TransferFlags.progressOption,
            ],
            operands: 1...Int.max),
        CommandSpec("cat", "REMOTE…", summary: "Write objects to standard output.", operands: 1...Int.max),
        CommandSpec(
            "rm", "[-r] [OPTIONS] REMOTE…",
            summary: "Delete objects.",
            details: """
                Globs are allowed; a glob that matches nothing deletes nothing and says so. With -r, a \
                pseudo-folder or a container is emptied of everything below it (the container stays: \
                use rmdir --force to delete it too). Many objects go with bulk delete when the cluster \
                has it; a large object, static or dynamic, goes with its segments unless --leave-segments is given. \
                With -v, or on a terminal, rm -r ends with the numbers deleted, not found and failed.
                """,
            options: [
                CommandSpec.Option("-r", "--recursive", help: "delete everything under pseudo-folders and containers"),
                CommandSpec.Option("-v", "--verbose", help: "print each object as it is deleted"),
                TransferFlags.parallelOption, TransferFlags.leaveSegmentsOption, TransferFlags.quietOption,
                TransferFlags.progressOption,
            ],
            operands: 1...Int.max),
        CommandSpec(
            "rmdir", "[--force] [OPTIONS] CONTAINER…",
            summary: "Delete containers.",
            details: """
                A container that still holds objects is not deleted: rmdir says how many it holds. With \
                --force, every object is deleted first (with bulk delete, and large objects with their \
                segments unless --leave-segments), then the container.
                """,
            options: [
                CommandSpec.Option("-f", "--force", help: "delete the objects in the container too"),
                CommandSpec.Option("-v", "--verbose", help: "print each object as it is deleted"),
                TransferFlags.parallelOption, TransferFlags.leaveSegmentsOption, TransferFlags.quietOption,
                TransferFlags.progressOption,
            ],
            operands: 1...Int.max),
        CommandSpec(
            "stat", "[-h] [--json] [PATH]",
            summary: "Show the account, a container or an object: totals, type, dates and metadata.",
            details: "Without PATH, stat shows the working folder's container, or the account at the root.",
            options: [human, json],
            operands: 0...1),
        CommandSpec(
            "cp", "SOURCE… DEST", summary: "Copy objects on the server.",
            details: """
                A DEST ending in '/' or naming a container is a folder: each object keeps its base \
                name there. Otherwise DEST is the new name, and only one SOURCE may be given.
                """,
            operands: 2...Int.max),
        CommandSpec(
            "mv", "SOURCE… DEST", summary: "Move objects: copy on the server, then delete the source.",
            details: "DEST is read as for cp.", operands: 2...Int.max),
        CommandSpec(
            "echo", "[-n] [WORD…]", summary: "Print the words, separated by spaces.",
            details: "-n leaves out the final line break."),
        CommandSpec("help", "[COMMAND]", summary: "List the commands, or describe one.", operands: 0...1),
        CommandSpec(
            "exit", "[STATUS]", summary: "Stop the script or the shell, with STATUS (0 by default).",
            operands: 0...1),
        CommandSpec(
            "source", "FILE [ARG…]", summary: "Run the statements of FILE here, sharing variables and folders.",
            details: "With ARGs, FILE sees them as $1, $2, …; without, it sees the current ones.",
            operands: 1...Int.max),
        CommandSpec(
            "set", "[NAME [VALUE]]", summary: "Show the settings, or change one.",
            details: """
                parallel N         how many transfers or deletions run at once (1 to 64, default 4)
                verbose on|off     whether put, get and rm print each file (default off)
                segment-size SIZE  put uploads larger files as static large objects in segments
                                   of SIZE (100M, 1G, …; default 1G); 'off' never segments
                """,
            operands: 0...2),
        CommandSpec(
            "date", "[-u] [+FORMAT]",
            summary: "Print the date and time: ISO 8601 by default, or as strftime's FORMAT.",
            details: "For a dated prefix: let today = $(date +%Y-%m-%d)",
            options: [CommandSpec.Option("-u", "--utc", help: "in UTC rather than local time")],
            operands: 0...1),
    ]

    static let byName: [String: CommandSpec] = Dictionary(uniqueKeysWithValues: specs.map { ($0.name, $0) })

    static func spec(_ name: String) -> CommandSpec? { byName[name] }
}
