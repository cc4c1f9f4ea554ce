/// Validation and percent-encoding of container and object names.
///
/// Names are UTF-8. In a path, every byte outside `A-Z a-z 0-9 - . _ ~` is
/// percent-encoded, except `/` inside object names, which Swift reads as part of the name
/// either way. A path segment of exactly `.` or `..` is encoded too, so that no URL
/// normaliser on the way can collapse it. Query values encode everything but unreserved
/// bytes, so `&`, `=`, `+`, `;` and `#` inside a prefix or marker survive.
public enum Names {
    /// Swift's default limit on container names, in UTF-8 bytes.
    public static let maxContainerNameBytes = 256
    /// Swift's default limit on object names, in UTF-8 bytes.
    public static let maxObjectNameBytes = 1024

    /// Checks a container name the way Swift would, before anything is sent.
    ///
    /// - Throws: `.invalidName` if the name is empty, contains `/` or a NUL, or is longer
    ///   than 256 bytes of UTF-8.
    public static func validateContainer(_ name: String) throws {
        if name.isEmpty {
            throw CloudFilesError.invalidName.with(message: "a container name cannot be empty")
        }
        if name.contains("/") {
            throw CloudFilesError.invalidName.with(message: "a container name cannot contain '/': \(quoted(name))")
        }
        try checkCommon(name, kind: "container", limit: maxContainerNameBytes)
    }

    /// Checks an object name the way Swift would, before anything is sent.
    ///
    /// - Throws: `.invalidName` if the name is empty, contains a NUL, or is longer than
    ///   1024 bytes of UTF-8.
    public static func validateObject(_ name: String) throws {
        if name.isEmpty {
            throw CloudFilesError.invalidName.with(message: "an object name cannot be empty")
        }
        try checkCommon(name, kind: "object", limit: maxObjectNameBytes)
    }

    private static func checkCommon(_ name: String, kind: String, limit: Int) throws {
        if name.utf8.contains(0) {
            throw CloudFilesError.invalidName.with(message: "a \(kind) name cannot contain a NUL byte")
        }
        let length = name.utf8.count
        if length > limit {
            throw CloudFilesError.invalidName.with(
                message:
                    "the \(kind) name is \(length) bytes of UTF-8; Swift allows at most \(limit): \(quoted(name, max: 60))"
            )
        }
    }

    /// A name in single quotes for a message, escaped with ``printable(_:)`` and cut after
    /// `max` characters.
    public static func quoted(_ name: String, max: Int = 200) -> String {
        let shown = name.count > max ? String(name.prefix(max)) + "…" : name
        return "'" + printable(shown) + "'"
    }

    /// `text` with every character that a terminal would act on instead of showing
    /// replaced by a visible escape, so that a name can neither retitle the terminal, move
    /// the cursor, nor hide itself or the text around it.
    ///
    /// Escaped: the C0 controls (`\e` for ESC; `\a`, `\b`, `\t`, `\n`, `\v`, `\f`, `\r`;
    /// `\x01` and so on for the others), DEL as `\x7f`, the C1 controls U+0080–U+009F as
    /// `\u0085` and so on, and the Unicode line and paragraph separators and bidirectional
    /// controls (U+2028, U+2029, U+200E, U+200F, U+202A–U+202E, U+2066–U+2069) as `\u202e`.
    /// A `\` is left alone, so escaping twice changes nothing: every layer that prints may
    /// escape. Text without such characters comes back unchanged.
    ///
    /// - Parameter text: a name, or a message holding names.
    /// - Returns: the text with only printable characters.
    public static func printable(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: needsEscape) else { return text }
        var shown = ""
        for scalar in text.unicodeScalars {
            guard needsEscape(scalar) else {
                shown.unicodeScalars.append(scalar)
                continue
            }
            switch scalar.value {
            case 0x07: shown += "\\a"
            case 0x08: shown += "\\b"
            case 0x09: shown += "\\t"
            case 0x0A: shown += "\\n"
            case 0x0B: shown += "\\v"
            case 0x0C: shown += "\\f"
            case 0x0D: shown += "\\r"
            case 0x1B: shown += "\\e"
            case 0..<0x80: shown += "\\x" + hexDigits(scalar.value, width: 2)
            default: shown += "\\u" + hexDigits(scalar.value, width: 4)
            }
        }
        return shown
    }

    /// Whether ``printable(_:)`` escapes `scalar`.
    public static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0..<0x20, 0x7F...0x9F, 0x200E, 0x200F, 0x2028...0x202E, 0x2066...0x2069: return true
        default: return false
        }
    }

    private static func hexDigits(_ value: UInt32, width: Int) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    /// Percent-encodes a container name as one path segment.
    public static func encodeContainer(_ name: String) -> String {
        encode(name, keepSlash: false)
    }

    /// Percent-encodes an object name for a path, keeping its `/` separators (a leading
    /// `/` and `//` inside the name included).
    public static func encodeObject(_ name: String) -> String {
        encode(name, keepSlash: true)
    }

    /// Percent-encodes a query value (or key).
    public static func encodeQuery(_ value: String) -> String {
        encode(value, keepSlash: false)
    }

    private static func encode(_ text: String, keepSlash: Bool) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count * 3)
        var segmentStart = 0
        let bytes = Array(text.utf8)
        for (index, byte) in bytes.enumerated() {
            if byte == UInt8(ascii: "/") && keepSlash {
                out.append(byte)
                segmentStart = out.count
                continue
            }
            if isUnreserved(byte) {
                out.append(byte)
            } else {
                out.append(UInt8(ascii: "%"))
                out.append(hex[Int(byte >> 4)])
                out.append(hex[Int(byte & 0xF)])
            }
            // A whole segment of "." or "..": encode its dots.
            let next = index + 1 < bytes.count ? bytes[index + 1] : UInt8(ascii: "/")
            if next == UInt8(ascii: "/") || index + 1 == bytes.count {
                let segment = out[segmentStart...]
                if segment.elementsEqual(".".utf8) || segment.elementsEqual("..".utf8) {
                    let dots = segment.count
                    out.removeLast(dots)
                    for _ in 0..<dots { out.append(contentsOf: "%2E".utf8) }
                }
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static let hex = Array("0123456789ABCDEF".utf8)

    private static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"),
            UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
            return true
        default:
            return false
        }
    }
}
