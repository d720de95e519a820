import Foundation

/// The one JSON form of every document egressmap writes: sorted keys, two-space indents, no escaped
/// slashes, a final newline — so equal values give equal bytes.
public enum SnapshotCoding {
    public static func encode(_ value: some Encodable) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        var data = try encoder.encode(value)
        data.append(UInt8(ascii: "\n"))
        return data
    }

    public static func decodeSnapshot(_ data: Data, file: String) throws(SnapshotReadError) -> Snapshot {
        let snapshot: Snapshot
        do {
            snapshot = try JSONDecoder().decode(Snapshot.self, from: data)
        } catch {
            throw SnapshotReadError(file: file, reason: "not a snapshot: \(error)")
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
