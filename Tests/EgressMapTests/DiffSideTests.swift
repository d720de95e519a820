import Foundation
import Testing
import TestSupport

@testable import Drift

/// A run reads only `DiffSide` of the previous snapshot: read from the file, it must equal the side of the
/// whole snapshot read from the same file, and a diff built from sides must be the diff of the snapshots.
@Suite("Diff side")
struct DiffSideTests {
    static func documents() throws -> [(String, Data)] {
        var documents: [(String, Data)] = try SnapshotReadingTests.fixtures.map {
            ($0, try Data(contentsOf: TestPaths.fixture($0)))
        }
        for text in SnapshotWritingTests.hostile {
            documents.append(("full \(text.debugDescription)", try SnapshotCoding.encode(SnapshotWritingTests.full(text))))
        }
        var disabled = SnapshotWritingTests.full("x")
        disabled.reachability?.enabled = false
        var none = SnapshotWritingTests.sparse()
        none.reachability = nil
        documents += [
            ("sparse", try SnapshotCoding.encode(SnapshotWritingTests.sparse())),
            ("probing off", try SnapshotCoding.encode(disabled)),
            ("no reachability", try SnapshotCoding.encode(none)),
            ("compact", try JSONEncoder().encode(SnapshotWritingTests.full("é/\"\u{1}"))),
        ]
        return documents
    }

    @Test("read from the file, it is the side of the whole snapshot")
    func sameAsWhole() throws {
        for (label, data) in try Self.documents() {
            let whole = try SnapshotCoding.decodeSnapshot(data, file: label)
            #expect(try SnapshotCoding.decodeDiffSide(data, file: label) == DiffSide(whole), "\(label)")
        }
        let full = DiffSide(SnapshotWritingTests.full("stale"))
        #expect(full.probes?.count == 1 && full.names[0].stale == ["stale"] && full.names[0].chain == ["stale"])
        #expect(full.lists.keys.sorted() == ["all", "stale"])
    }

    @Test("a diff of sides is the diff of the snapshots")
    func sameDiff() throws {
        let stored = try SnapshotCoding.decodeSnapshot(
            try Data(contentsOf: TestPaths.fixture("formats/world-snapshot.json")), file: "world"
        )
        var changed = stored
        changed.names.removeFirst()
        changed.names[0].outcome = "timeout"
        changed.all.append("198.51.100.7/32")
        let read = try SnapshotCoding.decodeDiffSide(try SnapshotCoding.encode(stored), file: "world")
        #expect(SnapshotDiff(old: read, new: DiffSide(changed)) == SnapshotDiff(old: stored, new: changed))
        #expect(!SnapshotDiff(old: stored, new: changed).same)
    }

    @Test("what it reads is checked: schema, required members, whole JSON", arguments: [
        ("", "\"schema\" : \"egressmap.snapshot/1\"", "\"schema\" : \"egressmap.snapshot/2\"",
         "found schema egressmap.snapshot/2"),
        ("", "\"lookups\" : [", "\"lookupz\" : [", "no 'lookups' member"),
        ("\"addresses\" : [", "\"source\" : \"stale\"", "\"source\" : 7", "(names[0].addresses[0].source)"),
        ("", "\"label\" : ", "\"label\" : 5, \"x\" : ", "(endpoints[0].label)"),
        ("", "\"prefix\" : ", "\"prefix\" : [], \"y\" : ", "(allowlists[0].prefixes[0].prefix)"),
        // Members it skips are checked too.
        ("\"addresses\" : [", "\"note\" : \"stale\"", "\"note\" : \"a\tb\"", "control character in a string"),
        ("\"addresses\" : [", "\"note\" : \"stale\"", "\"note\" : \"a\\qb\"", "the escape '\\q'"),
    ])
    func refused(_ after: String, _ target: String, _ replacement: String, _ fragment: String) throws {
        let text = String(decoding: try SnapshotCoding.encode(SnapshotWritingTests.full("stale")), as: UTF8.self)
        let start = after.isEmpty ? text.startIndex : try #require(text.range(of: after)).upperBound
        let range = try #require(text.range(of: target, range: start..<text.endIndex))
        let bad = text.replacingCharacters(in: range, with: replacement)
        do {
            _ = try SnapshotCoding.decodeDiffSide(Data(bad.utf8), file: "s.json")
            Issue.record("read without error")
        } catch {
            #expect(error.reason.contains(fragment), "\(error.reason)")
        }
        #expect(throws: SnapshotReadError.self) { try SnapshotCoding.decodeDiffSide(Data(text.utf8).dropLast(9), file: "s") }
    }
}
