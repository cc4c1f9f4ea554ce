// swift-tools-version:6.0
import PackageDescription

// Warnings are errors in our own CI only (CFSH_WARNINGS_AS_ERRORS=1), so that
// packages depending on CloudFiles are never broken by a newer compiler.
let strict: [SwiftSetting] =
    Context.environment["CFSH_WARNINGS_AS_ERRORS"] == "1" ? [.unsafeFlags(["-warnings-as-errors"])] : []

let package = Package(
    name: "cfsh",
    platforms: [.macOS(.v13)],
    products: [
        .library(name: "CloudFiles", targets: ["CloudFiles"]),
        .library(name: "CFShell", targets: ["CFShell"]),
        .executable(name: "cfsh", targets: ["cfsh"]),
    ],
    dependencies: [
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        // AsyncHTTPClient's TLS; CloudFiles names its error types to recognise a failed handshake.
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
    ],
    targets: [
        .target(
            name: "CloudFiles",
            dependencies: [
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Crypto", package: "swift-crypto"),
                // PBKDF2, for the token cache's keys.
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: strict
        ),
        // The language front end: lexer, parser, checker, globs. No networking, so its tests
        // build in seconds: `swift build --target CFShellLanguage` compiles no NIO.
        .target(
            name: "CFShellLanguage",
            swiftSettings: strict
        ),
        .target(
            name: "CFShell",
            dependencies: [
                "CFShellLanguage",
                "CloudFiles",
                // `cat` writes the ByteBuffers of an object body to stdout.
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .systemLibrary(
            name: "CEditLine",
            pkgConfig: "libedit",
            providers: [.apt(["libedit-dev"])]
        ),
        .target(
            name: "LineEditing",
            dependencies: ["CEditLine"],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "cfsh",
            dependencies: [
                "CFShell",
                "CloudFiles",
                "LineEditing",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        // What the test targets share: the local servers' addresses and accounts, temporary
        // folders, the hostile fake server. Foundation only; no product depends on it.
        .target(
            name: "CFSHTestSupport",
            path: "Tests/CFSHTestSupport",
            swiftSettings: strict
        ),
        .testTarget(
            name: "CloudFilesTests",
            dependencies: ["CloudFiles", "CFSHTestSupport", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: strict
        ),
        .testTarget(
            name: "CFShellLanguageTests",
            dependencies: ["CFShellLanguage"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "CFShellTests",
            dependencies: ["CFShell", "CFShellLanguage", "CFSHTestSupport"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "LineEditingTests",
            dependencies: ["LineEditing"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "cfshTests",
            dependencies: ["CloudFiles", "CFSHTestSupport"],
            swiftSettings: strict
        ),
    ],
    swiftLanguageModes: [.v6]
)
