import CFShellLanguage
import CloudFiles
import Foundation

/// `orphans`: the segments that an upload left behind and no manifest uses (an upload
/// interrupted and never run again), listed, and with `--delete` deleted.
///
/// Safety, in order:
/// - Only segments in the layout cfsh's uploads write are considered: in `CONTAINER_segments`,
///   named `NAME/slo/MTIME/SIZE/SEGMENT_SIZE/INDEX` (or `/dlo/`), as python-swiftclient names
///   static large object segments too. Anything else in a segment container is never touched.
/// - An upload's segments are an orphan only when no manifest in the account uses any of them:
///   every container is listed; each static manifest the listing marks is read with
///   `?multipart-manifest=get`, and each empty object (which may be a dynamic manifest) is
///   asked for its `X-Object-Manifest`, a prefix that protects everything below it. The object
///   the segments are named for is also read directly, whatever the listing says. A container
///   that cannot be listed, or a manifest that cannot be read, stops `--delete`.
/// - An upload counts as old only when its newest segment was stored more than AGE ago
///   (24 h by default), so an upload still running, or one being resumed, is left alone.
/// - Nothing is deleted without `--delete`.
enum Orphans: Builtin {
    static let spec = CommandSpec(
        "orphans", "[CONTAINER…] [--older-than AGE] [--delete] [-h] [-v] [--json]",
        summary: "List, or delete, the segments of uploads that never finished.",
        details: """
            An interrupted upload of a large file leaves its segments in CONTAINER_segments, \
            where a re-run resumes from them; an upload never run again leaves them for good. \
            orphans lists them, one line per upload: segments, bytes, when the newest was stored, \
            and the folder they are in. Without CONTAINER it looks in every container named \
            *_segments. Only segments named as cfsh (and swift) uploads name them \
            (NAME/slo/MTIME/SIZE/SEGMENT_SIZE/INDEX) are considered, and only when no manifest \
            anywhere in the account uses any segment of that upload: orphans reads every \
            static manifest and asks every empty object for its dynamic manifest, so it costs a \
            listing of the whole account. An upload is listed when its newest segment was \
            stored more than AGE ago (default 24h: an upload still running, or being resumed, \
            is left alone; do not resume an upload while deleting with a shorter AGE). With \
            --delete the segments listed are deleted.
            """,
        options: [
            CommandSpec.Option(
                "--older-than", value: "AGE",
                help: "only uploads whose newest segment was stored more than AGE ago (default 24h)"),
            CommandSpec.Option("--delete", help: "delete the segments listed"),
            CommonOptions.human,
            CommandSpec.Option("-v", "--verbose", help: "print each segment as it is deleted"),
            CommonOptions.json,
            TransferFlags.parallelOption, TransferFlags.quietOption, TransferFlags.progressOption,
        ],
        operands: 0...Int.max)

    static func completion(at position: Int) -> CompletionSlots.Slot {
        .remote(.containers)
    }

    static let defaultAge: Int64 = 86_400

