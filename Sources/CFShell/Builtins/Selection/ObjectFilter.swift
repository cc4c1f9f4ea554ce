import CFShellLanguage
import CloudFiles
import Foundation

/// Which objects `find`, `ls` and `rm` select: by base name (`--name`), size (`--larger`,
/// `--smaller`) and age (`--older-than`, `--newer-than`).
///
/// Age is judged by the object's time, the one `ls -l` shows: its `X-Object-Meta-Mtime`
/// (the source file's time, which cfsh, python-swiftclient and rclone store) when it has a
/// sane one, else its upload time. A listing carries only the upload time, so the mtime
/// costs one `HEAD` per object that the name and size filters let through, `set parallel`
/// at a time; `--upload-time` judges by the upload time from the listing instead, with no
/// `HEAD`. An object whose time is unknown matches no age filter, so `rm` keeps it.
struct ObjectFilter: Sendable {
    /// Matches the object's base name (after its last `/`).
    var name: GlobPattern?
    /// Keeps objects whose time is more than this many seconds before `now`.
    var olderThan: Int64?
    /// Keeps objects whose time is less than this many seconds before `now`.
    var newerThan: Int64?
    /// Keeps objects of more than this many bytes.
    var larger: Int64?
    /// Keeps objects of fewer than this many bytes.
    var smaller: Int64?
    /// Judge age by the upload time from the listing: no `HEAD` per object.
    var uploadTime = false
    /// The moment ages are measured from: when the command started.
    var now = Date()

    static let olderThanOption = CommandSpec.Option(
        "--older-than", value: "AGE", help: "only objects whose time is more than AGE ago (30m, 12h, 7d, 2w)")
    static let newerThanOption = CommandSpec.Option(
        "--newer-than", value: "AGE", help: "only objects whose time is less than AGE ago")
    static let uploadTimeOption = CommandSpec.Option(
        "--upload-time", help: "use the upload time, not X-Object-Meta-Mtime (no HEAD per object)")
    /// The age filters that `ls` and `rm` take.
    static let ageOptions = [olderThanOption, newerThanOption, uploadTimeOption]
    /// Every filter, as `find` takes them.
    static let allOptions =
        [CommandSpec.Option("--name", value: "GLOB", help: "only objects whose base name matches GLOB ('*.sql')")]
        + ageOptions + [
            CommandSpec.Option("--larger", value: "SIZE", help: "only objects of more than SIZE (500k, 10M, 1G)"),
            CommandSpec.Option("--smaller", value: "SIZE", help: "only objects of less than SIZE"),
        ]

    /// Whether any filter is given (`--upload-time` alone filters nothing).
    var isActive: Bool { name != nil || olderThan != nil || newerThan != nil || larger != nil || smaller != nil }
    /// Whether the filter needs each object's time.
    var needsTime: Bool { olderThan != nil || newerThan != nil }
    /// Whether the time it needs costs a `HEAD` per object.
    var readsFileTimes: Bool { needsTime && !uploadTime }

    /// The filters given in `parsed`; `nil` when none is.
    static func read(_ parsed: ParsedArguments<Argument>, now: Date = Date()) throws(ShellError) -> ObjectFilter? {
        var filter = ObjectFilter(now: now)
        if let text = parsed.value("--name") { filter.name = GlobPattern(text) }
        filter.olderThan = try age(parsed, "--older-than")
        filter.newerThan = try age(parsed, "--newer-than")
        filter.larger = try size(parsed, "--larger")
        filter.smaller = try size(parsed, "--smaller")
        filter.uploadTime = parsed.has("--upload-time")
        return filter.isActive ? filter : nil
    }

    private static func age(_ parsed: ParsedArguments<Argument>, _ option: String) throws(ShellError) -> Int64? {
        guard let text = parsed.value(option) else { return nil }
        guard let seconds = Quantities.ageSeconds(text) else {
            throw ShellError.usage("\(option) takes an AGE, \(Quantities.ageForms); not \(Names.quoted(text))")
        }
        return seconds
    }

    private static func size(_ parsed: ParsedArguments<Argument>, _ option: String) throws(ShellError) -> Int64? {
        guard let text = parsed.value(option) else { return nil }
        guard let bytes = Quantities.bytes(text) else {
            throw ShellError.usage("\(option) takes a SIZE, \(Quantities.sizeForms); not \(Names.quoted(text))")
        }
        return bytes
    }

    /// Whether the record passes the filters that need no `HEAD`: name, size, and age when
    /// it is judged by the upload time.
    func matchesListing(_ record: ObjectRecord) -> Bool {
        if let name, !name.matches(Self.baseName(record.name)) { return false }
        if let larger, !(record.bytes > larger) { return false }
        if let smaller, !(record.bytes < smaller) { return false }
        if uploadTime && !matchesAge(record.lastModified) { return false }
        return true
    }

