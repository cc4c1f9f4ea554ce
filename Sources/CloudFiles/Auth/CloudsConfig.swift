import Foundation
import Yams

/// The OpenStack `clouds.yaml` file, with secrets from `secure.yaml` merged in, as the
/// OpenStack tools read it.
///
/// Search path (the first file found wins): `$OS_CLIENT_CONFIG_FILE`, `./clouds.yaml`,
/// `$XDG_CONFIG_HOME/openstack/clouds.yaml` (`~/.config/openstack` by default) and
/// `/etc/openstack/clouds.yaml`. `secure.yaml` is searched the same way
/// (`$OS_CLIENT_SECURE_FILE` first), and its entries override the same cloud's fields.
public struct CloudsConfig: Sendable, Equatable {
    /// The `clouds.yaml` read, if one was found.
    public var cloudsFile: String?
    /// The `secure.yaml` read, if one was found.
    public var secureFile: String?
    /// Each cloud's settings, secrets merged in, by cloud name.
    public var clouds: [String: ConnectionOptions]

    /// Creates a configuration from parsed clouds.
    public init(clouds: [String: ConnectionOptions], cloudsFile: String? = nil, secureFile: String? = nil) {
        self.clouds = clouds
        self.cloudsFile = cloudsFile
        self.secureFile = secureFile
    }

    /// Where `clouds.yaml` and `secure.yaml` are looked for, in order.
    ///
    /// - Parameters:
    ///   - environment: for `OS_CLIENT_CONFIG_FILE`, `OS_CLIENT_SECURE_FILE`, `XDG_CONFIG_HOME`, `HOME`.
    ///   - currentDirectory: the folder `./clouds.yaml` is relative to.
    /// - Returns: the candidate paths for each file.
    public static func searchPaths(
        environment: [String: String],
        currentDirectory: String
    ) -> (clouds: [String], secure: [String]) {
        var folders = [currentDirectory]
        if let xdg = environment["XDG_CONFIG_HOME"], !xdg.isEmpty {
            folders.append(xdg + "/openstack")
        } else if let home = environment["HOME"], !home.isEmpty {
            folders.append(home + "/.config/openstack")
        }
        folders.append("/etc/openstack")
        var clouds = folders.map { $0 + "/clouds.yaml" }
        var secure = folders.map { $0 + "/secure.yaml" }
        if let file = environment["OS_CLIENT_CONFIG_FILE"], !file.isEmpty { clouds.insert(file, at: 0) }
        if let file = environment["OS_CLIENT_SECURE_FILE"], !file.isEmpty { secure.insert(file, at: 0) }
        return (clouds, secure)
    }

    /// Finds and reads `clouds.yaml` and `secure.yaml`.
    ///
    /// - Parameters:
    ///   - environment: see ``searchPaths(environment:currentDirectory:)``.
    ///   - currentDirectory: the folder `./clouds.yaml` is relative to.
    /// - Returns: the clouds found; empty when neither file exists.
    /// - Throws: `.invalidArgument` when a file exists but is not a valid clouds file.
    public static func load(environment: [String: String], currentDirectory: String) throws -> CloudsConfig {
        let paths = searchPaths(environment: environment, currentDirectory: currentDirectory)
        let fm = FileManager.default
        let cloudsFile = paths.clouds.first { fm.isReadableFile(atPath: $0) }
        let secureFile = paths.secure.first { fm.isReadableFile(atPath: $0) }
        let clouds = try cloudsFile.map { try read($0) } ?? [:]
        let secure = try secureFile.map { try read($0) } ?? [:]
        var merged = clouds
        for (name, secrets) in secure {
            merged[name] = secrets.overriding(clouds[name] ?? ConnectionOptions())
        }
        return CloudsConfig(clouds: merged, cloudsFile: cloudsFile, secureFile: secureFile)
    }

