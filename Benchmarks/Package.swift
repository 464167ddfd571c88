// swift-tools-version:6.1
// Micro-benchmarks of the hot path (run on demand: `swift package benchmark` in this folder).
// The side-by-side comparison with jq and Python is `compare.sh`.
import PackageDescription

let package = Package(
    name: "mirrorwatch-benchmarks",
    platforms: [.macOS(.v13)],
    dependencies: [
        .package(name: "mirrorwatch", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "Readers",
            dependencies: [
                .product(name: "Mirrorwatch", package: "mirrorwatch"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/Readers",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ]
)
