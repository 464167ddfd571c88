// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "mirrorwatch",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "mirrorwatch", targets: ["mirrorwatch"]),
        .library(name: "Mirrorwatch", targets: ["Mirrorwatch"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    ],
    targets: [
        // zlib from the system (Debian: zlib1g-dev), for streamed gzip input.
        .systemLibrary(name: "CZlib", providers: [.apt(["zlib1g-dev"])]),
        // The normalized model every other module speaks: changes, endpoints, findings.
        .target(name: "MirrorwatchModel"),
        // The structural classification of 64-byte blocks in C: AVX-512BW or AVX2 chosen at run time, SSE2 otherwise.
        .target(name: "CStructural"),
        // Guarded file mappings in C: a file that shrinks while mapped reads as zeros instead of killing the process.
        .target(name: "CMappedFile"),
        // Byte-level JSON: record splitting at memory speed, and a full parser for the few records that matter.
        .target(name: "MirrorwatchJSON", dependencies: ["CStructural"]),
        // One reader per native format, turning inputs into normalized records.
        .target(name: "MirrorwatchReaders", dependencies: ["MirrorwatchModel", "MirrorwatchJSON", "CZlib", "CMappedFile"]),
        // The policy file: model, strict YAML loading, identity and address matching.
        .target(name: "MirrorwatchPolicy", dependencies: ["MirrorwatchModel", .product(name: "Yams", package: "Yams")]),
        // The mirroring graph rebuilt from snapshots and replayed changes.
        .target(name: "MirrorwatchState", dependencies: ["MirrorwatchModel"]),
        // Context: who is behind an actor, which tool made a change, which flows show mirror traffic.
        .target(name: "MirrorwatchContext", dependencies: ["MirrorwatchModel", "MirrorwatchPolicy", "MirrorwatchJSON"]),
        // Least privilege: who can configure mirroring, evaluated the way each cloud's IAM decides.
        .target(name: "MirrorwatchAccess", dependencies: ["MirrorwatchModel"]),
        // Rules: pure functions from changes and state to findings.
        .target(name: "MirrorwatchRules", dependencies: ["MirrorwatchModel", "MirrorwatchPolicy", "MirrorwatchState", "MirrorwatchContext", "MirrorwatchAccess"]),
        // Where findings go: table, JSON lines, OCSF.
        .target(name: "MirrorwatchSinks", dependencies: ["MirrorwatchModel", "MirrorwatchJSON"]),
        // The engine: inputs -> readers -> state -> rules -> findings, usable without the CLI.
        .target(name: "Mirrorwatch", dependencies: [
            "MirrorwatchModel", "MirrorwatchJSON", "MirrorwatchReaders", "MirrorwatchPolicy",
            "MirrorwatchState", "MirrorwatchContext", "MirrorwatchAccess", "MirrorwatchRules", "MirrorwatchSinks",
        ]),
        // Rules for other tools: the single-event parts of the rules as Sigma, with the policy's allow-lists.
        .target(name: "MirrorwatchSigma", dependencies: ["MirrorwatchModel", "MirrorwatchPolicy", "MirrorwatchReaders", "MirrorwatchRules",
                                                         .product(name: "Crypto", package: "swift-crypto")]),
        // Reports for people: the coverage matrix, the access review, the audit evidence report (HTML, JSON).
        .target(name: "MirrorwatchReport", dependencies: ["Mirrorwatch", .product(name: "Crypto", package: "swift-crypto")]),
        // The service's state: accepted batches, findings with their lifecycle, audit log, tokens (SQLite via GRDB).
        .target(name: "MirrorwatchStore", dependencies: [.product(name: "GRDB", package: "GRDB.swift")]),
        // The same state in PostgreSQL, for several replicas sharing one database (postgres-nio).
        .target(name: "MirrorwatchPostgres", dependencies: [
            "MirrorwatchStore", .product(name: "PostgresNIO", package: "postgres-nio"), .product(name: "NIOSSL", package: "swift-nio-ssl"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        // `mirrorwatch serve`: ingest over HTTP, the same engine, findings through an API (Hummingbird).
        .target(name: "MirrorwatchService", dependencies: [
            "Mirrorwatch", "MirrorwatchStore", "MirrorwatchPostgres", "MirrorwatchSinks", "MirrorwatchReport",
            .product(name: "Hummingbird", package: "hummingbird"), .product(name: "HummingbirdTLS", package: "hummingbird"),
            .product(name: "NIOSSL", package: "swift-nio-ssl"),
            .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "Crypto", package: "swift-crypto"), .product(name: "Yams", package: "Yams"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .executableTarget(name: "mirrorwatch", dependencies: [
            "Mirrorwatch", "MirrorwatchReport", "MirrorwatchSigma", "MirrorwatchExercise", "MirrorwatchService",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        // Readiness exercises: attack and benign scenarios in native formats, run through the engine.
        .target(name: "MirrorwatchExercise", dependencies: ["Mirrorwatch"]),
        // Fixture builders shared by the tests (not part of any product).
        .target(name: "MirrorwatchTestSupport", dependencies: ["MirrorwatchExercise"]),
        .testTarget(name: "MirrorwatchJSONTests", dependencies: ["MirrorwatchJSON", "CStructural", "MirrorwatchTestSupport"]),
        .testTarget(name: "MirrorwatchReadersTests", dependencies: ["MirrorwatchReaders", "MirrorwatchModel", "MirrorwatchTestSupport", "Mirrorwatch"]),
        .testTarget(name: "MirrorwatchPolicyTests", dependencies: ["MirrorwatchPolicy"]),
        .testTarget(name: "MirrorwatchAccessTests", dependencies: ["Mirrorwatch", "MirrorwatchAccess", "MirrorwatchTestSupport"]),
        .testTarget(name: "MirrorwatchContextTests", dependencies: ["Mirrorwatch", "MirrorwatchContext", "MirrorwatchTestSupport"]),
        .testTarget(name: "MirrorwatchRulesTests", dependencies: ["Mirrorwatch", "MirrorwatchTestSupport"]),
        .testTarget(name: "MirrorwatchSinksTests", dependencies: ["Mirrorwatch", "MirrorwatchJSON", "MirrorwatchTestSupport"]),
        .testTarget(name: "MirrorwatchReportTests", dependencies: ["Mirrorwatch", "MirrorwatchReport", "MirrorwatchJSON", "MirrorwatchTestSupport"]),
        .testTarget(name: "MirrorwatchSigmaTests", dependencies: ["MirrorwatchSigma", "Mirrorwatch", "MirrorwatchTestSupport"]),
        .testTarget(name: "MirrorwatchStoreTests", dependencies: ["MirrorwatchStore", "MirrorwatchPostgres", "MirrorwatchTestSupport",
                                                                 .product(name: "Logging", package: "swift-log"), .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(name: "MirrorwatchServiceTests", dependencies: ["Mirrorwatch", "MirrorwatchService", "MirrorwatchTestSupport", "mirrorwatch", .product(name: "Crypto", package: "swift-crypto")],
                    exclude: ["Support"]),
        .testTarget(name: "MirrorwatchCLITests", dependencies: ["Mirrorwatch", "MirrorwatchJSON", "MirrorwatchTestSupport", "mirrorwatch"]),
    ]
)
