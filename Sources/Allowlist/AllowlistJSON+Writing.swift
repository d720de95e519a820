import Drift

/// `allowlist.json` written as bytes (see `PrettyJSONWriter`), in the bytes Foundation's encoder gave for an
/// `AllowlistJSON`: it holds every prefix with its names, nearly a snapshot's size.
extension AllowlistJSON {
    /// The document of `snapshot`'s allowlists, written straight from the snapshot: building an
    /// `AllowlistJSON` first copied every entry (its prefix, endpoints and names), and iterating it copied each
    /// again. The snapshot's lists are read in place by position.
    static func write(of snapshot: Snapshot, to json: inout PrettyJSONWriter) {
        json.beginObject()
        json.member("all", snapshot.all)
        json.key("files")
        json.beginArray()
        let files = snapshot.allowlists
        for file in files.indices {
            json.element()
            json.beginObject()
            json.member("name", files[file].name)
            json.member("path", path(of: files[file]))
            json.key("prefixes")
            json.beginArray()
            let prefixes = files[file].prefixes
            for entry in prefixes.indices {
                json.element()
                json.beginObject()
                json.member("endpoints", prefixes[entry].endpoints)
                json.member("names", prefixes[entry].names)
                json.member("prefix", prefixes[entry].prefix)
                json.member("stale", prefixes[entry].stale)
                json.endObject()
            }
            json.endArray()
            json.member("service", files[file].service)
            json.endObject()
        }
        json.endArray()
        json.member("generated_at", snapshot.finishedAt)
        json.member("manifest", snapshot.manifest.name)
        json.member("run_id", snapshot.runID)
        json.member("schema", currentSchema)
        json.endObject()
    }

    /// The document's `schema`.
    static let currentSchema = "egressmap.allowlist/1"

    /// A file's `path`: its plain list beside `allowlist.json`.
    static func path(of file: AllowlistFile) -> String { "\(file.name).txt" }
}
