/// The REPL's prompts. The primary one says who and where, like
/// `cfsh test@127.0.0.1:/backups/2026> `, or that nothing is connected yet.
public enum Prompt {
    /// What the prompt shows of a connection.
    public struct Connection: Sendable, Equatable {
        /// The account or user (`test`, not `AUTH_test`).
        public var who: String
        /// The storage host, without a port.
        public var host: String

        public init(who: String, host: String) {
            self.who = who
            self.host = host
        }
    }

    /// The prompt for the first line of a statement.
    /// - Parameters:
    ///   - connection: the current connection, if any.
    ///   - folder: the remote working folder, absolute (`/` at the account).
    public static func primary(connection: Connection?, folder: String) -> String {
        guard let connection else { return "cfsh (not connected)> " }
        return "cfsh \(printable(connection.who))@\(printable(connection.host)):\(printable(folder))> "
    }

    /// The prompt for the following lines of an unfinished statement.
    public static let continuation = "...> "

    /// The account name to show for a storage URL path such as `/v1/AUTH_test`.
    public static func accountName(storagePath: String) -> String? {
        guard let last = storagePath.split(separator: "/").last else { return nil }
        let name = String(last)
        for prefix in ["AUTH_", "MossoCloudFS_"] where name.hasPrefix(prefix) && name.count > prefix.count {
            return String(name.dropFirst(prefix.count))
        }
        return name
    }

    /// Control characters in a name would move the cursor or change colours.
    static func printable(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? "?" : $0 }))
    }
}
