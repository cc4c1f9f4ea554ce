import CFShellLanguage
import CloudFiles
import Foundation

/// `info`: what the cluster says about itself in `GET /info`: its limits and middleware.
enum Info: Builtin {
    static let spec = CommandSpec(
        "info", "[--json]",
        summary: "Show what the cluster supports (GET /info): limits, middleware, TempURL, versioning.",
        details: """
            info asks the cluster of the current connection (it connects from the environment \
            if needed: /info needs no token, but its address comes from the storage URL) and \
            prints a summary: the Swift version, the size and name limits, the listing limit, \
            the metadata limits, the middleware present, bulk delete and upload, static large \
            objects, TempURL methods and digests, versioning and symlinks. --json prints the \
            whole /info document as the cluster sent it, keys sorted.
            """,
        options: [CommonOptions.json],
        operands: 0...0,
        examples: ["info", "info --json"])

    static func run(_ arguments: ParsedArguments<Argument>, in shell: isolated Shell) async throws {
        let client = try await shell.connectedClient()
        let capabilities = try await client.capabilities(refresh: true)
        if arguments.has("--json") {
            let object = try JSONSerialization.jsonObject(with: capabilities.json)
            let data = try JSONSerialization.data(
                withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
            shell.stdout.line(String(decoding: data, as: UTF8.self))
            return
        }
        for line in Format.table(rows(capabilities)) { shell.stdout.line(Names.printable(line)) }
    }

    /// The summary, one `[label, text]` row per line.
    static func rows(_ c: Capabilities) -> [[String]] {
        func bytes(_ value: Int64) -> String {
            value >= 1024 ? "\(value) bytes (\(Format.size(value, human: true)))" : "\(value) bytes"
        }
        var rows: [[String]] = []
        rows.append(["Swift version:", c.version ?? "not published"])
        rows.append(["Largest object:", bytes(c.maxFileSize) + " in one upload (larger ones are segmented)"])
        var names = "object \(c.maxObjectNameLength), container \(c.maxContainerNameLength)"
        if let account = c.maxAccountNameLength { names += ", account \(account)" }
        rows.append(["Longest names:", names + " bytes"])
        rows.append([
            "Listing limit:", "\(c.containerListingLimit) objects, \(c.accountListingLimit) containers a page",
        ])
        var meta: [String] = []
        if let count = c.maxMetaCount { meta.append("\(count) items") }
        if let size = c.maxMetaOverallSize { meta.append("\(size) bytes in all") }
        if let name = c.maxMetaNameLength { meta.append("names \(name) bytes") }
        if let value = c.maxMetaValueLength { meta.append("values \(value) bytes") }
        rows.append(["Metadata:", meta.isEmpty ? "no limits published" : "at most " + meta.joined(separator: ", ")])
        let middleware = c.sections.filter { $0 != "swift" }
        rows.append(["Middleware:", middleware.isEmpty ? "none listed" : middleware.joined(separator: " ")])
        var bulkDelete = "no"
        if let bulk = c.bulkDelete {
            bulkDelete = "\(bulk.maxDeletesPerRequest) objects a request"
            if let failures = bulk.maxFailedDeletes { bulkDelete += ", stops after \(failures) failures" }
        }
        rows.append(["Bulk delete:", bulkDelete])
        var bulkUpload = "no"
        if let upload = c.bulkUpload {
            var parts: [String] = []
            if let most = upload.maxContainersPerExtraction { parts.append("\(most) containers an archive") }
            if let failures = upload.maxFailedExtractions { parts.append("stops after \(failures) failures") }
            bulkUpload = parts.isEmpty ? "yes" : parts.joined(separator: ", ")
        }
        rows.append(["Bulk upload:", bulkUpload])
        var slo = "no"
        if let limits = c.slo {
            slo = "\(limits.maxManifestSegments) segments a manifest"
            if let size = limits.maxManifestSize { slo += ", manifest up to " + bytes(Int64(size)) }
            if let least = limits.minSegmentSize { slo += ", segments of at least \(least) bytes" }
        }
        rows.append(["Static large objects:", slo])
        var tempURL = "no"
        if let limits = c.tempURL {
            let methods = limits.methods.isEmpty ? "not listed" : limits.methods.joined(separator: " ")
            var digests: [String] = []
            for digest in limits.allowedDigests {
                digests.append(limits.deprecatedDigests.contains(digest) ? digest + " (deprecated)" : digest)
            }
            if digests.isEmpty { digests = ["sha1 (none listed: the oldest default)"] }
            tempURL = "methods " + methods + "; digests " + digests.joined(separator: " ")
        }
        rows.append(["TempURL:", tempURL])
        var versioning: [String] = []
        if c.objectVersioning { versioning.append("object versioning (X-Versions-Enabled)") }
        if c.legacyVersionedWrites { versioning.append("legacy versioned writes (X-History-Location)") }
        rows.append(["Versioning:", versioning.isEmpty ? "no" : versioning.joined(separator: "; ")])
        var symlinks = "no"
        if let symlink = c.symlink {
            symlinks = symlink.staticLinks ? "yes, static links too" : "yes"
            if let depth = symlink.symloopMax { symlinks += ", followed \(depth) deep" }
        }
        rows.append(["Symlinks:", symlinks])
        return rows
    }
}
