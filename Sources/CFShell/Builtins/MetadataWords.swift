import CFShellLanguage
import CloudFiles
import Foundation

/// The words `meta` and `put` take for metadata, headers, content types and expiry:
/// `KEY=VALUE`, `Name: Value`, an AGE (`30d`) or a DATE (`2027-01-31`, an ISO date/time).
/// Pure parsing and checks, no network: a bad word is refused before anything is sent.
enum MetadataWords {
    /// `KEY=VALUE` (the value may be empty, or hold `=`); the key is lowercased, as Swift
    /// reads it back.
    static func assignment(_ text: String, what: String) throws(ShellError) -> (String, String) {
        guard let equals = text.firstIndex(of: "="), equals != text.startIndex else {
            throw ShellError.usage("\(what) must be KEY=VALUE, not \(Names.quoted(text))")
        }
        let key = String(text[..<equals])
        let value = String(text[text.index(after: equals)...])
        try checkKey(key)
        try checkValue(value, of: key)
        return (key.lowercased(), value)
    }

    /// A metadata name: ASCII letters, digits, `-` and `.`. Swift's WSGI server drops a
    /// header with `_`, and other characters do not survive every proxy.
    static func checkKey(_ key: String) throws(ShellError) {
        guard !key.isEmpty,
            key.unicodeScalars.allSatisfy({
                $0.isASCII && (CharacterSet.alphanumerics.contains($0) || $0 == "-" || $0 == ".")
            })
        else {
            throw ShellError.usage(
                "metadata name \(Names.quoted(key)) may hold only ASCII letters, digits, '-' and '.'"
                    + (key.contains("_") ? " (Swift silently drops names with '_')" : ""))
        }
    }

    /// A header value: no line break or other control character (a CR/LF would end the header).
    static func checkValue(_ value: String, of key: String) throws(ShellError) {
        if value.unicodeScalars.contains(where: { $0 == "\r" || $0 == "\n" }) {
            throw ShellError.usage("the value of \(Names.quoted(key)) contains a line break (CR or LF); refused")
        }
        if value.unicodeScalars.contains(where: { $0.value < 0x20 && $0 != "\t" || $0.value == 0x7F }) {
            throw ShellError.usage("the value of \(Names.quoted(key)) contains a control character; refused")
        }
    }

    /// Headers cfsh sets itself, or that would change what the PUT means: refused in
    /// `put --header`, with the option to use instead where there is one.
    static let controlledHeaders: [String: String] = [
        "content-length": "cfsh sends the file's length",
        "transfer-encoding": "cfsh chooses how the body is sent",
        "etag": "cfsh sends the MD5 it computes",
        "content-type": "use --content-type",
        "x-object-manifest": "cfsh writes large-object manifests itself",
        "x-static-large-object": "cfsh writes large-object manifests itself",
        "x-delete-at": "use --delete-at",
        "x-delete-after": "use --delete-after",
        "if-none-match": "cfsh decides conditional uploads",
        "if-match": "cfsh decides conditional uploads",
        "x-copy-from": "use cp",
        "x-copy-from-account": "use cp",
        "x-symlink-target": "cfsh does not create links with put",
        "x-symlink-target-account": "cfsh does not create links with put",
        "x-symlink-target-etag": "cfsh does not create links with put",
        "x-auth-token": "cfsh sends the token",
        "host": "cfsh sends it", "connection": "cfsh sends it", "expect": "cfsh sends it",
        "x-object-meta-mtime": "cfsh stores the file's modification time",
    ]

