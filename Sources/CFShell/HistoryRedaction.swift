/// Removes secrets from an entry before it is remembered: the value of
/// `--key`, `--password`, `--token` and similar options becomes `***`, written
/// either `--key VALUE` or `--key=VALUE`. A `$NAME` value is kept, since it
/// names where the secret lives rather than holding it.
public enum HistoryRedaction {
    /// Options whose value is a secret.
    public static let secretOptions: Set<String> = [
        "--key", "--password", "--token", "--api-key", "--secret", "--auth-token",
        "--application-credential-secret", "--os-password", "--os-auth-token",
    ]

    public static let mask = "***"

    /// `entry` with every secret option value replaced by `***`.
    public static func redact(_ entry: String) -> String {
        let words = CompletionScanner(entry).words
        var replacements: [(range: Range<Int>, text: String)] = []
        for (offset, word) in words.enumerated() {
            if secretOptions.contains(word.value) {
                guard offset + 1 < words.count else { continue }
                let value = words[offset + 1]
                guard value.statement == word.statement, !value.isVariableOnly else { continue }
                replacements.append((value.range, mask))
            } else if let equals = word.value.firstIndex(of: "="),
                secretOptions.contains(String(word.value[..<equals]))
            {
                let name = String(word.value[..<equals])
                let rest = word.value[word.value.index(after: equals)...]
                if rest.first == "$", rest.dropFirst().unicodeScalars.allSatisfy(CompletionScanner.isNameCharacter) {
                    continue
                }
                replacements.append((word.range, name + "=" + mask))
            }
        }
        guard !replacements.isEmpty else { return entry }
        var scalars = Array(entry.unicodeScalars)
        for replacement in replacements.reversed() {
            scalars.replaceSubrange(replacement.range, with: replacement.text.unicodeScalars)
        }
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars)
        return String(view)
    }
}
