import Foundation
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
}