    static func run(_ arguments: ParsedArguments<Argument>, in shell: isolated Shell) async throws {
        let (client, verbose, transfer) = try await shell.transferSetup(arguments)
        var flags = transfer
        // Segments are plain objects: never follow one as if it were a manifest.
        flags.leaveSegments = true
        var age = defaultAge
        if let text = arguments.value("--older-than") {
            guard let seconds = Quantities.ageSeconds(text) else {
                throw ShellError.usage("--older-than takes an AGE, \(Quantities.ageForms); not \(Names.quoted(text))")
            }
            age = seconds
        }
        let now = Date()
        var segmentContainers: [String] = []
        for operand in arguments.operands {
            let path = try operand.remotePath(from: .root)
            guard let container = path.container, path.name.isEmpty, operand.pattern == nil else {
                throw ShellError.usage(
                    "orphans takes containers (the ones uploaded to), not \(Names.quoted(operand.text))")
            }
            segmentContainers.append(container + "_segments")
        }
        let everyContainer = try await allContainers(client)
        if arguments.operands.isEmpty {
            segmentContainers = everyContainer.filter { $0.utf8.reversed().starts(with: "_segments".utf8.reversed()) }
        }

        // The uploads whose segments are there, by container and prefix.
        var uploads: [SegmentUpload] = []
        for container in segmentContainers {
            uploads += try await SegmentUpload.find(in: container, client: client)
        }
        var scan = ManifestScan()
        if !uploads.isEmpty {
            scan = try await ManifestScan.run(
                containers: everyContainer, uploads: uploads, client: client, parallel: flags.parallel)
        }
        let orphans = uploads.filter { !scan.uses($0) }
        let old = orphans.filter { upload in upload.newest.map { now.timeIntervalSince($0) > Double(age) } ?? false }
        let young = orphans.count - old.count

        if arguments.has("--delete") && !scan.unread.isEmpty {
            throw ShellError.failure(
                "not deleting: \(scan.unread.count) place\(scan.unread.count == 1 ? "" : "s") could not be read, "
                    + "and a manifest there may use these segments: "
                    + scan.unread.prefix(3).map(Names.printable).joined(separator: ", "))
        }
        report(
            old, json: arguments.has("--json"), human: arguments.has("-h"), deleting: arguments.has("--delete"),
            in: shell)
        if !scan.unread.isEmpty {
            shell.stdout.flush()
            shell.stderr.line(
                "orphans: could not read \(scan.unread.map(Names.printable).joined(separator: ", ")); "
                    + "a manifest there may use segments listed here")
            shell.stderr.flush()
        }
        if young > 0 {
            shell.stdout.flush()
            shell.stderr.line(
                "orphans: \(young) more upload\(young == 1 ? "'s" : "s'") segments are newer than "
                    + "\(ObjectFilter.describe(seconds: age)) (an upload may still be running); not listed")
            shell.stderr.flush()
        }
        guard arguments.has("--delete"), !old.isEmpty else { return }
        var tally = DeleteTally()
        for upload in old {
            tally =
                tally
                + (try await shell.deleteObjects(
                    upload.segments.map { DeleteTarget($0.name, isStaticLargeObject: false) }, in: upload.container,
                    client: client, verbose: verbose, flags: flags))
        }
        if !arguments.has("--json") {
            shell.stdout.line(
                "orphans: deleted \(tally.deleted) segment\(tally.deleted == 1 ? "" : "s") of \(old.count) upload\(old.count == 1 ? "" : "s")"
                    + (tally.notFound > 0 ? ", \(tally.notFound) already gone" : ""))
        }
    }

    private static func allContainers(_ client: CloudFilesClient) async throws -> [String] {
        var names: [String] = []
        for try await record in client.listContainers() { names.append(record.name) }
        return names
    }

    private static func report(
        _ uploads: [SegmentUpload], json: Bool, human: Bool, deleting: Bool, in shell: isolated Shell
    ) {
        let output = shell.stdout
        if json {
            let items = uploads.map { upload in
                JSONValue.object([
                    ("container", .string(upload.container)), ("prefix", .string(upload.prefix)),
                    ("object", .string(upload.object)), ("kind", .string(upload.kind)),
                    ("segments", .int(Int64(upload.segments.count))), ("bytes", .int(upload.bytes)),
                    ("newest", Format.isoDate(upload.newest)), ("deleted", .bool(deleting)),
                ])
            }
            output.line(JSONValue.array(items).pretty())
            return
        }
        let rows = uploads.map { upload -> [String] in
            let path = RemotePath(container: upload.container, name: upload.prefix)
            let folder = RemotePath(container: upload.container, name: String(upload.prefix.dropLast()))
            let typed = FindPrinter.canBeTyped(folder) ? WordQuoting.quoted(path.description) : nil
            let shown = typed ?? Names.printable(path.description)
            return [
                String(upload.segments.count), Format.size(upload.bytes, human: human), Format.date(upload.newest),
                output.shown(shown),
            ]
        }
        for line in Format.table(rows, rightAligned: [0, 1]) { output.line(line) }
    }
}

