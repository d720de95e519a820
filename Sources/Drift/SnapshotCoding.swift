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

    /// The document's bytes handed to `sink` piece by piece as they are written, about `pieceBytes` at a time
    /// (see `PrettyJSONWriter.init(handingOverEvery:to:)`): for a document too large to hold whole, the
    /// snapshot.
    /// - Returns: whether `sink` took every piece.
    public static func encode(
        _ value: some PrettyJSONWritable, handingOverEvery pieceBytes: Int = 1 << 18,
        to sink: @escaping (UnsafeRawBufferPointer) -> Bool
    ) throws(NonFiniteNumber) -> Bool {
        var json = PrettyJSONWriter(handingOverEvery: pieceBytes, to: sink)
        try value.write(to: &json)
        return json.finishHandingOver()
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
        let snapshot = try read(Snapshot.self, data, file: file)
        guard snapshot.schema == Snapshot.currentSchema else {
            throw SnapshotReadError(file: file, reason: "schema \(snapshot.schema); expected \(Snapshot.currentSchema)")
        }
        return snapshot
    }

    /// Reads only what the diff needs of a snapshot file (`DiffSide`), skipping the rest.
    /// - Throws: `SnapshotReadError` as `decodeSnapshot` does, for what it reads.
    public static func decodeDiffSide(_ data: Data, file: String) throws(SnapshotReadError) -> DiffSide {
        try read(DiffSide.self, data, file: file)
    }

    /// One JSON document of `type`, with nothing after it.
    static func read<Value: JSONReadable>(_ type: Value.Type, _ data: Data, file: String) throws(SnapshotReadError)
        -> Value
    {
        let read: Result<Value, JSONReadError> = data.withUnsafeBytes { raw in
            var json = JSONByteReader(raw.bindMemory(to: UInt8.self))
            do throws(JSONReadError) {
                let value = try Value(json: &json)
                guard json.atEnd() else { throw json.invalid("more text after the snapshot", expected: "nothing") }
                return .success(value)
            } catch {
                return .failure(error)
            }
        }
        switch read {
        case .success(let value): return value
        case .failure(let error): throw SnapshotReadError(file: file, reason: "not a snapshot: \(error)")
        }
    }
}

/// A snapshot file that could not be read.
public struct SnapshotReadError: Error, Sendable, CustomStringConvertible {
    public var file: String
    public var reason: String
    public var description: String { "\(file): \(reason)" }
}
