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
    static var first: Data { try! SnapshotCoding.encode(SnapshotWritingTests.full("first")) }
    static var second: Data { try! SnapshotCoding.encode(SnapshotWritingTests.full("second")) }

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
        let handle = try FileHandle(forWritingTo: folder.latest)
        try handle.truncate(atOffset: 0)
        try handle.write(contentsOf: Self.first)
        try handle.close()
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

    @Test("a latest.json that does not read gives no previous side, early or late")
    func unreadable() throws {
        let folder = try Self.folder()
        try AtomicFile.write(Data("{not json".utf8), to: folder.latest)
        let early = folder.readLatest()
        #expect(early.side == nil)
        #expect(early.problem?.hasPrefix("\(folder.latest.path): not a snapshot: line 1, column 2") == true,
            "\(early.problem ?? "no problem")")
        #expect(folder.previousRun(readEarly: early).side == nil)
        #expect(folder.previousRun(readEarly: early).problem != nil)
        // No latest.json is no problem: a first run.
        try FileManager.default.removeItem(at: folder.latest)
        #expect(folder.readLatest().problem == nil)
    }
}
