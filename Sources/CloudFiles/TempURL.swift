import Crypto
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The HMAC algorithms Swift's `tempurl` middleware accepts for `temp_url_sig`.
public enum TempURLDigest: String, Sendable, CaseIterable, Hashable {
    case sha1, sha256, sha512
}

/// Temporary URLs, signed as Swift's `tempurl` middleware checks them: anyone holding the URL
/// may use one method on one object (or every object under a prefix) until a time, without a
/// token.
///
/// The HMAC, keyed with a `Temp-URL-Key` of the account or of the container, is taken over
/// `METHOD\nEXPIRES\nPATH`, where EXPIRES is Unix seconds and PATH is the decoded path
/// `/v1/AUTH_account/container/object`; a prefix URL signs `prefix:/v1/AUTH_account/container/PREFIX`,
/// and a URL limited to addresses starts the text with the line `ip=RANGE`. The signature is
/// written as python-swiftclient writes it: hex for sha1 and sha256 (the middleware tells them
/// by length), `sha512:` and unpadded URL-safe base64 for sha512 (whose hex form it does not
/// accept).
public enum TempURL {
    /// The methods a temp URL can be made for, as the middleware's default `methods`.
    public static let methods = ["GET", "HEAD", "PUT", "POST", "DELETE"]

    /// What is signed: `[ip=RANGE\n]METHOD\nEXPIRES\n[prefix:]PATH`.
    ///
    /// - Parameters:
    ///   - path: the decoded path, `/v1/AUTH_account/container/object` (or `…/container/PREFIX`
    ///     with `prefix`).
    public static func hmacBody(
        method: String, expires: Int64, path: String, prefix: Bool = false, ipRange: String? = nil
    )
        -> String
    {
        var lines = [method, String(expires), (prefix ? "prefix:" : "") + path]
        if let ipRange { lines.insert("ip=" + ipRange, at: 0) }
        return lines.joined(separator: "\n")
    }

    /// The value of `temp_url_sig` for `body`: hex for sha1 and sha256, `sha512:` and URL-safe
    /// base64 without padding for sha512.
    public static func signature(_ body: String, key: String, digest: TempURLDigest) -> String {
        let key = SymmetricKey(data: Data(key.utf8))
        let message = Data(body.utf8)
        switch digest {
        case .sha1:
            return hex(HMAC<Insecure.SHA1>.authenticationCode(for: message, using: key))
        case .sha256:
            return hex(HMAC<SHA256>.authenticationCode(for: message, using: key))
        case .sha512:
            let code = Data(HMAC<SHA512>.authenticationCode(for: message, using: key))
            var text = code.base64EncodedString()
            text = text.replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            while text.hasSuffix("=") { text.removeLast() }
            return "sha512:" + text
        }
    }

    private static let hexDigits = Array("0123456789abcdef")

    private static func hex<Bytes: Sequence<UInt8>>(_ bytes: Bytes) -> String {
        String(bytes.flatMap { [hexDigits[Int($0 >> 4)], hexDigits[Int($0 & 0x0f)]] })
    }

    /// A new key: 32 random bytes from the system's secure generator, as 64 hex digits.
    public static func generateKey() -> String {
        let key = SymmetricKey(size: .bits256)
        return key.withUnsafeBytes { hex($0) }
    }

    /// Checks a key before it is stored: not empty, no line break, and at most 1024 bytes.
    public static func validateKey(_ key: String) throws {
        guard !key.isEmpty else {
            throw CloudFilesError.invalidArgument.with(message: "the temp URL key is empty")
        }
        guard !key.utf8.contains(where: { $0 == 10 || $0 == 13 || $0 == 0 }), key.utf8.count <= 1024 else {
            // The key itself is never part of the message.
            throw CloudFilesError.invalidArgument.with(
                message: "the temp URL key must be one line of at most 1024 bytes")
        }
    }