/// The segments one upload stored: those under one prefix `NAME/KIND/MTIME/SIZE/SEGMENT_SIZE/`
/// of a segment container.
struct SegmentUpload: Sendable {
    var container: String
    /// `NAME/slo/MTIME/SIZE/SEGMENT_SIZE/`.
    var prefix: String
    /// The object the upload was for.
    var object: String
    /// `slo` or `dlo`.
    var kind: String
    var segments: [ObjectRecord]

    var bytes: Int64 { WireNumber.sum(segments.map(\.bytes)) ?? Int64.max }
    /// When the newest segment was stored: the upload's last sign of life.
    var newest: Date? {
        let dates = segments.map(\.lastModified)
        guard !dates.contains(where: { $0 == nil }) else { return nil }
        return dates.compactMap { $0 }.max()
    }

    /// The uploads in `container` (a segment container), in listing order; none when it does
    /// not exist.
    static func find(in container: String, client: CloudFilesClient) async throws -> [SegmentUpload] {
        var uploads: [SegmentUpload] = []
        var index: [[UInt8]: Int] = [:]
        do {
            for try await entry in client.listObjects(in: container) {
                guard case .object(let record) = entry, let parsed = parse(record.name) else { continue }
                let key = Array(parsed.prefix.utf8)
                if let at = index[key] {
                    uploads[at].segments.append(record)
                } else {
                    index[key] = uploads.count
                    uploads.append(
                        SegmentUpload(
                            container: container, prefix: parsed.prefix, object: parsed.object, kind: parsed.kind,
                            segments: [record]))
                }
            }
        } catch let error as CloudFilesError where error == .notFound {
            return []
        }
        return uploads
    }

    /// Splits a segment name in the upload layout, `NAME/KIND/MTIME/SIZE/SEGMENT_SIZE/INDEX`
    /// with KIND `slo` or `dlo`, MTIME `-?DIGITS.DIGITS`, SIZE and SEGMENT_SIZE digits and INDEX
    /// at least 8 digits; `nil` for any other name.
    static func parse(_ name: String) -> (prefix: String, object: String, kind: String)? {
        let parts = Array(name.utf8.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false))
        guard parts.count >= 6 else { return nil }
        let tail = parts.suffix(5).map { Array($0) }
        let isDigits = { (bytes: [UInt8]) in
            !bytes.isEmpty && bytes.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
        }
        let kind = String(decoding: tail[0], as: UTF8.self)
        guard kind == "slo" || kind == "dlo" else { return nil }
        var mtime = tail[1][...]
        if mtime.first == UInt8(ascii: "-") { mtime = mtime.dropFirst() }
        let pieces = mtime.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard pieces.count == 2, isDigits(Array(pieces[0])), isDigits(Array(pieces[1])) else { return nil }
        guard isDigits(tail[2]), isDigits(tail[3]), isDigits(tail[4]), tail[4].count >= 8 else { return nil }
        let objectBytes = name.utf8.count - parts.suffix(5).reduce(0) { $0 + $1.count + 1 }
        guard objectBytes > 0 else { return nil }
        let object = String(decoding: name.utf8.prefix(objectBytes), as: UTF8.self)
        let prefix = String(decoding: name.utf8.prefix(name.utf8.count - tail[4].count), as: UTF8.self)
        return (prefix, object, kind)
    }
}

/// What the manifests of the account use: the segments static manifests name, and the
/// prefixes dynamic manifests name.
struct ManifestScan: Sendable {
    /// `container/name` of each segment a static manifest names, as bytes.
    var segments = Set<[UInt8]>()
    /// `container/prefix` of each dynamic manifest, as bytes.
    var prefixes: [[UInt8]] = []
    /// Containers and manifests that could not be read.
    var unread: [String] = []

