import Foundation
import NIOCore
import NIOFoundationCompat

/// Small helpers shared by the Keystone v3 and Rackspace v2.0 providers.
enum IdentityJSON {
    /// A JSON request body.
    static func body(_ object: [String: Any]) -> ByteBuffer {
        // The objects are built from strings only, so serialisation cannot fail.
        let data = (try? JSONSerialization.data(withJSONObject: object)) ?? Data()
        return ByteBuffer(data: data)
    }

    /// The reply body as a JSON object, or `nil` when it is not one.
    static func object(_ buffer: ByteBuffer) -> [String: Any]? {
        guard let data = buffer.getData(at: buffer.readerIndex, length: buffer.readableBytes) else { return nil }
        return (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
    }

    /// A JSON value re-encoded, for handing a sub-tree to a `Decodable`.
    static func data(_ value: Any) -> Data? {
        guard JSONSerialization.isValidJSONObject(value) else { return nil }
        return try? JSONSerialization.data(withJSONObject: value)
    }

    /// The `message` of an OpenStack error body (`{"error": {"message": …}}` for Keystone,
    /// `{"unauthorized": {"message": …}}` for Rackspace), with every secret removed.
    static func serverMessage(_ buffer: ByteBuffer, hiding secrets: [String]) -> String? {
        guard let object = object(buffer) else { return nil }
        for value in object.values {
            if let inner = value as? [String: Any], let message = inner["message"] as? String, !message.isEmpty {
                return Redaction.scrub(String(message.prefix(300)), secrets: secrets)
            }
        }
        return nil
    }

    /// `base` with `suffix` appended unless the path already ends with it; for turning an
    /// identity URL into its token URL.
    static func url(_ base: URL, appending suffix: String) -> String {
        var text = base.absoluteString
        if let query = text.firstIndex(of: "?") { text = String(text[..<query]) }
        while text.hasSuffix("/") { text.removeLast() }
        return text.hasSuffix(suffix) ? text : text + suffix
    }
}

/// Removing secrets from text that will be shown or logged.
public enum Redaction {
    /// `text` with every occurrence of each secret (of 3 characters or more) replaced by
    /// `<redacted>`. A last line of defence: messages are written not to contain secrets.
    ///
    /// - Parameters:
    ///   - text: text about to be shown, logged or stored.
    ///   - secrets: the secrets that must not appear in it.
    /// - Returns: the text without the secrets.
    public static func scrub(_ text: String, secrets: [String]) -> String {
        var text = text
        for secret in secrets.sorted(by: { $0.count > $1.count }) where secret.count >= 3 {
            text = text.replacingOccurrences(of: secret, with: "<redacted>")
        }
        return text
    }
}