    /// Checks `--ip`: an IPv4 or IPv6 address, or one with a `/BITS` prefix length.
    public static func validateIPRange(_ text: String) throws {
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        var buffer = [UInt8](repeating: 0, count: 16)
        let address = parts[0]
        let isV4 = !address.contains(":")
        let parsed = address.withCString { inet_pton(isV4 ? AF_INET : AF_INET6, $0, &buffer) } == 1
        var valid = parsed && text.utf8.count <= 64
        if valid, parts.count == 2 {
            let bits = parts[1]
            let limit = isV4 ? 32 : 128
            valid =
                !bits.isEmpty && bits.utf8.count <= 3
                && bits.utf8.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
                && (Int(bits) ?? Int.max) <= limit
        }
        guard valid else {
            throw CloudFilesError.invalidArgument.with(
                message: "'\(Names.printable(String(text.prefix(80))))' is not an IP address or range "
                    + "(such as 203.0.113.7, 10.0.0.0/8 or 2001:db8::/32)")
        }
    }

    /// The expiry as `temp_url_expires` can also take it: ISO 8601 in UTC, `2026-12-02T12:00:00Z`.
    public static func iso8601(_ expires: Int64) -> String {
        var seconds = time_t(expires)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        var buffer = [CChar](repeating: 0, count: 64)
        let length = strftime(&buffer, buffer.count, "%Y-%m-%dT%H:%M:%SZ", &parts)
        return String(decoding: buffer[..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// An absolute time: `2026-12-02T12:00:00Z` (or with an offset, `+02:00`), or a date,
    /// `2026-12-02`, meaning its midnight UTC. `nil` for anything else.
    public static func parseTime(_ text: String) -> Date? {
        guard text.utf8.count <= 40 else { return nil }
        let full = ISO8601DateFormatter()
        full.formatOptions = [.withInternetDateTime]
        if let date = full.date(from: text) { return date }
        let day = ISO8601DateFormatter()
        day.formatOptions = [.withFullDate]
        guard text.utf8.count == 10 else { return nil }
        return day.date(from: text)
    }

    /// Which digest to sign with.
    ///
    /// - `requested`, when the cluster allows it (or when it publishes nothing to check against);
    /// - otherwise sha256, then sha512, and sha1 only when the cluster allows nothing else;
    /// - without `/info` (`tempURL` is `nil` and `clusterPublishesInfo` false), sha1, the one
    ///   digest every tempurl middleware and Rackspace Cloud Files accept.
    ///
    /// - Returns: the digest and, when worth telling the user, a note.
    /// - Throws: `.invalidArgument` when the cluster does not allow `requested`, or has no
    ///   tempurl middleware, or allows no digest cfsh knows.
    public static func chooseDigest(
        requested: TempURLDigest?, capabilities: Capabilities.TempURL?, clusterPublishesInfo: Bool
    ) throws -> (digest: TempURLDigest, note: String?) {
        guard let capabilities else {
            if clusterPublishesInfo {
                throw CloudFilesError.invalidArgument.with(
                    message: "the cluster's /info lists no tempurl middleware: it does not accept temp URLs")
            }
            let digest = requested ?? .sha1
            return (
                digest,
                "the cluster publishes no /info, so its digests are unknown; signing with HMAC-\(digest.rawValue.uppercased())"
                    + (requested == nil ? " (which Rackspace Cloud Files documents)" : "")
            )
        }
        let allowed = capabilities.allowedDigests
        let known = TempURLDigest.allCases.filter { allowed.contains($0.rawValue) }
        if let requested {
            guard allowed.contains(requested.rawValue) else {
                throw CloudFilesError.invalidArgument.with(
                    message: "the cluster does not allow \(requested.rawValue) temp URLs (it allows "
                        + (known.isEmpty ? "none cfsh knows" : known.map(\.rawValue).joined(separator: ", ")) + ")")
            }
            let deprecated = capabilities.deprecatedDigests.contains(requested.rawValue)
            return (requested, deprecated ? "the cluster lists \(requested.rawValue) as deprecated" : nil)
        }
        for digest in [TempURLDigest.sha256, .sha512, .sha1] where known.contains(digest) {
            return (digest, digest == .sha1 ? "the cluster allows only sha1 temp URLs; signing with sha1" : nil)
        }
        throw CloudFilesError.invalidArgument.with(
            message: "the cluster allows no temp URL digest cfsh knows (sha1, sha256, sha512)")
    }
}

/// What to sign: one method on one object, or on every object under a prefix.
public struct TempURLRequest: Sendable {
    /// `GET`, `HEAD`, `PUT`, `POST` or `DELETE`.
    public var method: String
    public var container: String
    /// The object name; with ``isPrefix``, the prefix (empty for the whole container).
    public var name: String
    /// A prefix URL (`temp_url_prefix`): good for every object whose name starts with ``name``.
    public var isPrefix: Bool
    /// Unix seconds after which the URL answers 401.
    public var expires: Int64
    public var digest: TempURLDigest
    /// Only clients in this address or CIDR range may use it (`temp_url_ip_range`).
    public var ipRange: String?
    /// Writes `temp_url_expires` as ISO 8601 instead of Unix seconds (the signature is the same).
    public var iso8601Expiry: Bool
    /// `filename=`: the name a browser saves the download as.
    public var filename: String?
    /// `inline`: a browser shows the object rather than saving it.
    public var inline: Bool

    public init(
        method: String = "GET", container: String, name: String, isPrefix: Bool = false, expires: Int64,
        digest: TempURLDigest = .sha256, ipRange: String? = nil, iso8601Expiry: Bool = false,
        filename: String? = nil, inline: Bool = false
    ) {
        self.method = method
        self.container = container
        self.name = name
        self.isPrefix = isPrefix
        self.expires = expires
        self.digest = digest
        self.ipRange = ipRange
        self.iso8601Expiry = iso8601Expiry
        self.filename = filename
        self.inline = inline
    }

    /// The full URL, signed with `key`, under `storageURL` (whose path, `/v1/AUTH_account`, is
    /// part of what is signed).
    ///
    /// - Throws: `.invalidArgument` for a method the middleware does not know, a bad IP range
    ///   or key; `.invalidName` for a bad container or object name.
    public func url(storageURL: URL, key: String) throws -> String {
        guard TempURL.methods.contains(method) else {
            throw CloudFilesError.invalidArgument.with(
                message:
                    "a temp URL's method is one of \(TempURL.methods.joined(separator: ", ")), not '\(Names.printable(method))'"
            )
        }
        try Names.validateContainer(container)
        if !isPrefix || !name.isEmpty { try Names.validateObject(name) }
        try TempURL.validateKey(key)
        if let ipRange { try TempURL.validateIPRange(ipRange) }
        var base = storageURL.absoluteString
        while base.hasSuffix("/") { base.removeLast() }
        guard var accountPath = URLComponents(string: base)?.path, !accountPath.isEmpty else {
            throw CloudFilesError.invalidArgument.with(message: "the storage URL has no account path")
        }
        while accountPath.hasSuffix("/") { accountPath.removeLast() }
        let signedPath = accountPath + "/" + container + "/" + name
        let body = TempURL.hmacBody(
            method: method, expires: expires, path: signedPath, prefix: isPrefix, ipRange: ipRange)
        let signature = TempURL.signature(body, key: key, digest: digest)
        var query = [
            ("temp_url_sig", signature),
            ("temp_url_expires", iso8601Expiry ? TempURL.iso8601(expires) : String(expires)),
        ]
        if let ipRange { query.append(("temp_url_ip_range", ipRange)) }
        if isPrefix { query.append(("temp_url_prefix", name)) }
        if let filename { query.append(("filename", filename)) }
        var text = query.map { Names.encodeQuery($0.0) + "=" + Names.encodeQuery($0.1) }.joined(separator: "&")
        if inline { text += "&inline" }
        let encodedName = name.isEmpty ? "" : Names.encodeObject(name)
        return base + "/" + Names.encodeContainer(container) + "/" + encodedName + "?" + text
    }
}

/// A temp URL key, and where it is set.
public struct TempURLKey: Sendable {
    public enum Scope: Sendable, Hashable {
        /// Account metadata: good for every container.
        case account
        /// Container metadata: good for that container only.
        case container(String)
    }

    /// The secret. Never print or log it unless the user asked.
    public var value: String
    public var scope: Scope
    /// `Temp-URL-Key-2` rather than `Temp-URL-Key`.
    public var isSecond: Bool

    public init(value: String, scope: Scope, isSecond: Bool) {
        self.value = value
        self.scope = scope
        self.isSecond = isSecond
    }

    /// `account Temp-URL-Key`, `container 'c' Temp-URL-Key-2`: where it is, never what.
    public var description: String {
        let header = isSecond ? "Temp-URL-Key-2" : "Temp-URL-Key"
        switch scope {
        case .account: return "account " + header
        case .container(let name): return "container \(Names.quoted(name)) " + header
        }
    }
}

extension CloudFilesClient {
    /// The key to sign temp URLs for `container` with: the container's `Temp-URL-Key`, its
    /// `Temp-URL-Key-2`, then the account's, in that order. Only the account's owner (or an
    /// admin) can read them: the middleware hides them from everyone else.
    ///
    /// - Returns: `nil` when none is set.
    /// - Throws: `.notFound` when the container does not exist.
    public func tempURLKey(for container: String) async throws -> TempURLKey? {
        let containerMeta = try await containerInfo(container).metadata
        if let key = containerMeta["temp-url-key"], !key.isEmpty {
            return TempURLKey(value: key, scope: .container(container), isSecond: false)
        }
        if let key = containerMeta["temp-url-key-2"], !key.isEmpty {
            return TempURLKey(value: key, scope: .container(container), isSecond: true)
        }
        let accountMeta = try await accountInfo().metadata
        if let key = accountMeta["temp-url-key"], !key.isEmpty {
            return TempURLKey(value: key, scope: .account, isSecond: false)
        }
        if let key = accountMeta["temp-url-key-2"], !key.isEmpty {
            return TempURLKey(value: key, scope: .account, isSecond: true)
        }
        return nil
    }

    /// Sets a temp URL key (`X-Account-Meta-Temp-URL-Key` or `X-Container-Meta-Temp-URL-Key`,
    /// or the `-2` one) with a `POST`; other metadata is kept. URLs signed with the key this
    /// replaces stop working.
    ///
    /// - Parameters:
    ///   - key: the secret; see ``TempURL/generateKey()``.
    ///   - container: the container it applies to, or `nil` for the whole account.
    ///   - second: sets `Temp-URL-Key-2`, for rotating keys without breaking URLs.
    /// - Throws: `.invalidArgument` for a bad key (the message never contains it), `.forbidden`
    ///   without the rights to set account or container metadata, `.notFound`.
    public func setTempURLKey(_ key: String, container: String? = nil, second: Bool = false) async throws {
        try TempURL.validateKey(key)
        let name = second ? "Temp-URL-Key-2" : "Temp-URL-Key"
        if let container {
            try await updateContainerMetadata(container, set: [name: key])
        } else {
            try await updateAccountMetadata(set: [name: key])
        }
    }

    /// Removes a temp URL key; URLs signed with it stop working.
    public func removeTempURLKey(container: String? = nil, second: Bool = false) async throws {
        let name = second ? "Temp-URL-Key-2" : "Temp-URL-Key"
        if let container {
            try await updateContainerMetadata(container, remove: [name])
        } else {
            try await updateAccountMetadata(remove: [name])
        }
    }

    /// The digest to sign with, from the cluster's `/info` (see
    /// ``TempURL/chooseDigest(requested:capabilities:clusterPublishesInfo:)``).
    public func tempURLDigest(
        requested: TempURLDigest? = nil
    ) async throws -> (
        digest: TempURLDigest, note: String?
    ) {
        do {
            let capabilities = try await capabilities()
            return try TempURL.chooseDigest(
                requested: requested, capabilities: capabilities.tempURL, clusterPublishesInfo: true)
        } catch let error as CloudFilesError where error == .notFound {
            return try TempURL.chooseDigest(requested: requested, capabilities: nil, clusterPublishesInfo: false)
        }
    }
}