    /// Whether any manifest uses any segment of `upload`.
    func uses(_ upload: SegmentUpload) -> Bool {
        upload.segments.contains { segment in
            let key = Array((upload.container + "/" + segment.name).utf8)
            return segments.contains(key) || prefixes.contains { key.starts(with: $0) }
        }
    }

    mutating func add(_ found: LargeObjectReference) {
        switch found {
        case .none: break
        case .segments(let records):
            for record in records { segments.insert(Array((record.container + "/" + record.name).utf8)) }
        case .prefix(let container, let prefix): prefixes.append(Array((container + "/" + prefix).utf8))
        case .unreadable(let what): unread.append(what)
        }
    }

    /// Reads every manifest in `containers`, and the object each upload is named for.
    static func run(
        containers: [String], uploads: [SegmentUpload], client: CloudFilesClient, parallel: Int
    ) async throws -> ManifestScan {
        var scan = ManifestScan()
        var asked = Set<[UInt8]>()
        var toRead: [ObjectPath] = []
        func ask(_ path: ObjectPath) {
            if asked.insert(Array((path.container + "/" + path.name).utf8)).inserted { toRead.append(path) }
        }
        // The object each upload was for, in CONTAINER for CONTAINER_segments.
        for upload in uploads {
            ask(ObjectPath(container: String(upload.container.dropLast("_segments".count)), name: upload.object))
        }
        for container in containers {
            do {
                for try await entry in client.listObjects(in: container) {
                    guard case .object(let record) = entry else { continue }
                    if record.isStaticLargeObject || (record.bytes == 0 && !record.isDirectoryMarker) {
                        ask(ObjectPath(container: container, name: record.name))
                    }
                }
            } catch let error as CloudFilesError where error == .notFound {
                continue  // deleted meanwhile
            } catch let error as CloudFilesError where error == .forbidden || error == .unauthorized {
                scan.unread.append(container)
            }
        }
        try await withThrowingTaskGroup(of: LargeObjectReference.self) { group in
            var next = 0
            func start() {
                let path = toRead[next]
                next += 1
                group.addTask { try await LargeObjectReference.read(path, client: client) }
            }
            while next < toRead.count && next < max(1, parallel) { start() }
            while let found = try await group.next() {
                scan.add(found)
                if next < toRead.count { start() }
            }
        }
        return scan
    }
}

/// What one object says about segments.
enum LargeObjectReference: Sendable {
    case none
    case segments([SegmentRecord])
    case prefix(container: String, prefix: String)
    case unreadable(String)

    /// Reads `path` as a manifest (the link itself for a symlink, which uses no segments).
    static func read(_ path: ObjectPath, client: CloudFilesClient) async throws -> LargeObjectReference {
        do {
            let info = try await client.objectInfo(path.name, in: path.container, followingSymlinks: false)
            if let manifest = info.dynamicManifest {
                let decoded = manifest.removingPercentEncoding ?? manifest
                guard let slash = decoded.utf8.firstIndex(of: UInt8(ascii: "/")) else {
                    return .prefix(container: decoded, prefix: "")
                }
                return .prefix(
                    container: String(decoding: decoded.utf8[..<slash], as: UTF8.self),
                    prefix: String(decoding: decoded.utf8[decoded.utf8.index(after: slash)...], as: UTF8.self))
            }
            guard info.isStaticLargeObject, info.symlinkTarget == nil else { return .none }
            return .segments(try await client.largeObjectSegments(path.name, in: path.container))
        } catch let error as CloudFilesError where error == .notFound {
            return .none
        } catch let error as CloudFilesError
            where error == .forbidden || error == .unauthorized || error == .invalidResponse
        {
            return .unreadable(RemotePath(container: path.container, name: path.name).description + " (\(error))")
        }
    }
}
