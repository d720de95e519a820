import Foundation
import IPNet
import TestSupport
import Testing

@testable import Allowlist
@testable import Drift

/// The Linux formats of a test-world run, loaded into the real tools (Debian's nft, ipset,
/// iptables-restore), each test in a network namespace of its own: first load, and a reload over an older
/// run's files that must leave exactly the new sets.
@Suite("formats in the real tools")
struct FormatToolTests {
    /// A run with every format, the snapshot it wrote, and an older run's files rendered the same way.
    struct Fixture {
        let folder: URL
        let published: URL
        let older: URL
        let snapshot: Snapshot
        let stderr: String

        init(_ extra: [String] = []) throws {
            folder = try makeTemporaryFolder("egressmap-formats")
            let (result, published) = try FormatFixtures.run(
                FormatFixtures.manifest, out: folder.appendingPathComponent("out"),
                ["--format", FormatFixtures.every] + extra
            )
            #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
            self.published = published
            stderr = result.stderr
            snapshot = try FormatFixtures.load(folder.appendingPathComponent("out/latest.json"))
            older = folder.appendingPathComponent("older")
            try FileManager.default.createDirectory(at: older, withIntermediateDirectories: true)
            var options = RenderOptions(formats: Set(try OutputFormat.parseList(FormatFixtures.every)))
            if let index = extra.firstIndex(of: "--nft-table") {
                options.nftTable = try NFTTable(family: extra[index + 1], name: extra[index + 2])
            }
            options.withRules = extra.contains("--with-rules")
            for (name, data) in try AllowlistDocuments.render(olderSnapshot(snapshot), formats: options) {
                try data.write(to: older.appendingPathComponent(name))
            }
        }

        func file(_ name: String) -> URL { published.appendingPathComponent(name) }
        func old(_ name: String) -> URL { older.appendingPathComponent(name) }
        func remove() { try? FileManager.default.removeItem(at: folder) }
    }

    @Test(
        "nft, owning table inet egressmap: nft -c, first load, reload over an older run; sets hold exactly the prefixes"
    )
    func nftOwnTable() throws {
        let run = try Fixture()
        defer { run.remove() }
        let result = try inNamespace(
            """
            nft -c -f "$1"
            nft -f "$1"
            nft -j list table inet egressmap
            echo ---
            nft -c -f "$2"
            nft -f "$2"
            nft -j list table inet egressmap
            echo ---
            nft -j list tables
            """, [run.old("allowlist.nft"), run.file("allowlist.nft")]
        )
        #expect(result.status == 0, "\(result.stderr)")
        let parts = result.stdout.components(separatedBy: "---\n")
        try #require(parts.count == 3)
        #expect(try nftSets(parts[0]) == expectedSets(olderSnapshot(run.snapshot), prefix: "world_fmt"))
        #expect(try nftSets(parts[1]) == expectedSets(run.snapshot, prefix: "world_fmt"))
        #expect(try nftSets(parts[1]).count == 6)
        #expect(parts[2].contains("\"name\": \"egressmap\""))
        #expect(parts[2].components(separatedBy: "\"table\":").count == 2, "exactly one table: \(parts[2])")
    }

    @Test("nft --with-rules: accept rules per set in output and forward, policy accept, after a reload")
    func nftWithRules() throws {
        let run = try Fixture(["--with-rules"])
        defer { run.remove() }
        let result = try inNamespace(
            """
            nft -f "$1"
            nft -c -f "$2"
            nft -f "$2"
            nft list chain inet egressmap output
            nft list chain inet egressmap forward
            """, [run.old("allowlist.nft"), run.file("allowlist.nft")]
        )
        #expect(result.status == 0, "\(result.stderr)")
        let rules = result.stdout.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        #expect(rules.filter { $0.hasSuffix(" accept") && $0.contains("daddr @world_fmt_") }.count == 12)
        #expect(rules.contains("ip daddr @world_fmt_v4_tcp443 tcp dport 443 accept"))
        #expect(rules.contains("ip6 daddr @world_fmt_v6_tcp5223 tcp dport 5223 accept"))
        #expect(rules.filter { $0.contains("policy accept") }.count == 2)
        #expect(!result.stdout.contains("drop"))
    }

