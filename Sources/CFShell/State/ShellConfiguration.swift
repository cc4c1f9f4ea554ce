import CloudFiles
import Foundation
import Logging

/// What a shell needs from the process that starts it.
public struct ShellConfiguration: Sendable {
    /// `$0`.
    public var scriptName: String
    /// `$1`, `$2`, …
    public var arguments: [String]
    public var environment: [String: String]
    /// Log each request at debug level (`--debug`, or `CFSH_LOG_LEVEL=debug`).
    public var debug: Bool
    /// The local working folder to start in.
    public var currentDirectory: String
    /// The program's name for its folders, such as the token cache's `~/.cache/APPNAME`.
    public var appName: String

    public init(
        scriptName: String, arguments: [String], environment: [String: String], debug: Bool,
        currentDirectory: String = FileManager.default.currentDirectoryPath, appName: String = "cfsh"
    ) {
        self.scriptName = scriptName
        self.arguments = arguments
        self.environment = environment
        self.debug = debug
        self.currentDirectory = currentDirectory
        self.appName = appName
    }

    /// A configuration from this process's environment and working folder.
    public static func fromProcess(
        scriptName: String, arguments: [String], debug: Bool, appName: String = "cfsh"
    ) -> ShellConfiguration {
        ShellConfiguration(
            scriptName: scriptName, arguments: arguments, environment: ProcessInfo.processInfo.environment,
            debug: debug, appName: appName)
    }
}
