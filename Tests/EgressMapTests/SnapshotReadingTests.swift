import Foundation
import Testing
import TestSupport

@testable import Drift

/// `SnapshotCoding.decodeSnapshot` reads with `JSONByteReader`: it must give what Foundation's `JSONDecoder`
/// gave for any snapshot file (other formatting, other key order, unknown members, escapes), and for bad
/// input a `SnapshotReadError` that says where and what — never a crash.
@Suite("Snapshot reading")
struct SnapshotReadingTests {
    static let fixtures = ["formats/world-snapshot.json", "formats/hostile-snapshot.json"]

    func read(_ text: String) throws(SnapshotReadError) -> Snapshot {
        try SnapshotCoding.decodeSnapshot(Data(text.utf8), file: "s.json")
    }

    /// The reason `text` is refused, or a note that it was not.
    func refusal(_ text: String) -> String {
        do {
            _ = try read(text)
            return "(read without error)"
        } catch {
            #expect(error.file == "s.json")
            return error.reason
        }
    }

    /// The world snapshot written by the current encoder: one member per line, `"key" : value`.
    func written() throws -> String {
        let url = TestPaths.fixture("formats/world-snapshot.json")
        let snapshot = try JSONDecoder().decode(Snapshot.self, from: try Data(contentsOf: url))
        return String(decoding: try SnapshotCoding.encode(snapshot), as: UTF8.self)
    }

    /// `text` with the first `target` replaced; the test fails if there is none.
    func replacing(_ target: String, with replacement: String, in text: String) -> String {
        guard let range = text.range(of: target) else {
            Issue.record("no \(target) in the document")
            return text
        }
        return text.replacingCharacters(in: range, with: replacement)
    }

    @Test("stored snapshots (another program's formatting) read as Foundation's decoder reads them", arguments: fixtures)
    func storedSnapshots(_ name: String) throws {
        let data = try Data(contentsOf: TestPaths.fixture(name))
        let read = try SnapshotCoding.decodeSnapshot(data, file: name)
        #expect(read == (try JSONDecoder().decode(Snapshot.self, from: data)))
        #expect(!read.names.isEmpty)
    }

    @Test("what the writer writes reads back equal, hostile strings included", arguments: SnapshotWritingTests.hostile)
    func roundTrip(_ text: String) throws {
        for snapshot in [SnapshotWritingTests.full(text), SnapshotWritingTests.sparse()] {
            #expect(try SnapshotCoding.decodeSnapshot(try SnapshotCoding.encode(snapshot), file: "s") == snapshot)
        }
    }

    @Test("compact JSON, keys in another order, escaped slashes and \\u escapes")
    func otherFormatting() throws {
        let snapshot = SnapshotWritingTests.full("é/🙂\u{2028}\u{1}\"")
        let encoder = JSONEncoder()  // compact, keys in any order, "/" written as "\/"
        let compact = try encoder.encode(snapshot)
        #expect(String(decoding: compact, as: UTF8.self).contains("\\/"))
        #expect(try SnapshotCoding.decodeSnapshot(compact, file: "s") == snapshot)
        var escaped = String(decoding: compact, as: UTF8.self)
        escaped = escaped.replacingOccurrences(of: "é", with: "\\u00E9").replacingOccurrences(of: "🙂", with: "\\ud83d\\ude42")
        #expect(escaped.contains("\\ud83d\\ude42"))
        #expect(try read(escaped) == snapshot)
        #expect(try read(escaped) == JSONDecoder().decode(Snapshot.self, from: Data(escaped.utf8)))
    }

    @Test("unknown members of any shape are skipped, null optionals read as nil")
    func unknownMembers() throws {
        var text = try written()
        let expected = try read(text)
        text = replacing("{", with: "{ \"future\" : {\"a\": [1, -2.5e3, true, false, null, \"x\\\"\", {}, []]},", in: text)
        text = replacing("\"outcome\" : \"ok\"", with: "\"outcome\" : \"ok\", \"extra\" : [[[0]]]", in: text)
        text = replacing("\"schema\" :", with: "\"publish_note\" : null, \"schema\" :", in: text)
        #expect(try read(text) == expected)
        #expect(try read(text) == JSONDecoder().decode(Snapshot.self, from: Data(text.utf8)))
    }

