import Foundation
import IPNet
import TestSupport
import Testing

@testable import Allowlist
@testable import Drift

/// Every format rendered from a committed snapshot of a test-world run (`Tests/Fixtures/formats/`), compared
/// with golden files that were read line by line and loaded into the real tools before they were committed
/// (and are loaded again here); a mismatch shows a unified diff.
@Suite("format golden files and emit")
struct FormatGoldenTests {
    static let cases: [(folder: String, options: [String])] = [
        ("default", ["--format", "plain,json," + FormatFixtures.every]),
        ("nft-table", ["--format", "nft", "--nft-table", "inet", "filter"]),
        ("with-rules", ["--format", "nft", "--with-rules"]),
        // The table as one quoted argument, as the help's `<family name>` reads: the same files.
        ("nft-table", ["--format", "nft", "--nft-table", "inet filter"]),
    ]

    @Test("emit from the committed snapshot writes the golden files, byte for byte", arguments: [0, 1, 2, 3])
    func golden(index: Int) throws {
        let (name, options) = Self.cases[index]
        let out = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: out) }
        let result = try runEgressmap(
            ["emit", "--snapshot", FormatFixtures.snapshot.path, "--out", out.path] + options
        )
        #expect(result.status == 0, "\(result.stderr)")
        let golden = FormatFixtures.golden.appendingPathComponent(name)
        let expected = try FileManager.default.contentsOfDirectory(atPath: golden.path).sorted()
        #expect(try FileManager.default.contentsOfDirectory(atPath: out.path).sorted() == expected)
        for file in expected {
            let want = try String(contentsOf: golden.appendingPathComponent(file), encoding: .utf8)
            let got = (try? String(contentsOf: out.appendingPathComponent(file), encoding: .utf8)) ?? ""
            let diff = want == got ? "" : try unifiedDiff(want, got, label: "\(name)/\(file)")
            #expect(want == got, "\(name)/\(file) differs from the golden file:\n\(diff)")
        }
    }

    @Test("the golden Linux files load in the real tools, first time and again")
    func goldenLoads() throws {
        let folder = FormatFixtures.golden
        let result = try inNamespace(
            """
            nft -c -f "$1"; nft -f "$1"; nft -f "$1"
            nft -f "$2"; nft -f "$2"
            nft add table inet filter; nft -c -f "$3"; nft -f "$3"; nft -f "$3"
            ipset restore < "$4"; ipset restore < "$4"
            iptables-restore --test --noflush "$5"; iptables-restore --noflush "$5"; iptables-restore --noflush "$5"
            ip6tables-restore --test --noflush "$6"; ip6tables-restore --noflush "$6"
            echo loaded
            """,
            [
                folder.appendingPathComponent("default/allowlist.nft"),
                folder.appendingPathComponent("with-rules/allowlist.nft"),
                folder.appendingPathComponent("nft-table/allowlist.nft"),
                folder.appendingPathComponent("default/allowlist.ipset"),
                folder.appendingPathComponent("default/allowlist.iptables"),
                folder.appendingPathComponent("default/allowlist.ip6tables"),
            ]
        )
        #expect(result.stdout == "loaded\n", "\(result.stderr)")
    }

    @Test("emit of a run's snapshot equals, file for file, what that run published")
    func emitEqualsRun() throws {
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let (result, published) = try FormatFixtures.run(
            FormatFixtures.manifest, out: folder.appendingPathComponent("out"),
            ["--format", FormatFixtures.every, "--set-prefix", "acme", "--chain", "ACME_OUT"]
        )
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        let snapshots = folder.appendingPathComponent("out/snapshots")
        let snapshot = try #require(try FileManager.default.contentsOfDirectory(atPath: snapshots.path).first)
        let emitted = folder.appendingPathComponent("emitted")
        let emit = try runEgressmap([
            "emit", "--snapshot", snapshots.appendingPathComponent(snapshot).path, "--out", emitted.path,
            "--format", "plain,json," + FormatFixtures.every, "--set-prefix", "acme", "--chain", "ACME_OUT",
        ])
        #expect(emit.status == 0, "\(emit.stderr)")
        let files = try FileManager.default.contentsOfDirectory(atPath: published.path).sorted()
        #expect(try FileManager.default.contentsOfDirectory(atPath: emitted.path).sorted() == files)
        #expect(files.contains("acme_v4_tcp443.pf"))
        for file in files {
            #expect(
                try Data(contentsOf: published.appendingPathComponent(file))
                    == Data(contentsOf: emitted.appendingPathComponent(file)), "\(file)"
            )
        }
    }

    @Test(
        "emit prints a single-file format on stdout; several files need --out",
        arguments: [
            ("nft", "allowlist.nft"), ("cisco-asa", "allowlist.asa"), ("json", "allowlist.json"),
            ("csv", "allowlist.csv"),
        ])
    func emitStdout(format: String, file: String) throws {
        let result = try runEgressmap(["emit", "--snapshot", FormatFixtures.snapshot.path, "--format", format])
        #expect(result.status == 0, "\(result.stderr)")
        let golden = try String(
            contentsOf: FormatFixtures.golden.appendingPathComponent("default/\(file)"), encoding: .utf8)
        #expect(result.stdout == golden)
    }

    @Test(
        "emit without --out of a multi-file format, or of a missing or foreign file: exit 2",
        arguments: [
            (["--format", "pf"], "give --out DIR"),
            (["--format", "nft,ipset"], "give --out DIR"),
            (["--format", "plain"], "give --out DIR"),
            (["--format", "nft", "--snapshot", "/nonexistent.json"], "no such file"),
            (["--format", "nft", "--snapshot", "Package.swift"], "not a snapshot"),
        ])
    func emitUsage(arguments: [String], phrase: String) throws {
        let snapshot = arguments.contains("--snapshot") ? [] : ["--snapshot", FormatFixtures.snapshot.path]
        let result = try runEgressmap(["emit"] + snapshot + arguments)
        #expect(result.status == 2)
        #expect(result.stderr.contains(phrase), "\(result.stderr)")
        #expect(result.stdout.isEmpty)
    }
}
