/// What the front end says about a word from another tool: an unknown command name (a verb
/// of `swift`, rclone, s3cmd, mc, sftp or another shell), or an option cfsh does not have.
/// The one table of habits; the parser and the option parser read it.
///
/// A habit never shadows the real thing: the parser looks a command name up in the table
/// only when no command has that name, and the option parser looks an option up only when
/// the command has no option of that name. So once cfsh has a `find` or a `sync`, the name
/// runs it, and the entry here is simply no longer reached.
///
/// Suggestions go by meaning first (the tables), then by spelling, within one edit for
/// names of up to four letters and two for longer ones, so that `post` does not suggest
/// `put` nor `head` `help`. (The parser refuses any name it does not know, so a typo on
/// line 50 of a script stops it before line 1 runs.)
public enum CommandSuggestions {
    /// Command names from other tools and shells, with what to write in cfsh instead.
    public static let habits: [String: String] = [
        // Other shells' syntax.
        "for": "loops are written 'foreach NAME in ITEMS { … }'",
        "while": "cfsh has no 'while'; loop over a list with 'foreach NAME in ITEMS { … }'",
        "then": "cfsh blocks are written '{ … }' after the condition",
        "do": "cfsh blocks are written '{ … }' after the items",
        "fi": "cfsh blocks end with '}'",
        "done": "cfsh blocks end with '}'",
        "elif": "write '} else if COMMAND {'",
        "export": "bind a variable with 'let NAME = VALUE'",
        "quit": "use 'exit'",
        "bye": "use 'exit'",
        // Listing.
        "dir": "use 'ls'",
        "list": "use 'ls'",
        "ll": "use 'ls -l'",
        "tree": "use 'ls -r'",
        "find": "cfsh has no 'find' yet; 'ls -r PATH' lists every object below PATH",
        "du": noDiskUsage("du"),
        "size": noDiskUsage("size"),
        // Metadata.
        "head": "use 'stat'",
        "post": "use 'meta PATH KEY=VALUE…' ('stat' shows metadata, and 'mkdir' creates a container)",
        "url": "cfsh has no 'url'; 'tempurl PATH' signs a temporary URL, and 'stat /' shows the storage URL",
        "chmod": "containers have ACLs, not modes: 'share CONTAINER --read ACCOUNT:USER', '--public' or '--private'",
        // Transfers.
        "upload": "use 'put'",
        "mput": "use 'put' (it takes globs and several files)",
        "download": "use 'get'",
        "mget": "use 'get' (it takes globs and several objects)",
        "mirror": "use 'sync SRC DST' (a local side is written file:PATH)",
        "copy": "use 'cp'",
        "move": "use 'mv'",
        "rename": "use 'mv'",
        // Deleting and making.
        "delete": "use 'rm'",
        "del": "use 'rm'",
        "remove": "use 'rm'",
        "purge": "use 'rm -r' (and 'rmdir --force' to delete the container too)",
        "mb": "use 'mkdir'",
        "rb": "use 'rmdir'",
        // Connecting.
        "login": "use 'connect'",
        "open": "use 'connect'",
    ]

    private static func noDiskUsage(_ name: String) -> String {
        "cfsh has no '\(name)'; 'stat PATH' shows the objects and bytes below a container or pseudo-folder, "
            + "and 'ls -l' at the root each container's"
    }

    /// What an option from another tool means to cfsh, or why cfsh has none.
    public enum OptionHabit: Sendable, Equatable {
        /// The same as this option of the command, when it has one: `-R` is `-r`.
        case means(String)
        /// Accepted, and changes nothing: it asks for what the command does anyway (`mkdir -p`).
        case alreadyTheBehaviour
        /// Refused, with this advice. When the option was one letter of a cluster (`-la`), the
        /// message goes on with the cluster without it (`use 'ls -l'`).
        case advice(String)
    }

    /// Options by habit, for any command (`"*"`) or for one. A command's own entry wins over
    /// the one for any command, and a real option of the command wins over both.
    public static let optionHabits: [String: [String: OptionHabit]] = [
        "*": ["-R": .means("-r")],
        "ls": [
            "-a": .advice("cfsh has no '-a' (every object is listed)"),
            "--all": .advice("cfsh has no '--all' (every object is listed)"),
            "-1": .advice("'ls' prints one name per line already when not given -l"),
        ],
        "mkdir": ["-p": .alreadyTheBehaviour, "--parents": .alreadyTheBehaviour],
        "cp": [
            "-r": .advice(copyHasNoRecursion("-r")),
            "-R": .advice(copyHasNoRecursion("-R")),
            "--recursive": .advice(copyHasNoRecursion("--recursive")),
        ],
    ]

    private static func copyHasNoRecursion(_ option: String) -> String {
        "'cp' has no '\(option)': it copies objects, and a glob copies those of a folder (cp SOURCE/* DEST/)"
    }

    /// The habit `option` (as written: `-R`, `--all`) stands for in `command`, if any.
    public static func optionHabit(_ option: String, command: String) -> OptionHabit? {
        optionHabits[command]?[option] ?? optionHabits["*"]?[option]
    }

    /// The closest known name, for "did you mean" hints: within one edit for a name of up
    /// to four characters, two for a longer one, and fewer edits than the name has characters.
    /// Ties go to the name sharing the longest prefix: `lss` is more likely `ls` than `lls`.
    public static func suggestion(for name: String, among names: Set<String>) -> String? {
        let limit = name.count <= 4 ? 1 : 2
        return
            names
            .map { (name: $0, distance: editDistance(name, $0), prefix: commonPrefixLength(name, $0)) }
            .filter { $0.distance <= limit && $0.distance < name.count }
            .min { ($0.distance, -$0.prefix, $0.name) < ($1.distance, -$1.prefix, $1.name) }?
            .name
    }

    private static func commonPrefixLength(_ a: String, _ b: String) -> Int {
        zip(a, b).prefix { $0 == $1 }.count
    }

    /// Edits (insert, delete, substitute, swap two neighbours) that turn `a` into `b`.
    public static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a)
        let b = Array(b)
        guard !a.isEmpty else { return b.count }
        guard !b.isEmpty else { return a.count }
        var table = Array(repeating: Array(repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { table[i][0] = i }
        for j in 0...b.count { table[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                table[i][j] = min(table[i - 1][j] + 1, table[i][j - 1] + 1, table[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    table[i][j] = min(table[i][j], table[i - 2][j - 2] + 1)
                }
            }
        }
        return table[a.count][b.count]
    }
}