    /// `Name: Value`, for `put --header`. A metadata header (`X-Object-Meta-Color: red`)
    /// is returned as metadata, so it is checked against the limits with the rest.
    static func header(_ text: String) throws(ShellError) -> (name: String, value: String) {
        guard let colon = text.firstIndex(of: ":") else {
            throw ShellError.usage("--header must be 'Name: Value', not \(Names.quoted(text))")
        }
        let name = text[..<colon].trimmingCharacters(in: .whitespaces)
        let value = text[text.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        let tokenBytes = name.utf8.allSatisfy { byte in
            byte > 32 && byte < 127 && !"()<>@,;:\\\"/[]?={}_".utf8.contains(byte)
        }
        guard !name.isEmpty, tokenBytes else {
            throw ShellError.usage(
                "header name \(Names.quoted(name)) may hold only ASCII letters, digits and '-' (not '_', which Swift drops)"
            )
        }
        try checkValue(value, of: name)
        let lower = name.lowercased()
        if let reason = controlledHeaders[lower] {
            throw ShellError.usage("--header \(Names.quoted(name)) is refused: \(reason)")
        }
        if lower.hasPrefix("x-object-sysmeta-") || lower.hasPrefix("x-backend-") || lower.hasPrefix("x-remove-") {
            throw ShellError.usage("--header \(Names.quoted(name)) is refused: reserved by Swift")
        }
        return (name, value)
    }

    /// A content type: `type/subtype`, optionally with parameters, no control characters.
    static func contentType(_ text: String) throws(ShellError) -> String {
        try checkValue(text, of: "Content-Type")
        let essence = text.split(separator: ";", maxSplits: 1).first.map(String.init) ?? ""
        let parts = essence.trimmingCharacters(in: .whitespaces).split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, parts.allSatisfy({ !$0.isEmpty && !$0.contains(" ") }) else {
            throw ShellError.usage(
                "--content-type must be TYPE/SUBTYPE (such as text/plain), not \(Names.quoted(text))")
        }
        return text
    }

    /// `--delete-after AGE`, `--delete-at DATE` and (for `meta`) `--no-expiry`, read from
    /// `parsed`; `nil` when none is given. Refuses two at once, a past date and an absurd one.
    static func expiry(_ parsed: ParsedArguments<Argument>, now: Date = Date()) throws(ShellError) -> ObjectExpiry? {
        let given = ["--delete-after", "--delete-at", "--no-expiry"].filter { parsed.has($0) }
        guard given.count <= 1 else {
            throw ShellError.usage("\(given.joined(separator: " and ")) contradict each other: give one")
        }
        let expiry: ObjectExpiry
        if let text = parsed.value("--delete-after") {
            guard let seconds = Quantities.ageSeconds(text) else {
                throw ShellError.usage("--delete-after takes an AGE, \(Quantities.ageForms); not \(Names.quoted(text))")
            }
            expiry = .after(seconds: seconds)
        } else if let text = parsed.value("--delete-at") {
            guard let date = date(text) else {
                throw ShellError.usage(
                    "--delete-at takes a DATE: 2027-01-31, 2027-01-31T18:00 (UTC) or 2027-01-31T18:00:00+02:00; not \(Names.quoted(text))"
                )
            }
            expiry = .at(date)
        } else if parsed.has("--no-expiry") {
            expiry = .never
        } else {
            return nil
        }
        do {
            try expiry.validate(now: now)
        } catch {
            throw ShellError.usage("\(given[0]): \(error.userMessage)")
        }
        return expiry
    }

    /// An ISO 8601 date (midnight UTC), or date and time with `T` or a space, with or
    /// without seconds, in UTC unless it ends in `Z` or an offset.
    static func date(_ text: String) -> Date? {
        var trimmed = text.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: " ", with: "T")
        guard trimmed.unicodeScalars.allSatisfy({ $0.isASCII }), trimmed.count <= 40 else { return nil }
        // 2027-01-31T18:00: seconds are optional.
        if trimmed.count == 16 || (trimmed.count == 17 && trimmed.hasSuffix("Z")) {
            trimmed.insert(contentsOf: ":00", at: trimmed.index(trimmed.startIndex, offsetBy: 16))
        }
        let withZone: String
        if trimmed.count == 10 {
            withZone = trimmed + "T00:00:00Z"
        } else if trimmed.hasSuffix("Z") || trimmed.dropFirst(11).contains(where: { $0 == "+" || $0 == "-" }) {
            withZone = trimmed
        } else {
            withZone = trimmed + "Z"
        }
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        for options: ISO8601DateFormatter.Options in [
            [.withInternetDateTime], [.withInternetDateTime, .withFractionalSeconds],
        ] {
            formatter.formatOptions = options
            if let date = formatter.date(from: withZone) { return date }
        }
        return nil
    }
}

extension MetadataWords {
    /// `put --meta`, `--header`, `--content-type`, `--delete-after` and `--delete-at`, as the
    /// upload options every file of the command gets (a large object: its manifest).
    static func uploadOptions(_ parsed: ParsedArguments<Argument>) throws(ShellError) -> UploadOptions {
        var options = UploadOptions()
        for text in parsed.values("--meta") {
            let (key, value) = try assignment(text, what: "--meta")
            if key == "mtime" {
                throw ShellError.usage("--meta mtime is refused: cfsh stores the file's modification time there")
            }
            options.metadata[key] = value
        }
        for text in parsed.values("--header") {
            let (name, value) = try header(text)
            let prefix = "x-object-meta-"
            if name.lowercased().hasPrefix(prefix) {
                let key = String(name.dropFirst(prefix.count))
                try checkKey(key)
                options.metadata[key.lowercased()] = value
            } else {
                options.headers[name] = value
            }
        }
        options.contentType = try parsed.value("--content-type").map(contentType)
        switch try expiry(parsed) {
        case .after(let seconds)?: options.deleteAfter = Int(exactly: seconds)
        case .at(let date)?: options.deleteAt = date
        case .never?, nil: break
        }
        return options
    }

    /// Checks an upload's metadata, with the mtime cfsh adds, against the cluster's limits.
    static func checkLimits(_ options: UploadOptions, _ client: CloudFilesClient) async throws {
        guard !options.metadata.isEmpty, let limits = try? await client.capabilities() else { return }
        var metadata = options.metadata
        metadata["mtime"] = "1700000000.000000"
        try limits.checkMetadata(metadata)
    }

    static let putOptions = [
        CommandSpec.Option("--meta", value: "KEY=VALUE", help: "store metadata KEY with VALUE (repeatable)"),
        CommandSpec.Option(
            "--header", value: "'NAME: VALUE'",
            help: "send this header too, such as 'Content-Disposition: attachment' (repeatable)"),
        CommandSpec.Option("--content-type", value: "TYPE", help: "the Content-Type (default: guessed from the name)"),
        CommandSpec.Option(
            "--delete-after", value: "AGE", help: "the server deletes the object AGE after the upload (30d, 12h, 45s)"),
        CommandSpec.Option("--delete-at", value: "DATE", help: "the server deletes the object at DATE (UTC)"),
    ]
}
