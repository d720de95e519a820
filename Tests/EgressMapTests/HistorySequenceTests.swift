import Foundation
import Testing
import TestSupport

@testable import Drift

/// A sequence of runs with the zones changed between them, as DESIGN.md's safety rules describe:
/// an address rotates, a name goes NXDOMAIN, a zone goes lame, a name leaves the manifest, a change trips
/// the shrink guard, most names fail. Each step asserts the published allowlists exactly, with retention 0
/// and with the default. The zones hist.test and lame.test belong to this suite alone.
@Suite("Run sequences over changing zones", .serialized)
struct HistorySequenceTests {
    static let start: Int64 = 1_795_000_000_000
    static let hour: Int64 = 3_600_000

    static let static443 = [
        "5.188.10.1/32", "5.188.10.2/31", "5.188.10.21/32", "2a05:d014:10::1/128", "2a05:d014:10::2/128",
    ]
    static let workers = (1...10).map { "5.9.\(100 + 2 * $0).1/32" }

    struct Sequence {
        let label: String
        let retain: String
        let folder: URL

        func manifest(keep: Bool) -> String {
            """
            manifest: 1
            name: hist
            endpoints:
              - host: v4.world.test
                ports: [443]
              - host: dual.world.test
                ports: [443]
              - host: ttlday.world.test
                ports: [443]
              - host: \(label)rot.hist.test
                ports: [443]
              - host: \(label)gone.hist.test
                ports: [443]
              - host: "\(label)w{1..10}.hist.test"
                ports: [8443]
            """ + (keep ? "\n  - host: \(label)keep.lame.test\n    ports: [443]\n" : "\n")
        }

        func run(step: Int64, keep: Bool = true, extra: [String] = []) throws -> ProcessOutput {
            let file = folder.appendingPathComponent("hist-\(step).yaml")
            try Data(manifest(keep: keep).utf8).write(to: file)
            return try runEgressmap(
                ["run", "--manifest", file.path, "--server", try TestWorld.resolver(), "--out",
                 folder.appendingPathComponent("out").path, "--retain", retain, "--timeout", "500ms", "--no-probe"]
                    + extra,
                environment: ["EGRESSMAP_NOW": String(HistorySequenceTests.start + step * HistorySequenceTests.hour)]
            )
        }

        func published(_ file: String) throws -> [String] {
            let url = folder.appendingPathComponent("out/allowlist/\(file).txt")
            return try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map(String.init)
        }

        func diff() throws -> SnapshotDiff {
            let data = try Data(contentsOf: folder.appendingPathComponent("out/diff.json"))
            return try JSONDecoder().decode(SnapshotDiff.self, from: data)
        }

        func diffMarkdown() throws -> String {
            try String(contentsOf: folder.appendingPathComponent("out/diff.md"), encoding: .utf8)
        }

        func snapshot() throws -> Snapshot {
            let url = folder.appendingPathComponent("out/latest.json")
            return try SnapshotCoding.decodeSnapshot(try Data(contentsOf: url), file: url.path)
        }
    }

    func reset(_ label: String) throws {
        try WorldControl.setLame("hist.test", false)
        try WorldControl.setLame("lame.test", false)
        var hist = [
            "delete \(label)rot.hist.test A", "delete \(label)gone.hist.test A",
            "add \(label)rot.hist.test 0 A 5.9.20.1", "add \(label)gone.hist.test 0 A 5.9.30.1",
        ]
        for index in 1...10 {
            hist += ["delete \(label)w\(index).hist.test A", "add \(label)w\(index).hist.test 0 A 5.9.\(100 + 2 * index).1"]
        }
        try WorldControl.update(zone: "hist.test", hist)
        try WorldControl.update(zone: "lame.test", ["delete \(label)keep.lame.test A", "add \(label)keep.lame.test 0 A 5.9.40.1"])
    }

