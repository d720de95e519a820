import Foundation
import IPNet
import TestSupport
import Testing

@testable import Allowlist
@testable import Drift

/// Shared by the format tests: fixtures, the real firewall tools in child namespaces, readable diffs.
enum FormatFixtures {
    static let manifest = TestPaths.fixture("formats/world.yaml").path
    static let snapshot = TestPaths.fixture("formats/world-snapshot.json")
    static let hostileManifest = TestPaths.fixture("formats/hostile.yaml").path
    static let hostileSnapshot = TestPaths.fixture("formats/hostile-snapshot.json")
    static let golden = TestPaths.fixture("formats/golden")
    static let every = "csv,nft,ipset,iptables,ip6tables,pf,cisco-asa,mikrotik,aws-prefix-list"

    static func load(_ url: URL) throws -> Snapshot {
        try SnapshotCoding.decodeSnapshot(try Data(contentsOf: url), file: url.path)
    }

    /// `egressmap run` of `manifest` against the test world with `extra` options; the published folder.
    static func run(_ manifest: String, out: URL, _ extra: [String]) throws -> (ProcessOutput, URL) {
        let result = try runEgressmap(
            [
                "run", "--manifest", manifest, "--server", try TestWorld.resolver(), "--out", out.path,
                "--var", "tenant=acme", "--no-probe",
            ] + extra
        )
        return (result, out.appendingPathComponent("allowlist"))
    }
}

/// Runs `script` with `sh -e` in a network namespace of its own (loopback up), so firewall tools change
/// nothing outside it and each test starts from an empty ruleset. Files are passed as `$1`, `$2`, ….
func inNamespace(_ script: String, _ files: [URL] = []) throws -> ProcessOutput {
    try runProcess(
        URL(fileURLWithPath: "/usr/bin/unshare"),
        ["-n", "sh", "-ec", "ip link set lo up\n" + script, "namespace"] + files.map(\.path)
    )
}

/// A unified diff of two texts (`diff -u`), for a readable mismatch.
func unifiedDiff(_ expected: String, _ actual: String, label: String) throws -> String {
    let folder = try makeTemporaryFolder("egressmap-diff")
    defer { try? FileManager.default.removeItem(at: folder) }
    let a = folder.appendingPathComponent("expected")
    let b = folder.appendingPathComponent("actual")
    try Data(expected.utf8).write(to: a)
    try Data(actual.utf8).write(to: b)
    let diff = try runProcess(
        URL(fileURLWithPath: "/usr/bin/diff"),
        [
            "-u", "--label", "golden/\(label)",
            "--label", "rendered/\(label)", a.path, b.path,
        ])
    return diff.stdout
}

/// The sets of `nft -j list …` output: name → the addresses the set holds (merged, as auto-merge does).
func nftSets(_ json: String) throws -> [String: IPAddressSet] {
    let root = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
    let items = try #require(root["nftables"] as? [[String: Any]])
    var sets: [String: IPAddressSet] = [:]
    for item in items {
        guard let set = item["set"] as? [String: Any], let name = set["name"] as? String else { continue }
        var ranges: [IPRange] = []
        for element in set["elem"] as? [Any] ?? [] {
            ranges.append(try nftRange(element))
        }
        sets[name] = IPAddressSet(ranges)
    }
    return sets
}

/// One element of nft's JSON: an address, `{"prefix": …}`, `{"range": […]}`, or `{"elem": {"val": …}}`.
private func nftRange(_ element: Any) throws -> IPRange {
    if let text = element as? String { return IPRange(IPPrefix(host: try IPAddress(parsing: text))) }
    let object = try #require(element as? [String: Any])
    if let inner = object["elem"] as? [String: Any], let value = inner["val"] { return try nftRange(value) }
    if let prefix = object["prefix"] as? [String: Any], let address = prefix["addr"] as? String,
        let length = prefix["len"] as? Int
    {
        return IPRange(try IPPrefix(parsing: "\(address)/\(length)"))
    }
    let bounds = try #require(object["range"] as? [String])
    return try #require(IPRange(first: try IPAddress(parsing: bounds[0]), last: try IPAddress(parsing: bounds[1])))
}

/// The sets of `ipset save` output: name → members.
func ipsetSets(_ save: String) throws -> [String: IPAddressSet] {
    var sets: [String: [IPPrefix]] = [:]
    for line in save.split(separator: "\n") {
        let words = line.split(separator: " ").map(String.init)
        if words.first == "create" { sets[words[1], default: []] = [] }
        if words.first == "add" {
            sets[words[1], default: []].append(try IPPrefix(parsing: words[2], allowingBareAddress: true))
        }
    }
    return sets.mapValues { IPAddressSet($0) }
}

/// What a snapshot says each set must hold: `<prefix>_v4_tcp443` → prefixes.
func expectedSets(_ snapshot: Snapshot, prefix: String, families: [IPFamily] = [.v4, .v6]) throws
    -> [String: IPAddressSet]
{
    var sets: [String: IPAddressSet] = [:]
    for file in snapshot.allowlists {
        let compact = file.service.replacingOccurrences(of: "/", with: "")
        let prefixes = try file.prefixes.map { try IPPrefix(parsing: $0.prefix) }
        for family in families {
            sets["\(prefix)_\(family == .v4 ? "v4" : "v6")_\(compact)"] = IPAddressSet(
                prefixes.filter { $0.family == family }
            )
        }
    }
    return sets
}

/// A copy of `snapshot` whose first list holds a different prefix, for reload tests: loading it first and
/// the real one after must leave exactly the real one's sets.
func olderSnapshot(_ snapshot: Snapshot) -> Snapshot {
    var older = snapshot
    older.allowlists[0].prefixes = [
        AllowlistEntry(prefix: "198.51.100.0/24", endpoints: ["old"], names: ["old.example"])
    ]
    return older
}
