// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "egressmap",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "egressmap", targets: ["egressmap"]),
        .library(name: "EgressMap", targets: ["EgressMap"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
    ],
    targets: [
        // The only C in the package: Debian's c-ares 1.18.1 (libc-ares-dev) and the batched socket I/O a
        // channel gives it, imported by `DNS` alone.
        .target(name: "CAres", linkerSettings: [.linkedLibrary("cares")]),
        .target(name: "IPNet"),
        .target(name: "Hostnames"),
        .target(
            name: "DNS",
            dependencies: [
                "CAres", "IPNet", "Hostnames",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(name: "Manifest", dependencies: ["IPNet", "Hostnames", "Yams"]),
        // TCP connect probes on an epoll loop of their own; syscalls through Glibc, no C target.
        .target(name: "Probe", dependencies: ["IPNet"]),
        // The snapshot of a run (the contract between observing and emitting) and, later, its history.
        .target(
            name: "Drift",
            dependencies: [
                "IPNet", .product(name: "GRDB", package: "GRDB.swift"),
                // SQLite's C calls, for binding the history's rows without GRDB's boxing (HistoryStore.swift).
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ]
        ),
        // Aggregation per service and the output formats; reads snapshots only.
        .target(name: "Allowlist", dependencies: ["IPNet", "Drift"]),
        .target(
            name: "EgressMap",
            dependencies: [
                "DNS", "IPNet", "Hostnames", "Manifest", "Drift", "Allowlist", "Probe", "Yams",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "egressmap",
            dependencies: [
                "EgressMap", "DNS", "IPNet", "Hostnames", "Manifest", "Drift", "Allowlist", "Probe",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Shared by the test targets: the built binary, the test world's addresses, fixtures.
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "IPNetTests", dependencies: ["IPNet", "TestSupport"]),
        .testTarget(name: "HostnamesTests", dependencies: ["Hostnames", "TestSupport"]),
        .testTarget(name: "DNSTests", dependencies: ["DNS", "IPNet", "Hostnames", "TestSupport"]),
        .testTarget(name: "ManifestTests", dependencies: ["Manifest", "IPNet", "TestSupport"]),
        .testTarget(name: "ProbeTests", dependencies: ["Probe", "IPNet", "TestSupport"]),
        .testTarget(
            name: "EgressMapTests",
            dependencies: ["EgressMap", "DNS", "IPNet", "Manifest", "Drift", "Allowlist", "Hostnames", "TestSupport"]
        ),
    ]
)

// Swift 6 language mode everywhere, with the upcoming features that make the code stricter.
for target in package.targets where target.name != "CAres" {
    var settings = target.swiftSettings ?? []
    settings.append(.enableUpcomingFeature("ExistentialAny"))
    settings.append(.enableUpcomingFeature("MemberImportVisibility"))
    target.swiftSettings = settings
}
