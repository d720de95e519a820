import Foundation
import GRDB
import Testing
import TestSupport

@testable import Drift

/// `HistoryStore.record` writes what a run saw before the run's row is known and commits both together:
/// a run whose row never comes leaves the history exactly as it was.
@Suite("Recording a run in the history")
struct HistoryRecordTests {
    static let seen = [
        NameObservation(
            name: "a.test", outcome: "ok", answered: true, chain: "a.test",
            addresses: [.init(address: "192.0.2.1", type: "A", rounds: 3), .init(address: "2001:db8::1", type: "AAAA", rounds: 2)]
        ),
        NameObservation(name: "b.test", outcome: "timeout", answered: false, chain: "b.test", addresses: []),
    ]

    static func row(_ id: String, startedMs: Int64) -> RunRow {
        RunRow(
            id: id, startedMs: startedMs, manifestName: "m", manifestSHA256: "00", resolvers: "127.0.0.1:53",
            names: 2, namesOK: 1, namesFailed: 1, prefixes: 2, published: true, note: nil
        )
    }

    /// Records `seen` as run `id`, its row given (or the row's stream ended without one).
    static func record(_ store: HistoryStore, _ id: String, startedMs: Int64, row: RunRow?) async throws {
        let (rows, continuation) = AsyncStream.makeStream(of: RunRow.self)
        if let row { continuation.yield(row) }
        continuation.finish()
        try await store.record(runID: id, startedMs: startedMs, seen: seen, row: rows)
    }

    @Test("a run and what it saw are committed together; a second run updates the sightings")
    func committed() async throws {
        let path = try makeTemporaryFolder("egressmap-history").appendingPathComponent("history.sqlite").path
        let store = try HistoryStore(path: path)
        try await Self.record(store, "r1", startedMs: 1000, row: Self.row("r1", startedMs: 1000))
        try await Self.record(store, "r2", startedMs: 2000, row: Self.row("r2", startedMs: 2000))
        #expect(try store.runs().map(\.id) == ["r2", "r1"])
        let sightings = try store.sightings(matching: "a.test")
        #expect(sightings.map(\.address) == ["192.0.2.1", "2001:db8::1"])
        for sighting in sightings {
            #expect(sighting.firstSeenMs == 1000 && sighting.lastSeenMs == 2000 && sighting.lastRun == "r2")
            #expect(sighting.runs == 2)
        }
        #expect(sightings.map(\.rounds) == [6, 4])
        #expect(try store.sightings(matching: "b.test").isEmpty)
    }

    @Test("--keep-runs keeps the runs recorded last, though a clock set back gave them earlier ids")
    func pruneByRecording() async throws {
        let path = try makeTemporaryFolder("egressmap-history").appendingPathComponent("history.sqlite").path
        let store = try HistoryStore(path: path)
        // Run at 09:00 and 10:00, then the clock goes back to 08:00, then on to 08:05.
        let ids = ["20270115T090000.000Z", "20270115T100000.000Z", "20270115T080000.000Z", "20270115T080500.000Z"]
        for (index, id) in ids.enumerated() {
            let started = Int64(index) * 1000
            try await Self.record(store, id, startedMs: started, row: Self.row(id, startedMs: started))
            try store.prune(keepRuns: 2, windowMs: 1_000_000, nowMs: Int64(index) * 1000)
        }
        #expect(try Set(store.runs().map(\.id)) == ["20270115T080000.000Z", "20270115T080500.000Z"])
    }

    @Test("a run whose row never comes leaves the history as it was, and the next run records")
    func withoutItsRow() async throws {
        let path = try makeTemporaryFolder("egressmap-history").appendingPathComponent("history.sqlite").path
        let store = try HistoryStore(path: path)
        try await Self.record(store, "r1", startedMs: 1000, row: Self.row("r1", startedMs: 1000))
        await #expect(throws: CancellationError.self) {
            try await Self.record(store, "r2", startedMs: 2000, row: nil)
        }
        #expect(try store.runs().map(\.id) == ["r1"])
        let kept = try store.sightings(matching: "a.test")
        #expect(kept.map(\.lastRun) == ["r1", "r1"] && kept.map(\.runs) == [1, 1])
        // Seen from another connection too: nothing of r2 reached the file.
        #expect(try HistoryStore(path: path).runs().map(\.id) == ["r1"])
        try await Self.record(store, "r3", startedMs: 3000, row: Self.row("r3", startedMs: 3000))
        #expect(try store.runs().map(\.id) == ["r3", "r1"])
        #expect(try store.sightings(matching: "a.test").map(\.runs) == [2, 2])
        #expect(try store.isIntact())
    }

    @Test("a history made before v2 loses its lastSeenMs index, keeps its rows, and prunes the same")
    func migratedFromV1() async throws {
        let path = try makeTemporaryFolder("egressmap-history").appendingPathComponent("history.sqlite").path
        let old = try DatabaseQueue(path: path)
        try HistoryStore.migrator.migrate(old, upTo: "v1")
        try await old.write { db in
            try db.execute(sql: """
                INSERT INTO sighting VALUES ('a.test', '192.0.2.9', 'A', 10, 10, 'r0', 1, 3, 'a.test');
                INSERT INTO sighting VALUES ('a.test', '192.0.2.1', 'A', 10, 10, 'r0', 1, 3, 'a.test')
                """)
        }
        let indexes = { (queue: DatabaseQueue) in
            try queue.read { db in try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'sighting' AND sql IS NOT NULL ORDER BY name") }
        }
        #expect(try indexes(old) == ["sighting_address", "sighting_lastSeen"])
        try old.close()

        let store = try HistoryStore(path: path)
        try await Self.record(store, "r1", startedMs: 1000, row: Self.row("r1", startedMs: 1000))
        #expect(try indexes(DatabaseQueue(path: path)) == ["sighting_address"])
        #expect(try store.sightings(matching: "a.test").map(\.address) == ["192.0.2.1", "192.0.2.9", "2001:db8::1"])
        // 192.0.2.9 was last seen at 10, before the window; 192.0.2.1 was seen again by r1.
        try store.prune(keepRuns: 10, windowMs: 500, nowMs: 1000)
        #expect(try store.sightings(matching: "a.test").map(\.address) == ["192.0.2.1", "2001:db8::1"])
    }
}
