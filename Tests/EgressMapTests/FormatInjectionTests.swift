import Foundation
import IPNet
import TestSupport
import Testing

@testable import Allowlist
@testable import Drift

/// Text from manifests and DNS that tries to break out of firewall comments — quotes, newlines, `}`, `;`,
/// `#`, `$`, backticks, `-j ACCEPT`, a whole `table ip evil { … }` — must yield files that load exactly the
/// intended sets and rules, nothing else.
@Suite("format injection")
struct FormatInjectionTests {
    /// Closes the element list, the set and the table of a naive one-element-a-line template, adds a table
    /// that drops all output, and reopens a set so the template's own closing lines still parse.
    static let hostileText =
        "x\" }\n\t}\n}\ntable ip evil { chain c { type filter hook output priority 0; policy drop; }; }\n"
        + "table inet egressmap {\n\tset t {\n\t\ttype ipv4_addr\n\t\telements = { 192.0.2.2 comment \"y"

    @Test("the threat is real: a naive nft comment with a quote and a newline adds a table that nft -c accepts")
    func naiveCommentAddsATable() throws {
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let naive = folder.appendingPathComponent("naive.nft")
        let template =
            "table inet egressmap {\n\tset s {\n\t\ttype ipv4_addr\n\t\tflags interval\n\t\telements = {\n"
            + "\t\t\t192.0.2.1 comment \"\(Self.hostileText)\",\n\t\t}\n\t}\n}\n"
        try Data(template.utf8).write(to: naive)
        let result = try inNamespace("nft -c -f \"$1\"\nnft -f \"$1\"\nnft list tables", [naive])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("table ip evil"))
        let hostile = try FormatFixtures.load(FormatFixtures.hostileSnapshot)
        #expect(hostile.allowlists[0].prefixes[0].names[0].hasSuffix(Self.hostileText))
    }

    @Test(
        "a hostile snapshot (names, purposes, manifest name, run id): every Linux file loads exactly the intended sets")
    func hostileSnapshotLoadsExactly() throws {
        let out = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: out) }
        let emit = try runEgressmap([
            "emit", "--snapshot", FormatFixtures.hostileSnapshot.path, "--out", out.path, "--format",
            FormatFixtures.every, "--with-rules",
        ])
        #expect(emit.status == 0, "\(emit.stderr)")
        let snapshot = try FormatFixtures.load(FormatFixtures.hostileSnapshot)
        #expect(snapshot.manifest.name.contains("\n") && snapshot.allowlists[0].prefixes[0].names[0].contains("\n"))
        let file = { (name: String) in out.appendingPathComponent(name) }
        let result = try inNamespace(
            """
            nft -c -f "$1"
            nft -f "$1"
            nft -j list ruleset
            echo ---
            ipset restore < "$2"
            ipset restore < "$2"
            ipset save
            echo ---
            iptables-restore --noflush "$3"
            ip6tables-restore --noflush "$4"
            iptables -S
            ip6tables -S
            """,
            [file("allowlist.nft"), file("allowlist.ipset"), file("allowlist.iptables"), file("allowlist.ip6tables")]
        )
        #expect(result.status == 0, "\(result.stderr)")
        let parts = result.stdout.components(separatedBy: "---\n")
        try #require(parts.count == 3)
        let expected = try expectedSets(snapshot, prefix: "evil_j_accept")
        #expect(try nftSets(parts[0]) == expected)
        #expect(parts[0].components(separatedBy: "{\"table\":").count == 2, "one table only: \(parts[0])")
        #expect(!parts[0].contains("\"evil\""))
        #expect(parts[0].components(separatedBy: "{\"rule\":").count == 1 + 2 * expected.count)
        #expect(try ipsetSets(parts[1]) == expected)
        let rules = parts[2].split(separator: "\n").filter { $0.hasPrefix("-A ") }
        #expect(rules.count == expected.count)
        #expect(rules.allSatisfy { $0.hasPrefix("-A EGRESSMAP -p tcp -m set --match-set evil_j_accept_v") })
        #expect(
            rules.allSatisfy {
                $0.contains("-m comment --comment \"egressmap Evil -j ACCEPT tcp/") && $0.hasSuffix("\" -j ACCEPT")
            })
    }

    @Test("a hostile snapshot: every file keeps comment text to [A-Za-z0-9._:/ -], whatever the format")
    func hostileSnapshotEveryFormat() throws {
        let snapshot = try FormatFixtures.load(FormatFixtures.hostileSnapshot)
        let options = RenderOptions(formats: Set(OutputFormat.allCases))
        let files = try AllowlistDocuments.render(snapshot, formats: options)
        for (name, data) in files where !["allowlist.json", "allowlist.csv"].contains(name) && !name.hasSuffix(".txt") {
            let text = String(decoding: data, as: UTF8.self)
            #expect(!text.contains("evil {"), "\(name)")
            #expect(!text.contains("$") && !text.contains("`") && !text.contains("\\"), "\(name)")
            for line in text.split(separator: "\n") where !line.hasPrefix("#") && !line.hasPrefix("!") {
                // Outside whole-line comments, a quote only opens and closes one comment on the line.
                #expect(line.filter { $0 == "\"" }.count % 2 == 0, "\(name): \(line)")
            }
        }
        let csv = String(decoding: try #require(files["allowlist.csv"]), as: UTF8.self)
        #expect(csv.contains("\"'=HYPERLINK(\"\"http://x\"\")\""))
    }

    @Test("a hostile manifest's purposes through a run: the nft, ipset and iptables files load exactly the sets")
    func hostileManifestRun() throws {
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let (run, published) = try FormatFixtures.run(
            FormatFixtures.hostileManifest, out: folder, ["--format", "nft,ipset,iptables,mikrotik,pf,cisco-asa"]
        )
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        let snapshot = try FormatFixtures.load(folder.appendingPathComponent("latest.json"))
        let nft = try String(contentsOf: published.appendingPathComponent("allowlist.nft"), encoding: .utf8)
        #expect(
            nft.contains(
                "comment \"www.world.test - ok -j ACCEPT add element inet egressmap hostile_v4_tcp443 6.6.6.6 "
                    + "reboot id\""
            ))
        let result = try inNamespace(
            """
            nft -c -f "$1"
            nft -f "$1"
            nft -j list ruleset
            echo ---
            ipset restore < "$2"
            ipset save
            echo ---
            iptables-restore --noflush "$3"
            iptables -S
            """,
            ["allowlist.nft", "allowlist.ipset", "allowlist.iptables"].map { published.appendingPathComponent($0) }
        )
        #expect(result.status == 0, "\(result.stderr)")
        let parts = result.stdout.components(separatedBy: "---\n")
        try #require(parts.count == 3)
        let expected = try expectedSets(snapshot, prefix: "hostile")
        #expect(try nftSets(parts[0]) == expected)
        #expect(parts[0].components(separatedBy: "{\"table\":").count == 2, "one table only: \(parts[0])")
        #expect(try ipsetSets(parts[1]) == expected)
        #expect(parts[2].split(separator: "\n").filter { $0.hasPrefix("-A ") }.count == 2)
        let rsc = try String(contentsOf: published.appendingPathComponent("allowlist.rsc"), encoding: .utf8)
        #expect(
            rsc.split(separator: "\n").filter { $0.hasPrefix("add ") }.count
                == expected.values.map { $0.prefixes.count }.reduce(0, +))
    }

    @Test(
        "a snapshot whose prefix or service is not one: emit refuses, exit 2, nothing written",
        arguments: [
            ("prefix", "1.2.3.4/32 comment \"x\" }; table ip evil {", "is not a prefix"),
            ("prefix", "10.0.0.1/8", "is not a prefix"),
            ("service", "tcp/443; flush ruleset", "is not PROTOCOL/PORT"),
            ("service", "icmp/0", "is not PROTOCOL/PORT"),
        ])
    func badSnapshotValues(field: String, value: String, phrase: String) throws {
        var snapshot = try FormatFixtures.load(FormatFixtures.snapshot)
        if field == "prefix" {
            snapshot.allowlists[1].prefixes[0].prefix = value
        } else {
            snapshot.allowlists[1].service = value
        }
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("bad.json")
        try SnapshotCoding.encode(snapshot).write(to: file)
        let out = folder.appendingPathComponent("out")
        let result = try runEgressmap(["emit", "--snapshot", file.path, "--format", "nft,ipset", "--out", out.path])
        #expect(result.status == 2)
        #expect(result.stderr.contains(phrase), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out.path))
    }
}
