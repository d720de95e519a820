import Drift
import Foundation

/// The files of the published `allowlist/` folder that every run writes: `all.txt`, one `<proto>-<port>.txt`
/// per service, and `allowlist.json`.
public enum AllowlistDocuments {
    /// File name → bytes, for the always-written formats (`plain` and `json`).
    public static func render(_ snapshot: Snapshot) throws -> [String: Data] {
        var files: [String: Data] = [:]
        files["all.txt"] = plain(snapshot.all)
        for file in snapshot.allowlists {
            files["\(file.name).txt"] = plain(file.prefixes.map(\.prefix))
        }
        files["allowlist.json"] = try json(snapshot)
        return files
    }

    /// One prefix a line, with its length, in the order given (IPv4 first, then IPv6): the EDL form.
    public static func plain(_ prefixes: [String]) -> Data {
        Data(prefixes.map { $0 + "\n" }.joined().utf8)
    }

    /// `allowlist.json`: each prefix with its provenance (`Schemas/allowlist.schema.json`).
    public static func json(_ snapshot: Snapshot) throws -> Data {
        let document = AllowlistJSON(
            schema: "egressmap.allowlist/1", runID: snapshot.runID, generatedAt: snapshot.finishedAt,
            manifest: snapshot.manifest.name, all: snapshot.all,
            files: snapshot.allowlists.map { file in
                AllowlistJSON.File(
                    name: file.name, service: file.service, path: "\(file.name).txt",
                    prefixes: file.prefixes.map {
                        AllowlistJSON.Entry(prefix: $0.prefix, endpoints: $0.endpoints, names: $0.names, stale: $0.stale)
                    }
                )
            }
        )
        return try SnapshotCoding.encode(document)
    }
}

/// The shape of `allowlist.json`.
struct AllowlistJSON: Codable {
    struct File: Codable {
        var name: String
        var service: String
        var path: String
        var prefixes: [Entry]
    }

    struct Entry: Codable {
        var prefix: String
        var endpoints: [String]
        var names: [String]
        /// Kept from history while the names' lookups fail.
        var stale: Bool
    }

    var schema: String
    var runID: String
    var generatedAt: String
    var manifest: String
    var all: [String]
    var files: [File]

    enum CodingKeys: String, CodingKey {
        case schema, manifest, all, files
        case runID = "run_id"
        case generatedAt = "generated_at"
    }
}
