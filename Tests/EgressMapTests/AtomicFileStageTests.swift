import Foundation
import Testing
import TestSupport

@testable import EgressMap

/// A file staged ahead (written and synced under a temporary name) appears at its destination only when
/// committed, and leaves nothing behind when discarded; staged into several files, each is a copy of its own.
@Suite("Atomic file staging")
struct AtomicFileStageTests {
    func entries(_ folder: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
    }

    @Test("stage, then commit: the destination appears whole, the temporary name goes")
    func commit() throws {
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let destination = folder.appendingPathComponent("snapshot.json")
        try AtomicFile.write(Data("old\n".utf8), to: destination)
        let staged = try AtomicFile.stage(Data("new\n".utf8), for: destination)
        #expect(try Data(contentsOf: destination) == Data("old\n".utf8))
        #expect(try Data(contentsOf: staged.temporary) == Data("new\n".utf8))
        try staged.commit()
        #expect(try Data(contentsOf: destination) == Data("new\n".utf8))
        #expect(try entries(folder) == ["snapshot.json"])
    }

    @Test("stage, then discard: nothing is left and the destination is untouched")
    func discard() throws {
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let destination = folder.appendingPathComponent("snapshot.json")
        try AtomicFile.stage(Data("never\n".utf8), for: destination).discard()
        #expect(try entries(folder).isEmpty)
    }

    @Test("staged into two files: the same bytes in each, and writing through one leaves the other alone")
    func copies() throws {
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let stored = folder.appendingPathComponent("run1.md")
        let newest = folder.appendingPathComponent("diff.md")
        try AtomicFile.write(Data("old\n".utf8), to: newest)
        let staged = try AtomicFile.stage(Data("one\n".utf8), for: [stored, newest])
        #expect(staged.map(\.destination) == [stored, newest])
        #expect(try Data(contentsOf: newest) == Data("old\n".utf8))
        for file in staged { try file.commit() }
        #expect(try Data(contentsOf: stored) == Data("one\n".utf8))
        #expect(try Data(contentsOf: newest) == Data("one\n".utf8))
        try overwriteInPlace(newest)
        #expect(try Data(contentsOf: stored) == Data("one\n".utf8))
        #expect(try entries(folder) == ["diff.md", "run1.md"])
    }

    @Test("staged while it is made: the pieces in order; a producer that throws leaves nothing behind")
    func producing() throws {
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let destination = folder.appendingPathComponent("snapshot.json")
        let staged = try AtomicFile.stage(for: destination) { write in
            for piece in ["{\n", "  \"a\" : 1", "\n}\n"] {
                #expect(Data(piece.utf8).withUnsafeBytes { write($0) })
            }
        }
        #expect(try entries(folder) == [staged.temporary.lastPathComponent])
        try staged.commit()
        #expect(try Data(contentsOf: destination) == Data("{\n  \"a\" : 1\n}\n".utf8))

        struct Stopped: Error {}
        #expect(throws: Stopped.self) {
            try AtomicFile.stage(for: folder.appendingPathComponent("other.json")) { write in
                _ = Data("half".utf8).withUnsafeBytes { write($0) }
                throw Stopped()
            }
        }
        #expect(try entries(folder) == ["snapshot.json"])
    }

    @Test("staged into two files at once: the same bytes in each, two files; a producer that throws leaves neither")
    func producingTwo() throws {
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("run1.json")
        let latest = folder.appendingPathComponent("latest.json")
        let staged = try AtomicFile.stage(for: [file, latest]) { write in
            for piece in ["{\n", "  \"a\" : 1", "\n}\n"] {
                #expect(Data(piece.utf8).withUnsafeBytes { write($0) })
            }
        }
        #expect(staged.map(\.destination) == [file, latest])
        for each in staged { try each.commit() }
        #expect(try Data(contentsOf: file) == Data("{\n  \"a\" : 1\n}\n".utf8))
        #expect(try Data(contentsOf: latest) == Data("{\n  \"a\" : 1\n}\n".utf8))
        let links = try FileManager.default.attributesOfItem(atPath: latest.path)[.referenceCount] as? Int
        #expect(links == 1)
        try Data("changed\n".utf8).write(to: latest)
        #expect(try Data(contentsOf: file) == Data("{\n  \"a\" : 1\n}\n".utf8))

        struct Stopped: Error {}
        #expect(throws: Stopped.self) {
            try AtomicFile.stage(for: [folder.appendingPathComponent("run2.json"), latest]) { write in
                _ = Data("half".utf8).withUnsafeBytes { write($0) }
                throw Stopped()
            }
        }
        #expect(try entries(folder) == ["latest.json", "run1.json"])
    }
}
