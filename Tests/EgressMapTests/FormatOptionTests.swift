import Foundation
import IPNet
import TestSupport
import Testing

@testable import Allowlist
@testable import Drift

/// Set naming, option checks (exit 2, nothing written), the AWS call split, consumer limits and csv quoting.
@Suite("format options and limits")
struct FormatOptionTests {
    @Test(
        "the default set prefix is the manifest name reduced to [a-z0-9_], starting with a letter",
        arguments: [
            ("world", "world"), ("world-fmt", "world_fmt"), ("Acme--IRU.v2", "acme_iru_v2"), ("9lives", "em_9lives"),
            ("---", "egressmap"), ("evil\"; -j ACCEPT\n}", "evil_j_accept"),
        ])
    func derivedPrefix(name: String, prefix: String) {
        #expect(SetNaming.derivedPrefix(name) == prefix)
    }

    @Test("a format misnamed: the one it abbreviates or extends is suggested, none when it could be several")
    func formatSuggestion() {
        let spellings = OutputFormat.spellings
        let cases = [("asa", "cisco-asa"), ("nftables", "nft"), ("ipsets", "ipset"), ("AWS", "aws-prefix-list")]
        for (typed, meant) in cases {
            #expect(throws: FormatError(
                "--format: \"\(typed)\" is not a format; expected a comma list of \(spellings); did you mean \(meant)?"
            )) { try OutputFormat.parseList("plain,\(typed)") }
        }
        #expect(throws: FormatError("--format: \"ip\" is not a format; expected a comma list of \(spellings)")) {
            try OutputFormat.parseList("ip")
        }
    }

    @Test("set names: <prefix>_v4_tcp443, checked against each chosen tool's limit")
    func names() throws {
        let naming = try SetNaming(prefix: nil, manifestName: "world")
        #expect(naming.name(.v6, try ServiceName("tcp/5223")) == "world_v6_tcp5223")
        let long = try SetNaming(prefix: "a_twenty_two_chars_pfx", manifestName: "x")
        let name = long.name(.v4, try ServiceName("tcp/5223"))
        #expect(name.count == 33)
        #expect(throws: FormatError.self) { try long.checkLimits(name, formats: [.ipset]) }
        #expect(throws: FormatError.self) { try long.checkLimits(name, formats: [.pf]) }
        #expect(throws: FormatError.self) { try long.checkLimits(name, formats: [.iptables]) }
        try long.checkLimits(name, formats: [.nft, .mikrotik, .ciscoASA, .awsPrefixList, .csv])
        #expect(IPSetFormat.temporaryName(String(repeating: "a", count: 31)).count == 22)
    }

    @Test("comments keep only [A-Za-z0-9._:/ -], collapsed and cut to the tool's limit")
    func comments() {
        #expect(CommentText.sanitise("a\"b\nc}; -j ACCEPT $(x) `y` \\ #z", limit: 128) == "a b c -j ACCEPT x y z")
        #expect(CommentText.sanitise(String(repeating: "ab ", count: 100), limit: 128).count <= 128)
        #expect(CommentText.sanitise("ünïcode", limit: 10) == "n code")
    }

    static let folderCases: [([String], String)] = [
        (["--format", "nft,xml"], "\"xml\" is not a format"),
        (["--format", "nft,"], "\"\" is not a format"),
        (["--format", "ipset", "--set-prefix", "Bad-Prefix"], "--set-prefix \"Bad-Prefix\""),
        (["--format", "nft", "--set-prefix", "9x"], "starting with a letter"),
        (["--format", "ipset", "--set-prefix", "a_very_long_prefix_for_ipset"], "ipset allows 31"),
        (["--format", "pf", "--set-prefix", "a_very_long_prefix_for_pf_tables"], "pf allows 31"),
        (["--format", "nft", "--nft-table", "arp", "filter"], "\"arp\" is not an nft table family"),
        (["--format", "nft", "--nft-table", "inet"], "expected a FAMILY and a NAME"),
        (["--format", "nft", "--nft-table", "inet", "fil;ter"], "expected a table name"),
        (["--format", "nft", "--nft-table", "inet", "filter", "--with-rules"], "--with-rules adds accept rules"),
        (["--format", "iptables", "--chain", "OUTPUT"], "--chain \"OUTPUT\""),
        (["--format", "iptables", "--chain", "A_CHAIN_NAME_LONGER_THAN_28_CHARS"], "at most 28 characters"),
    ]

    @Test("bad format options on run: exit 2, the reason, and an untouched output folder", arguments: folderCases)
    func badRunOptions(arguments: [String], phrase: String) throws {
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data("keep\n".utf8).write(to: folder.appendingPathComponent("marker"))
        let (result, _) = try FormatFixtures.run(FormatFixtures.manifest, out: folder, arguments)
        #expect(result.status == 2)
        #expect(result.stderr.contains(phrase), "\(result.stderr)")
        #expect(result.stderr.contains("nothing was written"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["marker"])
    }

    @Test("bad format options on emit: exit 2, nothing written", arguments: folderCases)
    func badEmitOptions(arguments: [String], phrase: String) throws {
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = folder.appendingPathComponent("out")
        let result = try runEgressmap(
            ["emit", "--snapshot", FormatFixtures.snapshot.path, "--out", out.path] + arguments
        )
        #expect(result.status == 2)
        #expect(result.stderr.contains(phrase), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out.path))
    }

    @Test("emit to stdout with the default formats (several files): what to give instead, exit 2, nothing out")
    func emitDefaultToStdout() throws {
        let result = try runEgressmap(["emit", "--snapshot", FormatFixtures.snapshot.path])
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty)
        let expected = "egressmap: --format plain,json writes several files: give --out DIR, or --format with one "
            + "of json, csv, nft, ipset, iptables, ip6tables, cisco-asa, mikrotik for stdout\n"
        #expect(result.stderr == expected, "\(result.stderr)")
    }

    @Test("emit --snapshot - reads the snapshot from standard input: the same bytes as from the file")
    func emitStandardInput() throws {
        let fromFile = try runEgressmap(["emit", "--snapshot", FormatFixtures.snapshot.path, "--format", "nft"])
        #expect(fromFile.status == 0, "\(fromFile.stderr)")
        let text = try String(contentsOf: FormatFixtures.snapshot, encoding: .utf8)
        let fromInput = try runEgressmap(["emit", "--snapshot", "-", "--format", "nft"], stdin: text)
        #expect(fromInput.status == 0, "\(fromInput.stderr)")
        #expect(fromInput.stdout == fromFile.stdout)
        let bad = try runEgressmap(["emit", "--snapshot", "-", "--format", "nft"], stdin: "{")
        #expect(bad.status == 2)
        #expect(bad.stderr.hasPrefix("egressmap: <stdin>: not a snapshot: "), "\(bad.stderr)")
    }

    @Test("emit of a run a guard refused: rendered, with a warning that these are not the lists in place")
    func emitUnpublished() throws {
        let text = try String(contentsOf: FormatFixtures.snapshot, encoding: .utf8)
        let refused = text.replacingOccurrences(
            of: "\"published\" : true,",
            with: "\"published\" : false,\n  \"publish_note\" : \"shrink guard: tcp-443 would lose 5 of 10 prefixes\","
        )
        #expect(refused != text)
        let published = try runEgressmap(["emit", "--snapshot", "-", "--format", "nft"], stdin: text)
        #expect(published.status == 0)
        #expect(published.stderr.isEmpty, "\(published.stderr)")
        let result = try runEgressmap(["emit", "--snapshot", "-", "--format", "nft"], stdin: refused)
        #expect(result.status == 0)
        #expect(result.stdout == published.stdout)
        #expect(result.stderr == "egressmap: warning: run 20261129T055457.098Z was not published (shrink guard: "
            + "tcp-443 would lose 5 of 10 prefixes); these are not the lists in place, which are those of the "
            + "snapshot of the run that the folder's allowlist/ links to (generations/<run id>)\n")
    }

    /// A snapshot with one tcp/443 list of `count` IPv4 /32s.
    static func snapshot(count: Int) throws -> Snapshot {
        var snapshot = try FormatFixtures.load(FormatFixtures.snapshot)
        let entries = (0..<count).map { index in
            AllowlistEntry(
                prefix: "10.\(index / 65536).\(index / 256 % 256).\(index % 256)/32", endpoints: ["e"],
                names: ["n\(index).example"])
        }
        snapshot.allowlists = [AllowlistFile(name: "tcp-443", service: "tcp/443", prefixes: entries)]
        snapshot.all = entries.map(\.prefix)
        return snapshot
    }

    @Test("AWS: MaxEntries is what the list needs, calls carry at most 100 entries each")
    func awsSplit() throws {
        let files = try AllowlistDocuments.render(
            try Self.snapshot(count: 250), formats: RenderOptions(formats: [.awsPrefixList])
        )
        let data = try #require(files["aws-prefix-list-v4.json"])
        let root = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let lists = try #require(root["prefix_lists"] as? [[String: Any]])
        try #require(lists.count == 1)
        #expect(lists[0]["MaxEntries"] as? Int == 250)
        #expect(lists[0]["PrefixListName"] as? String == "world_fmt_v4_tcp443")
        let calls = try #require(lists[0]["calls"] as? [[String: Any]])
        let sizes = calls.map { call -> Int in
            let input = call["input"] as? [String: Any] ?? [:]
            return ((input["Entries"] ?? input["AddEntries"]) as? [Any])?.count ?? -1
        }
        #expect(sizes == [100, 100, 50])
        #expect((calls[0]["command"] as? String)?.contains("create-managed-prefix-list") == true)
        #expect((calls[1]["command"] as? String)?.contains("modify-managed-prefix-list") == true)
        let v6Data = try #require(files["aws-prefix-list-v6.json"])
        let v6 = try #require(try JSONSerialization.jsonObject(with: v6Data) as? [String: Any])
        #expect((v6["prefix_lists"] as? [Any])?.isEmpty == true)
    }

    @Test("consumer limits warn, never cut: AWS security group rules, PAN-OS, FortiGate")
    func limits() throws {
        let aws = ConsumerLimits.warnings(
            try Self.snapshot(count: 61), options: RenderOptions(formats: [.awsPrefixList]))
        #expect(aws.count == 1)
        #expect(aws.first?.contains("MaxEntries 61") == true)
        #expect(ConsumerLimits.warnings(try Self.snapshot(count: 61), options: RenderOptions()).isEmpty)
        #expect(
            ConsumerLimits.warnings(try Self.snapshot(count: 60), options: RenderOptions(formats: [.awsPrefixList]))
                .isEmpty)
        let big = try Self.snapshot(count: 130_000)
        let warnings = ConsumerLimits.warnings(big, options: RenderOptions(formats: [.ipset]))
        #expect(warnings.filter { $0.contains("PAN-OS") }.count == 2)  // all.txt and tcp-443.txt
        #expect(warnings.filter { $0.contains("FortiGate") }.count == 2)
        #expect(warnings.filter { $0.contains("maxelem") }.count == 1)
        let files = try AllowlistDocuments.render(big, formats: RenderOptions(formats: [.ipset]))
        let plain = try #require(files["tcp-443.txt"])
        #expect(plain.split(separator: UInt8(ascii: "\n")).count == 130_000)
    }

    @Test("a run over a limit prints the warning and still publishes every entry")
    func runWarns() throws {
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("snapshot.json")
        try SnapshotCoding.encode(try Self.snapshot(count: 61)).write(to: file)
        let result = try runEgressmap([
            "emit", "--snapshot", file.path, "--format", "aws-prefix-list", "--out", folder.path,
        ])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("warning: AWS prefix list world_fmt_v4_tcp443 needs MaxEntries 61"))
    }

    @Test("csv: RFC 4180 quoting, formula-looking cells neutralised")
    func csvFields() {
        #expect(CSVFormat.field("plain") == "plain")
        #expect(CSVFormat.field("a, b") == "\"a, b\"")
        #expect(CSVFormat.field("say \"hi\"") == "\"say \"\"hi\"\"\"")
        #expect(CSVFormat.field("=1+1") == "'=1+1")
        #expect(CSVFormat.field("-x\ny") == "\"'-x\ny\"")
    }
}
