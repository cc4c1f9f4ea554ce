import Foundation

/// A new folder under the system's temporary folder, removed with everything in it by
/// `remove()` or, at the latest, when the last reference to it goes away.
public final class TemporaryFolder: Sendable {
    public let path: String

    public init(prefix: String = "cfsh-test") throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { remove() }

    public func remove() { try? FileManager.default.removeItem(atPath: path) }

    /// The path of `relative` in the folder.
    public func file(_ relative: String) -> String { path + "/" + relative }

    /// Writes `contents` to `relative`, creating the folders on the way.
    public func write(_ relative: String, _ contents: String) throws {
        let url = URL(fileURLWithPath: file(relative))
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(contents.utf8).write(to: url)
    }

    public func read(_ relative: String) -> String? {
        FileManager.default.contents(atPath: file(relative)).map { String(decoding: $0, as: UTF8.self) }
    }

    public func exists(_ relative: String) -> Bool {
        FileManager.default.fileExists(atPath: file(relative))
    }

    /// The names in the folder itself, hidden ones included, sorted.
    public func contents() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: path).sorted()
    }

    /// Every file below the folder, as sorted relative paths.
    public func files() -> [String] { Self.files(below: path) }

    /// Every file below `folder` (any folder), as sorted relative paths.
    public static func files(below folder: String) -> [String] {
        let enumerator = FileManager.default.enumerator(atPath: folder)
        var files: [String] = []
        while let relative = enumerator?.nextObject() as? String {
            var isDirectory: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: folder + "/" + relative, isDirectory: &isDirectory)
            if !isDirectory.boolValue { files.append(relative) }
        }
        return files.sorted()
    }
}

/// A file a careless writer would clobber through a planted symlink: file-safety tests plant
/// links to it where a writer might write, and check that it still holds what it held.
public struct Victim: Sendable {
    public static let contents = Data("precious\n".utf8)
    public let path: String

    /// Creates `victim` in `folder`.
    public init(in folder: TemporaryFolder) throws {
        path = folder.file("victim")
        try Self.contents.write(to: URL(fileURLWithPath: path))
    }

    /// Plants a symlink to the victim at each of `names` in `folder`.
    public func plant(_ names: [String], in folder: TemporaryFolder) throws {
        for name in names {
            try FileManager.default.createSymbolicLink(atPath: folder.file(name), withDestinationPath: path)
        }
    }

    /// Whether it still holds exactly what it was created with.
    public var isIntact: Bool { FileManager.default.contents(atPath: path) == Self.contents }
}
