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

    /// Parses the ISO 8601 timestamps identity services write: `2025-11-26T15:22:33Z`,
    /// `…33.123Z` (Rackspace), `…33.000000Z` (Keystone), or with a `+00:00` offset.
    static func timestamp(_ text: String) -> Date? {
        let utf8 = Array(text.utf8)
        guard utf8.count >= 19, utf8[4] == UInt8(ascii: "-"), utf8[10] == UInt8(ascii: "T") else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for byte in utf8[range] {
                guard byte >= 48, byte <= 57 else { return nil }
                value = value * 10 + Int(byte - 48)
            }
            return value
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
              let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19)
        else { return nil }
        var index = 19
        var fraction = 0.0
        if index < utf8.count, utf8[index] == UInt8(ascii: ".") {
            var scale = 0.1
            index += 1
            while index < utf8.count, utf8[index] >= 48, utf8[index] <= 57 {
                fraction += Double(utf8[index] - 48) * scale
                scale /= 10
                index += 1
            }
        }
        var offset = 0
        if index < utf8.count, utf8[index] == UInt8(ascii: "+") || utf8[index] == UInt8(ascii: "-") {
            let sign = utf8[index] == UInt8(ascii: "-") ? -1 : 1
            var rest = utf8[(index + 1)...].split(separator: UInt8(ascii: ":"), omittingEmptySubsequences: false)
            if rest.count == 1, rest[0].count == 4 { rest = [rest[0].prefix(2), rest[0].suffix(2)] }  // +0530
            // Real offsets are within a day; anything else is a hostile or broken reply.
            guard rest.count <= 2, let hours = rest.first.flatMap({ WireNumber.field($0, maxDigits: 2) }), hours < 24,
                  let minutes = rest.count > 1 ? WireNumber.field(rest[1], maxDigits: 2) : 0, minutes < 60
            else { return nil }
            offset = sign * (hours * 3600 + minutes * 60)
        }
        var components = DateComponents()
        components.year = year
        components.month = month
        components.day = day
        components.hour = hour
        components.minute = minute
        components.second = second
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: 0)!
        guard let date = calendar.date(from: components) else { return nil }
        return WireNumber.plausible(date.addingTimeInterval(fraction - Double(offset)))
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
