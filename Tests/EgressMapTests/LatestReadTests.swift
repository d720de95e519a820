import Drift
import Foundation
import Testing
import TestSupport

@testable import EgressMap

/// A run reads `latest.json` before it holds the folder's lock (while its manifest loads), and uses that read
/// only if the file is still the one in place once it holds the lock.
@Suite("Reading the previous snapshot early")
struct LatestReadTests {
    // Made at each use, not kept in a `static let`: LeakSanitizer reports a `Data(bytesNoCopy:)` held by a global
    // until exit as a leak (see scripts/lsan-suppressions.txt).
    static var first: Data { published("first") }
    static var second: Data { published("second") }

    /// A run that published: the side of one that did not is not what the diff compares with (see
    /// `previousRun`, and `unpublished` below).
    static func published(_ text: String) -> Data {
        var snapshot = SnapshotWritingTests.full(text)
        snapshot.published = true
        return try! SnapshotCoding.encode(snapshot)
    }

    static func side(_ data: Data) throws -> DiffSide { try SnapshotCoding.decodeDiffSide(data, file: "test") }

    static func folder() throws -> OutputFolder {
        let folder = OutputFolder(try makeTemporaryFolder("egressmap-latest").path)
        try folder.prepare()
        return folder
    }

    @Test("the early read is used while its file is in place, and read again once another run replaced it")
    func replaced() throws {
        #expect(try Self.side(Self.first) != Self.side(Self.second))
        let folder = try Self.folder()
        try AtomicFile.write(Self.first, to: folder.latest)
        let early = folder.readLatest()
        #expect(early.side == (try Self.side(Self.first)))
        #expect(folder.previousRun(readEarly: early).side == (try Self.side(Self.first)))
        try AtomicFile.write(Self.second, to: folder.latest)  // a new file, as every run writes it
        #expect(folder.previousRun(readEarly: early).side == (try Self.side(Self.second)))
    }

    @Test("while the file is in place, the early read is what is used, not a second read")
    func usedAsRead() throws {
        let folder = try Self.folder()
        try AtomicFile.write(Self.first, to: folder.latest)
        let early = folder.readLatest()
        let marked = LatestRead(source: early.source, side: try Self.side(Self.second))
        #expect(folder.previousRun(readEarly: marked).side == (try Self.side(Self.second)))
    }

    @Test("a file changed in place (no run does that) is read again too")
    func changedInPlace() throws {
        let folder = try Self.folder()
        try AtomicFile.write(Self.first, to: folder.latest)
        let early = folder.readLatest()
        Thread.sleep(forTimeInterval: 0.01)  // a change time of its own, on file systems with coarse clocks
        try overwriteInPlace(folder.latest, with: Self.first)
        let marked = LatestRead(source: early.source, side: try Self.side(Self.second))
        #expect(folder.previousRun(readEarly: marked).side == (try Self.side(Self.first)))
    }

    @Test("no latest.json when read early: none, unless a run wrote one meanwhile")
    func noneYet() throws {
        let folder = try Self.folder()
        let early = folder.readLatest()
        #expect(early.side == nil)
        #expect(folder.previousRun(readEarly: early).side == nil)
        try AtomicFile.write(Self.first, to: folder.latest)
        #expect(folder.previousRun(readEarly: early).side == (try Self.side(Self.first)))
    }

    @Test("after a run that published nothing: the published run's side, none before any, or the latest with why")
    func unpublished() throws {
        let folder = try Self.folder()
        let refused = try SnapshotCoding.encode(SnapshotWritingTests.full("refused"))
        try AtomicFile.write(refused, to: folder.latest)
        #expect(try Self.side(refused).published == false)
        #expect(folder.previousRun(readEarly: nil).side == nil, "nothing was ever published")
        #expect(folder.previousRun(readEarly: nil).warning == nil)

        let publishedRun = try Self.side(Self.first).runID
        try folder.publish([:], runID: publishedRun)
        let missing = folder.previousRun(readEarly: nil)
        #expect(missing.side == (try Self.side(refused)))
        #expect(missing.warning == "\(folder.snapshots.path)/\(publishedRun).json: no such file, or not readable; "
            + "this run's diff is against run refused, which published nothing, not against run \(publishedRun), "
            + "whose allowlists are in place")

        try AtomicFile.write(Self.first, to: folder.snapshots.appendingPathComponent("\(publishedRun).json"))
        let found = folder.previousRun(readEarly: folder.readLatest())
        #expect(found.side == (try Self.side(Self.first)))
        #expect(found.warning == nil)
    }

    @Test("a latest.json that does not read or is gone: the published run's side, said; none before any run")
    func unreadable() throws {
        let folder = try Self.folder()
        try AtomicFile.write(Data("{not json".utf8), to: folder.latest)
        let early = folder.readLatest()
        #expect(early.side == nil)
        let problem = "\(folder.latest.path): not a snapshot: line 1, column 2"
        #expect(early.problem?.hasPrefix(problem) == true, "\(early.problem ?? "no problem")")
        let alone = folder.previousRun(readEarly: early)
        #expect(alone.side == nil)
        #expect(alone.warning?.hasPrefix(problem) == true, "\(alone.warning ?? "no warning")")
        #expect(alone.warning?.hasSuffix("; this run's diff lists everything as added (its allowlists come from the "
            + "history, and are not affected)") == true, "\(alone.warning ?? "no warning")")

        // With allowlists in place, their run is what the diff compares with.
        let publishedRun = try Self.side(Self.first).runID
        try folder.publish([:], runID: publishedRun)
        try AtomicFile.write(Self.first, to: folder.snapshots.appendingPathComponent("\(publishedRun).json"))
        let beside = folder.previousRun(readEarly: early)
        #expect(beside.side == (try Self.side(Self.first)))
        #expect(beside.warning?.hasPrefix(problem) == true)
        #expect(beside.warning?.hasSuffix("; this run's diff is against run \(publishedRun), whose allowlists are "
            + "in place") == true, "\(beside.warning ?? "no warning")")
        try FileManager.default.removeItem(at: folder.latest)
        let gone = folder.previousRun(readEarly: nil)
        #expect(gone.side == (try Self.side(Self.first)))
        #expect(gone.warning == "\(folder.latest.path) is missing; this run's diff is against run \(publishedRun), "
            + "whose allowlists are in place")

        // No latest.json and nothing published is no problem: a first run.
        let fresh = try Self.folder()
        #expect(fresh.readLatest().problem == nil)
        #expect(fresh.previousRun(readEarly: nil).side == nil && fresh.previousRun(readEarly: nil).warning == nil)
    }
}