    @Test("retention 0 and the default, step by step", arguments: [("r0-", "0"), ("rd-", "7d")])
    func sequence(label: String, retain: String) throws {
        let folder = try makeTemporaryFolder("egressmap-hist")
        defer { try? FileManager.default.removeItem(at: folder) }
        let run = Sequence(label: label, retain: retain, folder: folder)
        let keepsHistory = retain != "0"
        try reset(label)

        // 1. Everything answers.
        var result = try run.run(step: 1)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(try run.published("tcp-443") == ["5.9.20.1/32", "5.9.30.1/32", "5.9.40.1/32"] + Self.static443)
        #expect(try run.published("tcp-8443") == Self.workers)
        var diff = try run.diff()
        #expect(diff.oldRun == nil)
        #expect(diff.newRun == "20261118T120640.000Z")
        #expect(diff.headline == "first run: +8 −0 prefixes on tcp-443; +10 −0 prefixes on tcp-8443")
        #expect(diff.names.count == 16)
        #expect(diff.names.allSatisfy { $0.change == "added" && $0.reason == "first run" })

        // 2. rot moves to another address; gone is deleted (NXDOMAIN is an answer: it ages out by retention).
        try WorldControl.update(zone: "hist.test", [
            "delete \(label)rot.hist.test A", "add \(label)rot.hist.test 0 A 5.9.21.1", "delete \(label)gone.hist.test A",
        ])
        result = try run.run(step: 2)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        let afterRotation = keepsHistory
            ? ["5.9.20.1/32", "5.9.21.1/32", "5.9.30.1/32", "5.9.40.1/32"] : ["5.9.21.1/32", "5.9.40.1/32"]
        #expect(try run.published("tcp-443") == afterRotation + Self.static443)
        #expect(try run.snapshot().names.first { $0.name == "\(label)gone.hist.test" }?.outcome == "nxdomain")
        diff = try run.diff()
        #expect(diff.oldRun == "20261118T120640.000Z")
        #expect(diff.names.map(\.name) == ["\(label)gone.hist.test", "\(label)rot.hist.test"])
        #expect(diff.names[0].outcome == .init(old: "ok", new: "nxdomain"))
        // The name looks dead; with retention, its finding says its address is still allowed.
        let gone = try run.snapshot().findings.first { $0.kind == "no-address" && $0.name == "\(label)gone.hist.test" }
        #expect(gone?.message == "\(label)gone.hist.test: the name does not exist (NXDOMAIN)"
            + (keepsHistory ? "; kept 1 address last seen 2026-11-18T12:06:40.000Z, within --retain" : ""))
        if keepsHistory {
            #expect(diff.headline == "+1 −0 prefixes on tcp-443; 1 outcome change")
            #expect(diff.allowlists.map(\.name) == ["all", "tcp-443"])
            #expect(diff.allowlists[1].added == ["5.9.21.1/32"])
            #expect(diff.allowlists[1].removed == [])
            #expect(diff.names[0].agedOut == [])
            #expect(diff.names[1].added == ["5.9.21.1"])
        } else {
            #expect(diff.allowlists[1] == .init(name: "tcp-443", added: ["5.9.21.1/32"], removed: ["5.9.20.1/32", "5.9.30.1/32"], count: 7))
            #expect(diff.names[0].agedOut == ["5.9.30.1"])
            #expect(diff.names[1].added == ["5.9.21.1"])
            #expect(diff.names[1].agedOut == ["5.9.20.1"])
            try expectGolden(try run.diffMarkdown(), "diffs/r0-step2.md")
        }

        // 3. lame.test goes lame: keep's lookups fail, and its address stays, stale, whatever the retention.
        try WorldControl.setLame("lame.test", true)
        result = try run.run(step: 3)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(try run.published("tcp-443") == afterRotation + Self.static443)
        let keep = try #require(try run.snapshot().names.first { $0.name == "\(label)keep.lame.test" })
        #expect(keep.outcome == "servfail")
        #expect(keep.addresses.map(\.address) == ["5.9.40.1"])
        #expect(keep.addresses.map(\.source) == ["stale"])
        let entry = try run.snapshot().allowlists.first { $0.name == "tcp-443" }?.prefixes.first { $0.prefix == "5.9.40.1/32" }
        #expect(entry?.stale == true)
        #expect(result.stdout.contains("kept 1 address last seen"))
        diff = try run.diff()
        #expect(diff.allowlists.isEmpty)
        #expect(diff.same == false)
        #expect(diff.names.map(\.name) == ["\(label)keep.lame.test"])
        #expect(diff.names.first?.keptStale == ["5.9.40.1"])
        #expect(diff.names.first?.outcome == .init(old: "ok", new: "servfail"))
        #expect(diff.headline == "1 name failing, kept stale; 1 outcome change")
        if !keepsHistory { try expectGolden(try run.diffMarkdown(), "diffs/r0-step3.md") }

        // 4. keep leaves the manifest: its address goes at once, retention or not.
        try WorldControl.setLame("lame.test", false)
        result = try run.run(step: 4, keep: false)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        let withoutKeep = keepsHistory ? ["5.9.20.1/32", "5.9.21.1/32", "5.9.30.1/32"] : ["5.9.21.1/32"]
        #expect(try run.published("tcp-443") == withoutKeep + Self.static443)
        diff = try run.diff()
        #expect(diff.names.first { $0.name == "\(label)keep.lame.test" }?.change == "removed")
        #expect(diff.allowlists.first { $0.name == "tcp-443" }?.removed == ["5.9.40.1/32"])