    @Test(
        "nft --nft-table inet filter: sets refilled in the user's table; the user's rule using one survives reloads"
    )
    func nftUserTable() throws {
        let run = try Fixture(["--nft-table", "inet", "filter"])
        defer { run.remove() }
        let result = try inNamespace(
            """
            nft add table inet filter
            nft -c -f "$1"
            nft -f "$1"
            nft add chain inet filter out '{ type filter hook output priority 0; policy accept; }'
            nft add rule inet filter out ip daddr @world_fmt_v4_tcp443 tcp dport 443 accept
            nft -c -f "$2"
            nft -f "$2"
            nft -f "$2"
            nft -j list table inet filter
            echo ---
            nft list chain inet filter out
            echo ---
            nft list tables
            """, [run.old("allowlist.nft"), run.file("allowlist.nft")]
        )
        #expect(result.status == 0, "\(result.stderr)")
        let parts = result.stdout.components(separatedBy: "---\n")
        try #require(parts.count == 3)
        #expect(try nftSets(parts[0]) == expectedSets(run.snapshot, prefix: "world_fmt"))
        #expect(parts[1].contains("ip daddr @world_fmt_v4_tcp443 tcp dport 443 accept"))
        #expect(parts[2] == "table inet filter\n")
    }

    @Test("nft --nft-table ip NAME holds the IPv4 sets only, and a missing table is an error, not a new table")
    func nftIPv4Table() throws {
        let run = try Fixture(["--nft-table", "ip", "fw"])
        defer { run.remove() }
        let text = try String(contentsOf: run.file("allowlist.nft"), encoding: .utf8)
        #expect(!text.contains("_v6_"))
        // Said, in the file and on stderr: the IPv6 prefixes have no place in an ip table.
        let v6 = run.snapshot.allowlists.reduce(0) { $0 + $1.prefixes.filter { $0.prefix.contains(":") }.count }
        #expect(v6 == 1)
        let left = "table ip fw holds IPv4 sets only: the IPv6 sets (1 entry in 1 set) are not written "
            + "(an inet table holds both)"
        #expect(text.contains("\n# \(left).\n"), "\(text)")
        #expect(run.stderr.contains("egressmap: warning: allowlist.nft: \(left)\n"), "\(run.stderr)")
        let missing = try inNamespace("nft -f \"$1\" || echo refused; nft list tables", [run.file("allowlist.nft")])
        #expect(missing.stdout == "refused\n", "\(missing.stdout)\(missing.stderr)")
        let result = try inNamespace(
            "nft add table ip fw\nnft -f \"$1\"\nnft -j list table ip fw", [run.file("allowlist.nft")])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try nftSets(result.stdout) == expectedSets(run.snapshot, prefix: "world_fmt", families: [.v4]))
    }

    @Test("ipset restore twice over an older run: the sets hold exactly the prefixes, no temporary set is left")
    func ipset() throws {
        let run = try Fixture()
        defer { run.remove() }
        let result = try inNamespace(
            """
            ipset restore < "$1"
            ipset restore < "$2"
            ipset restore < "$2"
            ipset save
            """, [run.old("allowlist.ipset"), run.file("allowlist.ipset")]
        )
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try ipsetSets(result.stdout) == expectedSets(run.snapshot, prefix: "world_fmt"))
        #expect(!result.stdout.contains("egressmap_tmp_"))
    }

    @Test(
        "iptables-restore --test --noflush, then loads: one chain of accepts, the user's jump kept, nothing appended",
        arguments: ["iptables", "ip6tables"])
    func iptables(tool: String) throws {
        let run = try Fixture()
        defer { run.remove() }
        let result = try inNamespace(
            """
            ipset restore < "$1"
            \(tool)-restore --test --noflush "$2"
            \(tool)-restore --noflush "$3"
            \(tool) -I OUTPUT -j EGRESSMAP
            \(tool)-restore --test --noflush "$2"
            \(tool)-restore --noflush "$2"
            \(tool)-restore --noflush "$2"
            \(tool) -S
            """, [run.file("allowlist.ipset"), run.file("allowlist.\(tool)"), run.old("allowlist.\(tool)")]
        )
        #expect(result.status == 0, "\(result.stderr)")
        let family = tool == "iptables" ? "v4" : "v6"
        let expected =
            ["-P INPUT ACCEPT", "-P FORWARD ACCEPT", "-P OUTPUT ACCEPT", "-N EGRESSMAP", "-A OUTPUT -j EGRESSMAP"]
            + [80, 443, 5223].map { port in
                "-A EGRESSMAP -p tcp -m set --match-set world_fmt_\(family)_tcp\(port) dst -m tcp --dport \(port) "
                    + "-m comment --comment \"egressmap world-fmt tcp/\(port)\" -j ACCEPT"
            }
        #expect(result.stdout.split(separator: "\n").map(String.init) == expected)
    }
}
