import Foundation

/// The one JSON form of every document egressmap writes: sorted keys, two-space indents, no escaped
/// slashes, a final newline — so equal values give equal bytes.
public enum SnapshotCoding {
    /// The document as bytes, through `PrettyJSONWriter` (the large documents: snapshot, diff, allowlist).
    /// - Throws: `NonFiniteNumber` for a NaN or infinite number, as Foundation's encoder refused them.
    public static func encode(_ value: some PrettyJSONWritable) throws(NonFiniteNumber) -> Data {
        var json = PrettyJSONWriter(capacity: 1 << 16)
        try value.write(to: &json)
        return json.finishedData()
    }

    /// The document through Foundation's `JSONEncoder`: the form itself, for the small documents, and the
    /// reference that `PrettyJSONWriter`'s output is tested against.
    @_disfavoredOverload
    public static func encode(_ value: some Encodable) throws -> Data {
        try encodeWithFoundation(value)
    }

    public static func encodeWithFoundation(_ value: some Encodable) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        var data = try encoder.encode(value)
        data.append(UInt8(ascii: "\n"))
        return data
    }

    /// Reads a snapshot file's bytes with `JSONByteReader`.
    /// - Throws: `SnapshotReadError` naming the line, column and member of malformed JSON or of a value of
    ///   the wrong kind, or a schema other than `Snapshot.currentSchema`.
    public static func decodeSnapshot(_ data: Data, file: String) throws(SnapshotReadError) -> Snapshot {
        let read: Result<Snapshot, JSONReadError> = data.withUnsafeBytes { raw in
            var json = JSONByteReader(raw.bindMemory(to: UInt8.self))
            do throws(JSONReadError) {
                let snapshot = try Snapshot(json: &json)
                guard json.atEnd() else { throw json.invalid("more text after the snapshot", expected: "nothing") }
                return .success(snapshot)
            } catch {
                return .failure(error)
            }
        }
        let snapshot: Snapshot
        switch read {
        case .success(let value): snapshot = value
        case .failure(let error): throw SnapshotReadError(file: file, reason: "not a snapshot: \(error)")
        }
        guard snapshot.schema == Snapshot.currentSchema else {
            throw SnapshotReadError(file: file, reason: "schema \(snapshot.schema); expected \(Snapshot.currentSchema)")
        }
        return snapshot
    }
}

/// A snapshot file that could not be read.
public struct SnapshotReadError: Error, Sendable, CustomStringConvertible {
    public var file: String
    public var reason: String
    public var description: String { "\(file): \(reason)" }
}