        // 5. Half of the workers vanish: with retention 0 the 8443 list would lose 50% — the shrink guard
        //    refuses (exit 3) and the published lists stay; --force publishes. The default retention keeps them.
        try WorldControl.update(zone: "hist.test", (1...5).map { "delete \(label)w\($0).hist.test A" })
        result = try run.run(step: 5, keep: false)
        if keepsHistory {
            #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
            #expect(try run.published("tcp-8443") == Self.workers)
        } else {
            #expect(result.status == 3, "\(result.stdout)\(result.stderr)")
            #expect(result.stderr.contains(
                "egressmap: not published: shrink guard: tcp-8443 would lose 5 of 10 prefixes (50%)"
            ))
            #expect(try run.published("tcp-8443") == Self.workers)
            #expect(try run.snapshot().published == false)
            result = try run.run(step: 6, keep: false, extra: ["--force"])
            #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
            #expect(try run.published("tcp-8443") == Array(Self.workers.suffix(5)))
        }
        let before = (try run.published("tcp-443"), try run.published("tcp-8443"), try run.published("all"))

        // 6. hist.test goes lame: 12 of 15 names fail — the failure guard publishes nothing (exit 3), and
        //    --force, which overrides the shrink and set-name guards only, says so.
        try WorldControl.setLame("hist.test", true)
        result = try run.run(step: 7, keep: false, extra: ["--force"])
        try WorldControl.setLame("hist.test", false)
        #expect(result.status == 3, "\(result.stdout)\(result.stderr)")
        #expect(result.stderr.contains(
            "egressmap: not published: failure guard: 12 of 15 names failed (12 of them: servfail from "
        ))
        #expect(result.stderr.contains(
            "the allowlists in place are untouched. If these names fail for good, take them out of the manifest "
                + "(--force overrides the shrink and set-name guards only)"
        ), "\(result.stderr)")
        #expect(result.stdout.contains("allowlists this run would publish: "), "\(result.stdout)")
        #expect(try run.diff().published == false)
        #expect(try run.diff().headline.hasSuffix("not published"))
        #expect(try run.published("tcp-443") == before.0)
        #expect(try run.published("tcp-8443") == before.1)
        #expect(try run.published("all") == before.2)
        let history = try HistoryStore(path: folder.appendingPathComponent("out/history.sqlite").path)
        #expect(try history.isIntact())
        #expect(try history.runs().count == (keepsHistory ? 6 : 7))
        #expect(try history.runs().first?.published == false)
    }

    /// Compares with a golden file written by hand, showing a unified diff on mismatch.
    func expectGolden(_ actual: String, _ fixture: String) throws {
        let expected = try String(contentsOf: TestPaths.fixture(fixture), encoding: .utf8)
        guard actual != expected else { return }
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("actual")
        try Data(actual.utf8).write(to: file)
        let diff = try runProcess(URL(fileURLWithPath: "/usr/bin/diff"), ["-u", TestPaths.fixture(fixture).path, file.path])
        Issue.record("\(fixture) differs:\n\(diff.stdout)")
    }

    @Test("a name that answers a different subset each round: --rounds 3 collects the union")
    func roundsUnion() throws {
        let folder = try makeTemporaryFolder("egressmap-rounds")
        defer { try? FileManager.default.removeItem(at: folder) }
        let label = "rotate.u\(UInt32.random(in: 0...UInt32.max)).test"
        let manifest = folder.appendingPathComponent("cdn.yaml")
        try Data("manifest: 1\nname: cdn\nendpoints:\n  - host: \(label)\n    ports: [443]\n".utf8).write(to: manifest)
        let result = try runEgressmap([
            "run", "--manifest", manifest.path, "--server", try TestWorld.faults(), "--rounds", "3",
            "--out", folder.appendingPathComponent("out").path,
        ])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        // faultd's rotate answers 5.188.2.(2k+1) and 5.188.2.(2k+2) to the k-th query of a name and type.
        let list = try String(contentsOf: folder.appendingPathComponent("out/allowlist/tcp-443.txt"), encoding: .utf8)
        #expect(list.split(separator: "\n").filter { $0.hasPrefix("5.188.2.") } == ["5.188.2.1/32", "5.188.2.2/31", "5.188.2.4/31", "5.188.2.6/32"])
        let snapshot = try SnapshotCoding.decodeSnapshot(
            try Data(contentsOf: folder.appendingPathComponent("out/latest.json")), file: "latest.json"
        )
        #expect(snapshot.names.first?.addresses.filter { $0.type == "A" }.map(\.rounds) == [1, 1, 1, 1, 1, 1])
    }
}
