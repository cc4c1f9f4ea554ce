/// What the parser says about an unknown command name: a word from another shell, or a
/// known name within two edits. (The parser refuses any name it does not know, so a typo on
/// line 50 of a script stops it before line 1 runs.)
public enum CommandSuggestions {
    /// Words from other shells that users type by habit, with what to write instead.
    public static let habits: [String: String] = [
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
        "dir": "use 'ls'",
        "del": "use 'rm'",
        "copy": "use 'cp'",
        "move": "use 'mv'",
        "rename": "use 'mv'",
    ]

    /// The closest known name within two edits, for "did you mean" hints.
    /// Ties go to the name sharing the longest prefix: `lss` is more likely `ls` than `lls`.
    public static func suggestion(for name: String, among names: Set<String>) -> String? {
        names
            .map { (name: $0, distance: editDistance(name, $0), prefix: commonPrefixLength(name, $0)) }
            .filter { $0.distance <= 2 && $0.distance < name.count }
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
