import Foundation
import Testing
import TestSupport

@testable import Drift

/// The diff's notion of "same" (DESIGN.md): allowlist prefixes, addresses per name, outcome per name and
/// probe verdicts count; TTLs and timings never do. Built on a stored snapshot, changed by hand.
@Suite("Snapshot diff")
struct SnapshotDiffTests {
    func stored() throws -> Snapshot {
        let url = TestPaths.fixture("formats/world-snapshot.json")
        return try SnapshotCoding.decodeSnapshot(try Data(contentsOf: url), file: url.path)
    }

    func withProbes(_ snapshot: Snapshot, _ verdicts: [(String, Int, String)]) -> Snapshot {
        var copy = snapshot
        copy.reachability = Reachability(
            enabled: true, timeoutMs: 3000, concurrency: 256, retries: 1, durationMs: 5,
            probes: verdicts.map {
                ProbeRecord(address: $0.0, port: $0.1, verdict: $0.2, attempts: 1, connectMs: 1.5, detail: nil,
                            endpoints: [0], names: ["a.example"])
            },
            matrix: [], rangeChecks: []
        )
        return copy
    }

    @Test("TTLs, timings and run times never count")
    func timesDoNotCount() throws {
        let old = try stored()
        var new = old
        new.runID = "20991231T000000.000Z"
        new.durationMs += 500
        for index in new.names.indices {
            for address in new.names[index].addresses.indices { new.names[index].addresses[address].ttl = 7 }
            for lookup in new.names[index].lookups.indices { new.names[index].lookups[lookup].ttl = 1 }
        }
        let diff = SnapshotDiff(old: old, new: new)
        #expect(diff.same)
        #expect(diff.headline == "no change")
        #expect(diff.names.isEmpty && diff.allowlists.isEmpty && diff.probes.isEmpty)
    }

    @Test("other servers asked: said in the headline (drift of their making), not counted as a change")
    func resolversChanged() throws {
        let old = try stored()
        var new = old
        new.runID = "20991231T000000.000Z"
        new.resolvers.servers = ["127.0.0.1:5502"]
        let diff = SnapshotDiff(old: old, new: new)
        #expect(diff.same)
        #expect(diff.headline == "resolvers changed: \(old.resolvers.servers.joined(separator: ", ")) → 127.0.0.1:5502")
        // The same servers in another order are the same servers; and read from the file, as a run reads.
        new.resolvers.servers = old.resolvers.servers.reversed()
        #expect(SnapshotDiff(old: old, new: new).headline == "no change")
        let read = try SnapshotCoding.decodeDiffSide(try SnapshotCoding.encode(old), file: "old")
        #expect(read.servers == old.resolvers.servers)
    }

    @Test("a probe verdict that changes is news; its timing is not")
    func probes() throws {
        let base = try stored()
        let old = withProbes(base, [("45.60.20.1", 443, "open"), ("45.60.20.2", 443, "open")])
        var new = withProbes(base, [("45.60.20.1", 443, "timeout"), ("45.60.20.2", 443, "open")])
        new.reachability?.probes[1].connectMs = 99
        let diff = SnapshotDiff(old: old, new: new)
        #expect(!diff.same)
        #expect(diff.probes == [.init(address: "45.60.20.1", port: 443, old: "open", new: "timeout")])
        #expect(diff.headline == "1 probe change")
        #expect(SnapshotDiff(old: old, new: withProbes(base, [("45.60.20.1", 443, "open"), ("45.60.20.2", 443, "open")])).same)
    }

    @Test("an outcome change is news even when the addresses stay (kept stale)")
    func outcome() throws {
        let old = try stored()
        var new = old
        let index = try #require(new.names.firstIndex { $0.outcome == "ok" && !$0.addresses.isEmpty })
        new.names[index].outcome = "servfail"
        for address in new.names[index].addresses.indices { new.names[index].addresses[address].source = "stale" }
        let diff = SnapshotDiff(old: old, new: new)
        #expect(!diff.same)
        #expect(diff.names.map(\.name) == [new.names[index].name])
        #expect(diff.names.first?.outcome == .init(old: "ok", new: "servfail"))
        #expect(diff.names.first?.keptStale == new.names[index].addresses.map(\.address))
        #expect(diff.names.first?.added == [] && diff.names.first?.agedOut == [])
    }

    @Test("a CNAME that now points elsewhere is news")
    func chain() throws {
        let old = try stored()
        var new = old
        let index = try #require(new.names.firstIndex { name in name.lookups.contains { !$0.chain.isEmpty } })
        for lookup in new.names[index].lookups.indices where !new.names[index].lookups[lookup].chain.isEmpty {
            new.names[index].lookups[lookup].chain[0].target = "other-cdn.example"
        }
        let diff = SnapshotDiff(old: old, new: new)
        #expect(diff.names.first?.chain?.new.first == "other-cdn.example")
        #expect(diff.headline == "1 chain change")
    }

    @Test("the first run lists everything as added")
    func firstRun() throws {
        let new = try stored()
        let diff = SnapshotDiff(old: nil, new: new)
        #expect(diff.oldRun == nil)
        #expect(diff.names.count == new.names.count)
        #expect(diff.allowlists.first { $0.name == "all" }?.added == new.all)
        #expect(diff.headline.hasPrefix("first run: "))
    }

    @Test("names in any order, one repeated, give the diff of the sorted names (the sides are walked together)")
    func unsortedNames() throws {
        let old = try stored()
        var new = old
        new.names.removeFirst()  // left the manifest
        new.names[new.names.count - 1].addresses.removeAll()  // aged out
        var oldSide = DiffSide(old)
        var newSide = DiffSide(new)
        let sorted = SnapshotDiff(old: oldSide, new: newSide)
        #expect(sorted.names.map(\.change).contains("removed"))
        oldSide.names.reverse()
        newSide.names.reverse()
        newSide.names.append(newSide.names[0])  // a repeated name counts once, as its first record
        newSide.names[newSide.names.count - 1].addresses = ["192.0.2.99"]
        #expect(SnapshotDiff(old: oldSide, new: newSide) == sorted)
    }
}
