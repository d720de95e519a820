import Foundation
import Testing
import TestSupport

@testable import Drift

/// `egressmap diff`, the diff files a run writes, volatility and `egressmap history`.
@Suite("Diffs and drift")
struct DiffCommandTests {
    static let manifest = TestPaths.fixture("run/world.yaml").path

    func run(_ out: URL, _ extra: [String] = []) throws -> ProcessOutput {
        try runEgressmap(
            ["run", "--manifest", Self.manifest, "--server", try TestWorld.resolver(), "--out", out.path,
             "--var", "tenant=acme", "--no-probe"] + extra
        )
    }

    func snapshotIDs(_ out: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: out.appendingPathComponent("snapshots").path)
            .map { String($0.dropLast(5)) }.sorted()
    }

    @Test("diff exits 0 for the same answers and 1 when an allowlist changed; 2 for trouble")
    func exitCodes() throws {
        let out = try makeTemporaryFolder("egressmap-diff")
        defer { try? FileManager.default.removeItem(at: out) }
        #expect(try run(out).status == 0)
        #expect(try run(out).status == 0)
        #expect(try run(out, ["--allow-special", "10.0.0.0/8"]).status == 0)
        let ids = try snapshotIDs(out)
        #expect(ids.count == 3)

        let same = try runEgressmap(["diff", ids[0], ids[1], "--out", out.path])
        #expect(same.status == 0, "\(same.stdout)\(same.stderr)")
        #expect(same.stdout.contains("no change"))

        let changed = try runEgressmap(["diff", ids[1], ids[2], "--out", out.path, "--json"])
        #expect(changed.status == 1)
        let diff = try JSONDecoder().decode(SnapshotDiff.self, from: Data(changed.stdout.utf8))
        #expect(diff.same == false)
        #expect(diff.allowlists.first { $0.name == "tcp-443" }?.added == ["10.1.2.3/32"])
        #expect(diff.headline == "+1 −0 prefixes on tcp-443")

        let files = try runEgressmap([
            "diff", out.appendingPathComponent("snapshots/\(ids[2]).json").path,
            out.appendingPathComponent("snapshots/\(ids[1]).json").path, "--markdown",
        ])
        #expect(files.status == 1)
        #expect(files.stdout.contains("| tcp-443 |  | `10.1.2.3/32` | 8 |"))

        let missing = try runEgressmap(["diff", "20200101T000000.000Z", ids[0], "--out", out.path])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("no run 20200101T000000.000Z"))
        let junk = out.appendingPathComponent("junk.json")
        try Data("{\"schema\": 1}".utf8).write(to: junk)
        #expect(try runEgressmap(["diff", junk.path, ids[0], "--out", out.path]).status == 2)
    }

    @Test("after runs that published nothing, the run that publishes is diffed against the allowlists in place")
    func diffAgainstPublished() throws {
        let folder = try makeTemporaryFolder("egressmap-diff")
        defer { try? FileManager.default.removeItem(at: folder) }
        func manifest(_ names: Int) throws -> String {
            let file = folder.appendingPathComponent("bulk-\(names).yaml")
            let endpoints = (0..<names).map { String(format: "  - host: n%05d.bulk.test\n    ports: [5223]\n", $0) }
            try Data("manifest: 1\nname: bulk\nendpoints:\n\(endpoints.joined())".utf8).write(to: file)
            return file.path
        }
        let (wide, narrow) = (try manifest(20), try manifest(2))
        let resolver = try TestWorld.resolver()
        // --keep-runs 1: the published run's snapshot must outlive the refused runs for the diff to read it.
        func run(
            _ out: URL, _ manifest: String, _ extra: [String] = [], server: String = resolver
        ) throws -> ProcessOutput {
            try runEgressmap(["run", "--manifest", manifest, "--server", server, "--out", out.path, "--no-probe",
                              "--exit-code", "--keep-runs", "1"] + extra)
        }
        func diff(_ out: URL) throws -> SnapshotDiff {
            try JSONDecoder().decode(SnapshotDiff.self, from: Data(contentsOf: out.appendingPathComponent("diff.json")))
        }

        let out = folder.appendingPathComponent("out")
        #expect(try run(out, wide).status == 1)
        let published = try diff(out).newRun
        let refused = try run(out, narrow)
        #expect(refused.status == 3, "the shrink guard: \(refused.stdout)")
        #expect(try diff(out).oldRun == published)
        let forced = try run(out, narrow, ["--force"])
        #expect(forced.status == 1, "\(forced.stdout)\(forced.stderr)")
        #expect(forced.stderr.isEmpty, "\(forced.stderr)")
        let change = try diff(out)
        #expect(change.oldRun == published)
        #expect(!change.same)
        let list = try #require(change.allowlists.first { $0.name == "udp-5223" || $0.name == "tcp-5223" })
        #expect(!list.removed.isEmpty, "\(list)")
        #expect(forced.stdout.contains("changes since \(published)"), "\(forced.stdout)")

        // Nothing ever published (every lookup failed: nothing listens on port 1): the next run's diff is a first
        // run's, everything added.
        let fresh = folder.appendingPathComponent("fresh")
        #expect(try run(fresh, wide, server: "127.0.0.1:1").status == 4)
        #expect(try run(fresh, wide).status == 1)
        let first = try diff(fresh)
        #expect(first.oldRun == nil)
        #expect(first.allowlists.allSatisfy { $0.removed.isEmpty && $0.added.count == $0.count })
    }

    @Test("a run writes diffs/<id>.json and .md and diff.json/diff.md; the JSON validates; --exit-code")
    func runWritesDiffs() throws {
        let out = try makeTemporaryFolder("egressmap-diff")
        defer { try? FileManager.default.removeItem(at: out) }
        let first = try run(out, ["--exit-code"])
        #expect(first.status == 1, "the first run publishes new lists")
        let firstID = try SnapshotCoding.decodeSnapshot(
            Data(contentsOf: out.appendingPathComponent("latest.json")), file: "latest.json"
        ).runID
        let second = try run(out, ["--exit-code"])
        #expect(second.status == 0, "\(second.stdout)")
        #expect(second.stdout.hasSuffix("changes since \(firstID): none\n"), "\(second.stdout)")
        let third = try run(out, ["--exit-code", "--allow-special", "10.0.0.0/8"])
        #expect(third.status == 1)
        #expect(third.stdout.contains("+ 10.1.2.3/32  tcp-443"))
        let ids = try snapshotIDs(out)
        let diffs = try FileManager.default.contentsOfDirectory(atPath: out.appendingPathComponent("diffs").path).sorted()
        #expect(diffs == ids.flatMap { ["\($0).json", "\($0).md"] }.sorted())
        #expect(try Data(contentsOf: out.appendingPathComponent("diff.json"))
            == Data(contentsOf: out.appendingPathComponent("diffs/\(ids[2]).json")))
        let check = try validateJSON(out.appendingPathComponent("diffs/\(ids[0]).json"), schema: "diff")
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: out.path).filter { $0.hasPrefix(".") } == [])

        // diff.json and diff.md are copies: written through in place (`… > diff.md`), the stored diff stays.
        for suffix in ["json", "md"] {
            let stored = out.appendingPathComponent("diffs/\(ids[2]).\(suffix)")
            let kept = try Data(contentsOf: stored)
            #expect(try Data(contentsOf: out.appendingPathComponent("diff.\(suffix)")) == kept)
            try overwriteInPlace(out.appendingPathComponent("diff.\(suffix)"))
            #expect(try Data(contentsOf: stored) == kept, "diffs/\(ids[2]).\(suffix)")
        }
    }

    @Test("a name that rotates per query is flagged volatile, with the figures")
    func volatility() throws {
        let out = try makeTemporaryFolder("egressmap-volatile")
        defer { try? FileManager.default.removeItem(at: out) }
        let name = "rotate.v\(UInt32.random(in: 0...UInt32.max)).test"
        let manifest = out.appendingPathComponent("cdn.yaml")
        try Data("manifest: 1\nname: cdn\nendpoints:\n  - host: \(name)\n    ports: [443]\n  - host: ok.f.test\n    ports: [443]\n".utf8)
            .write(to: manifest)
        let result = try runEgressmap([
            "run", "--manifest", manifest.path, "--server", try TestWorld.faults(), "--rounds", "3", "--no-probe",
            "--out", out.appendingPathComponent("out").path,
        ])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        let snapshot = try SnapshotCoding.decodeSnapshot(
            try Data(contentsOf: out.appendingPathComponent("out/latest.json")), file: "latest.json"
        )
        let volatile = snapshot.findings.filter { $0.kind == "volatile" }
        #expect(volatile.map(\.name) == [name])
        // 3 rounds x (2 A + 2 AAAA) different addresses each: 12 distinct, 4 per answer.
        #expect(volatile.first?.message.contains("12 distinct addresses in the window, 12 in this run's 3 rounds, about 4 per answer") == true)
        #expect(volatile.first?.message.contains("prefer the provider's published ranges or an FQDN/SNI rule") == true)
        #expect(result.stdout.contains("volatile"))
    }

    @Test("history lists when each address was seen, by which names, through which chain")
    func history() throws {
        let out = try makeTemporaryFolder("egressmap-history")
        defer { try? FileManager.default.removeItem(at: out) }
        #expect(try run(out).status == 0)
        #expect(try run(out).status == 0)
        let byName = try runEgressmap(["history", "7-courier.push.apple.com", "--out", out.path])
        #expect(byName.status == 0)
        let row = byName.stdout.split(separator: "\n").first { $0.contains("23.45.67.89") }
        #expect(row?.contains("7-courier.push.apple.com → courier-edge.akam.test") == true)
        #expect(row.map { $0.split(separator: " ", omittingEmptySubsequences: true).contains("2") } == true)
        let byAddress = try runEgressmap(["history", "45.60.20.1", "--out", out.path])
        #expect(byAddress.stdout.contains("www.world.test"))
        #expect(byAddress.stdout.contains("www.world.test → edge.cdn.test → e1.akam.test"))
        let none = try runEgressmap(["history", "history-missing.example", "--out", out.path])
        #expect(none.stdout.contains("never seen"))
        let noFolder = try runEgressmap(["history", "x.example", "--out", out.appendingPathComponent("nope").path])
        #expect(noFolder.status == 2)

        // Asked as people write them: an address not in its canonical form, a name with capitals and a final dot.
        let v6 = try runEgressmap(["history", "2600:1901:0000:0012:0000:0000:0000:0001", "--out", out.path])
        #expect(v6.status == 0 && v6.stdout.contains("2600:1901:0:12::1"), "\(v6.stdout)")
        let dotted = try runEgressmap(["history", "WWW.World.Test.", "--out", out.path])
        #expect(dotted.status == 0 && dotted.stdout.contains("45.60.20.1"), "\(dotted.stdout)")
        let bad = try runEgressmap(["history", "x;y", "--out", out.path])
        #expect(bad.status == 2)
        #expect(bad.stdout.isEmpty)
        #expect(bad.stderr.hasPrefix("egressmap: history: character ';' at column 2 of \"x;y\""), "\(bad.stderr)")
    }
}
