/// cfsh's version, printed by `cfsh --version`.
public enum CFShellVersion {
    public static let current = "0.1.0"
}