    /// Whether an object whose time is `time` passes the age filters.
    func matchesAge(_ time: Date?) -> Bool {
        guard needsTime else { return true }
        guard let time = WireNumber.plausible(time) else { return false }
        let age = now.timeIntervalSince(time)
        if let olderThan, !(age > Double(olderThan)) { return false }
        if let newerThan, !(age < Double(newerThan)) { return false }
        return true
    }

    /// The name after its last `/` (byte-wise); for a name ending in `/`, its last part without it.
    static func baseName(_ name: String) -> String {
        var bytes = Substring(name).utf8[...]
        if bytes.last == UInt8(ascii: "/") { bytes = bytes.dropLast() }
        guard let slash = bytes.lastIndex(of: UInt8(ascii: "/")) else { return String(decoding: bytes, as: UTF8.self) }
        return String(decoding: bytes[bytes.index(after: slash)...], as: UTF8.self)
    }

    /// How `--older-than 7d --newer-than 30d` reads in messages.
    var ageDescription: String {
        var parts: [String] = []
        if let olderThan { parts.append("older than \(Self.describe(seconds: olderThan))") }
        if let newerThan { parts.append("newer than \(Self.describe(seconds: newerThan))") }
        return parts.joined(separator: " and ")
    }

    static func describe(seconds: Int64) -> String {
        for (unit, size) in [("w", Int64(604_800)), ("d", 86_400), ("h", 3600), ("m", 60)]
        where seconds >= size && seconds % size == 0 {
            return "\(seconds / size)\(unit)"
        }
        return "\(seconds)s"
    }

    /// Keeps the records of `container` that pass the whole filter, in their order, reading
    /// file times (a `HEAD` each, `parallel` at a time) only for those the listing lets through.
    func select(
        _ records: [ObjectRecord], in container: String, client: CloudFilesClient, parallel: Int
    ) async throws -> [ObjectRecord] {
        try await selectTimed(records, in: container, client: client, parallel: parallel).map(\.record)
    }

    /// ``select(_:in:client:parallel:)``, with each object's stored mtime when it was read.
    func selectTimed(
        _ records: [ObjectRecord], in container: String, client: CloudFilesClient, parallel: Int
    ) async throws -> [(record: ObjectRecord, mtime: Date?)] {
        let candidates = records.filter(matchesListing)
        guard readsFileTimes else { return candidates.map { ($0, nil) } }
        let times = try await FileTimes.read(
            candidates.map { ObjectPath(container: container, name: $0.name) },
            fallback: candidates.map(\.lastModified),
            client: client, parallel: parallel)
        return zip(candidates, times).filter { matchesAge($0.1.time) }.map {
            ($0.0, $0.1.isModificationTime ? $0.1.time : nil)
        }
    }
}

/// An object's time as `ls -l` shows it and the age filters judge it.
struct FileTime: Sendable {
    /// The stored mtime when sane, else the upload time.
    var time: Date?
    /// Whether `time` is the stored `X-Object-Meta-Mtime`.
    var isModificationTime: Bool
}

/// Reading objects' `X-Object-Meta-Mtime`: one `HEAD ?symlink=get` each (a symlink shows its
/// own time, as a listing shows the link), a bounded number at once.
enum FileTimes {
    /// A stored mtime that cfsh shows: a time from 1970 to 9999. Anyone who may write an
    /// object's metadata chooses it, so a value that is no number (`nan`, text), negative,
    /// or out of range is ignored and the upload time shown instead; nothing here traps.
    static func accepted(_ info: ObjectInfo) -> Date? { accepted(info.modificationDate) }

    /// ``accepted(_:)-(ObjectInfo)`` for a date already read with `WireNumber`.
    static func accepted(_ modificationDate: Date?) -> Date? {
        guard let date = WireNumber.plausible(modificationDate), date.timeIntervalSince1970 >= 0 else {
            return nil
        }
        return date
    }

    /// The time of each of `paths`, in order: its sane mtime, else `fallback` (the upload
    /// time from the listing). An object gone since the listing keeps its fallback.
    static func read(
        _ paths: [ObjectPath], fallback: [Date?], client: CloudFilesClient, parallel: Int
    ) async throws -> [FileTime] {
        var results = zip(paths, fallback).map { FileTime(time: $0.1, isModificationTime: false) }
        guard !paths.isEmpty else { return results }
        try await withThrowingTaskGroup(of: (Int, Date?).self) { group in
            var next = 0
            func start() {
                let index = next
                let path = paths[index]
                next += 1
                group.addTask {
                    do {
                        let info = try await client.objectInfo(path.name, in: path.container, followingSymlinks: false)
                        return (index, accepted(info))
                    } catch let error as CloudFilesError where error == .notFound {
                        return (index, nil)
                    }
                }
            }
            while next < paths.count && next < max(1, parallel) { start() }
            while let (index, mtime) = try await group.next() {
                if let mtime { results[index] = FileTime(time: mtime, isModificationTime: true) }
                if next < paths.count { start() }
            }
        }
        return results
    }
}