    @Test("bad input: refused with the place and the member, never a crash", arguments: [
        ("", ["line 1, column 1", "found the end of the file", "expected an object"]),
        ("import Foundation\n", ["line 1, column 1", "found 'i'"]),
        ("[]", ["expected an object"]),
        ("{\"schema\" : \"egressmap.snapshot/1\"}", ["no 'run_id' member"]),
    ])
    func badDocuments(_ text: String, _ fragments: [String]) {
        let reason = refusal(text)
        #expect(reason.hasPrefix("not a snapshot: "), "\(reason)")
        for fragment in fragments { #expect(reason.contains(fragment), "\(reason)") }
        #expect((try? JSONDecoder().decode(Snapshot.self, from: Data(text.utf8))) == nil)
    }

    @Test("bad values inside a good document", arguments: [
        ("\"ttl\" : 300", "\"ttl\" : \"300\"", ["(names[0].addresses[0].ttl)", "found a string", "expected a whole number"]),
        ("\"ttl\" : 300", "\"ttl\" : 4294967296", ["(names[0].addresses[0].ttl)", "from 0 to 4294967295"]),
        ("\"ttl\" : 300", "\"ttl\" : 30x", ["(names[0].addresses[0])", "found 'x'", "expected ',' or '}'"]),
        ("\"ttl\" : 300", "\"ttl\" : 0300", ["malformed number"]),
        ("\"ttl\" : 300", "\"ttl\" : 3.", ["expected a digit after '.'"]),
        ("\"ttl\" : 300", "\"ttl\" : -", ["(names[0].addresses[0].ttl)"]),
        ("\"ttl\" : 300", "\"ttl\" : 1e", ["expected a digit in the exponent"]),
        ("\"rounds\" : 1", "\"rounds\" : 99999999999999999999", ["(names[0].addresses[0].rounds)", "64 bits"]),
        ("\"outcome\" : \"ok\",", "", ["(names[0].lookups[0])", "no 'outcome' member"]),
        ("\"published\" : true", "\"published\" : tru", ["(published)", "expected true or false"]),
        ("\"published\" : true", "\"published\" : null", ["(published)", "expected true or false"]),
        ("\"type\" : \"A\"", "\"type\" : \"\\x\"", ["(names[0].addresses[0].type)", "the escape '\\x'"]),
        ("\"type\" : \"A\"", "\"type\" : \"\\ud800\"", ["lone UTF-16 surrogate"]),
        ("\"type\" : \"A\"", "\"type\" : \"\\udc00x\"", ["lone UTF-16 surrogate"]),
        ("\"type\" : \"A\"", "\"type\" : \"\\u12G4\"", ["four hex digits"]),
        ("\"type\" : \"A\"", "\"type\" : \"A\tB\"", ["control character in a string"]),
        ("\"type\" : \"A\"", "\"type\" : \"A", ["(names[0].addresses[0].type)"]),
        ("\"names\" : [", "\"names\" : [,", ["names[0])", "found ','", "expected a string"]),
        ("\"schema\" : \"egressmap.snapshot/1\"", "\"schema\" : \"egressmap.snapshot/9\"",
         ["schema egressmap.snapshot/9; expected egressmap.snapshot/1"]),
    ])
    func badValues(_ target: String, _ replacement: String, _ fragments: [String]) throws {
        let text = replacing(target, with: replacement, in: try written())
        let reason = refusal(text)
        for fragment in fragments { #expect(reason.contains(fragment), "\(reason)") }
        #expect(reason.contains("line ") || reason.hasPrefix("schema "), "\(reason)")
    }

    @Test("the line and column are the file's, counted in characters")
    func position() {
        let text = "{\n  \"schema\" : \"é\",\n  \"run_id\" : 5\n}"
        #expect(refusal(text) == "not a snapshot: line 3, column 14 (run_id): found a number; expected a string")
    }

    @Test("invalid UTF-8 in a string and a byte after the document")
    func bytes() throws {
        var data = Data(try written().utf8)
        let index = try #require(data.firstRange(of: Data("\"A\"".utf8))).lowerBound + 1
        var bad = data
        bad[index] = 0xFF
        #expect(throws: SnapshotReadError.self) { try SnapshotCoding.decodeSnapshot(bad, file: "s") }
        #expect((try? JSONDecoder().decode(Snapshot.self, from: bad)) == nil)
        data.append(contentsOf: Array("x".utf8))
        #expect(refusal(String(decoding: data, as: UTF8.self)).contains("more text after the snapshot"))
    }

    @Test("nesting deeper than the limit in an unknown member is refused, not a stack overflow")
    func deepNesting() {
        let text = "{\"x\" : " + String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000) + "}"
        #expect(refusal(text).contains("more than 512 nested lists and objects"))
    }

    @Test("a snapshot cut short anywhere is refused")
    func truncated() throws {
        let bytes = Array(try written().utf8)
        let cuts = Array(stride(from: 0, to: bytes.count - 1, by: 97)) + [bytes.count - 3, bytes.count - 2]
        for cut in cuts {
            #expect(throws: SnapshotReadError.self, "cut at \(cut)") {
                try SnapshotCoding.decodeSnapshot(Data(bytes[..<cut]), file: "s")
            }
        }
        #expect(try SnapshotCoding.decodeSnapshot(Data(bytes.dropLast()), file: "s").names.count > 0)
    }
}