    /// Parses the text of a `clouds.yaml` or `secure.yaml`.
    ///
    /// - Parameters:
    ///   - yaml: the file's text.
    ///   - source: the file's path, for error messages.
    /// - Returns: each cloud's settings.
    /// - Throws: `.invalidArgument` naming the file and line, never the offending text (it
    ///   may hold a password).
    public static func parse(_ yaml: String, source: String) throws -> [String: ConnectionOptions] {
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch let error as YamlError {
            throw CloudFilesError.invalidArgument.with(message: "\(source) is not valid YAML\(Self.where(error))")
        }
        guard let root else { return [:] }
        guard let cloudsNode = root["clouds"] else {
            if root.mapping != nil { return [:] }
            throw CloudFilesError.invalidArgument.with(message: "\(source) has no 'clouds:' mapping")
        }
        guard let mapping = cloudsNode.mapping else {
            throw CloudFilesError.invalidArgument.with(message: "\(source): 'clouds:' is not a mapping of cloud names")
        }
        var result: [String: ConnectionOptions] = [:]
        for (key, value) in mapping {
            guard let name = key.string else { continue }
            result[name] = options(from: value)
        }
        return result
    }

    /// The settings of one cloud.
    ///
    /// - Parameter name: the cloud's name (`connect NAME`, `OS_CLOUD`).
    /// - Returns: its settings, `cloud` set to `name`.
    /// - Throws: `.invalidArgument` saying which files were searched, or which clouds exist.
    public func options(forCloud name: String, searched: [String] = []) throws -> ConnectionOptions {
        if var options = clouds[name] {
            options.cloud = name
            return options
        }
        guard let cloudsFile else {
            let places = searched.isEmpty ? "" : " (looked in \(searched.joined(separator: ", ")))"
            throw CloudFilesError.invalidArgument.with(message: "no clouds.yaml found for cloud '\(name)'\(places)")
        }
        let names = clouds.keys.sorted()
        throw CloudFilesError.invalidArgument.with(
            message: "no cloud named '\(name)' in \(cloudsFile); clouds there: "
                + (names.isEmpty ? "none" : names.joined(separator: ", ")))
    }

    private static func read(_ path: String) throws -> [String: ConnectionOptions] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CloudFilesError.localFile.with(message: "cannot read \(path)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw CloudFilesError.invalidArgument.with(message: "\(path) is not UTF-8 text")
        }
        return try parse(text, source: path)
    }

    private static func `where`(_ error: YamlError) -> String {
        switch error {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _):
            return " (line \(mark.line), column \(mark.column))"
        default:
            return ""
        }
    }

    /// Maps one cloud entry's keys (as openstacksdk names them) to options.
    private static func options(from cloud: Node) -> ConnectionOptions {
        func text(_ node: Node?) -> String? {
            guard let value = node?.scalar?.string, !value.isEmpty else { return nil }
            return value
        }
        let auth = cloud["auth"]
        func authValue(_ keys: [String]) -> String? {
            keys.lazy.compactMap { text(auth?[$0]) }.first
        }
        var options = ConnectionOptions()
        for option in ConnectionOptions.sharedTextOptions {
            options[keyPath: option.field] = authValue(option.cloudsAuth)
        }
        if let domain = authValue(["default_domain", "domain_id"]) {
            options.userDomainID = options.userDomainID ?? domain
            options.projectDomainID = options.projectDomainID ?? domain
        }
        options.authType = text(cloud["auth_type"])
        options.region = text(cloud["region_name"])
        if options.region == nil, let regions = cloud["regions"]?.sequence, regions.count == 1 {
            // A single region is the cloud's region; with several, the catalog error lists them.
            options.region = text(regions.first) ?? text(regions.first?["name"])
        }
        options.interface = (text(cloud["interface"]) ?? text(cloud["endpoint_type"]))
            .flatMap(EndpointInterface.init(parsing:))
        options.authVersion = text(cloud["identity_api_version"]).flatMap(AuthVersion.init(parsing:))
        options.storageURL = text(cloud["object_store_endpoint_override"])
        return options
    }
}
