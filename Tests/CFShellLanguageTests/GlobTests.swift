import Testing

@testable import CFShellLanguage

@Suite struct GlobTests {
    @Test(
        "a pattern matches whole names, one path level at a time",
        arguments: [
            ("*.sql", "a.sql", true),
            ("*.sql", "a.sql.gz", false),
            ("*.sql", "dir/a.sql", false),
            ("*", "", true),
            ("*", "dir/", false),
            ("*/", "dir/", true),
            ("a?c", "abc", true),
            ("a?c", "a/c", false),
            ("a?c", "ac", false),
            ("[ab]x", "bx", true),
            ("[!ab]x", "cx", true),
            ("[^ab]x", "ax", false),
            ("[a-c]9", "b9", true),
            ("[a-c]9", "d9", false),
            ("[]]", "]", true),
            ("[x", "[x", true),
            ("\\*", "*", true),
            ("\\*", "a", false),
            ("a*b*c", "aXXbYYc", true),
            ("a*b*c", "aXXbYY", false),
            ("2023-*/*.sql", "2023-01/db.sql", true),
            ("2023-*/*.sql", "2023-01/x/db.sql", false),
            ("**", "abc", true),
            ("**", "dir/abc", true),
            ("été-*", "été-1", true),
        ])
    func matches(pattern: String, name: String, expected: Bool) {
        #expect(GlobPattern(pattern).matches(name) == expected)
    }

    @Test("the literal prefix stops at the first wildcard and drops escapes")
    func literalPrefix() {
        #expect(GlobPattern("backups/2023-*.sql").literalPrefix == "backups/2023-")
        #expect(GlobPattern("a\\*b*").literalPrefix == "a*b")
        #expect(GlobPattern("plain").literalPrefix == "plain")
        #expect(!GlobPattern("a\\*b").hasWildcards)
        #expect(GlobPattern("a[bc]").hasWildcards)
    }

    @Test("an escaped name matches only itself", arguments: ["a*b", "what?", "[x]", "back\\slash", "plain"])
    func escaping(name: String) {
        let pattern = GlobPattern(GlobPattern.escape(name))
        #expect(pattern.matches(name))
        #expect(!pattern.hasWildcards)
        #expect(!pattern.matches(name + "x"))
    }
}

extension GlobTests {
    @Test(
        "'**' matches across '/', and '**/' at the start of a level zero or more folders",
        arguments: [
            ("**", "a/b/c.txt", true),
            ("**", "", true),
            ("**/*.sql", "a.sql", true),
            ("**/*.sql", "x/a.sql", true),
            ("**/*.sql", "x/y/a.sql", true),
            ("**/*.sql", "x/y/a.sql.gz", false),
            ("a/**/b", "a/b", true),
            ("a/**/b", "a/x/y/b", true),
            ("a/**/b", "ab", false),
            ("a/**/b", "a/xb", false),
            ("a/**", "a/x/y", true),
            ("a/**", "b/x", false),
            ("x**z", "x/y/z", true),
            ("**/", "d/", true),
            ("**/", "d/e/", true),
            ("**/", "d", false),
            ("**/**/x", "x", true),
            ("***/x", "q/x", true),
            ("\\**", "*xy", true),
            ("\\**", "*x/y", false),
            ("\\*\\*", "**", true),
            ("\\*\\*", "*/*", false),
            ("*", "a/b", false),
        ])
    func doubleStar(pattern: String, name: String, expected: Bool) {
        #expect(GlobPattern(pattern).matches(name) == expected)
    }

    @Test("'**' crosses folders; '*' does not; the literal prefix stops at '**'")
    func crossesFolders() {
        #expect(GlobPattern("c/**/x").crossesFolders)
        #expect(GlobPattern("**").crossesFolders)
        #expect(!GlobPattern("c/*/x").crossesFolders)
        #expect(!GlobPattern("c/\\*\\*").crossesFolders)
        #expect(GlobPattern("logs/**/*.gz").literalPrefix == "logs/")
    }
}
