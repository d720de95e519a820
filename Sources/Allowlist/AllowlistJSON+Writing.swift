import Drift

/// `allowlist.json` written as bytes (see `PrettyJSONWriter`), in the bytes Foundation's encoder gave: it
/// holds every prefix with its names, nearly a snapshot's size.
extension AllowlistJSON: PrettyJSONWritable {
    func write(to json: inout PrettyJSONWriter) {
        json.beginObject()
        json.member("all", all)
        json.key("files")
        json.beginArray()
        for file in files {
            json.element()
            json.beginObject()
            json.member("name", file.name)
            json.member("path", file.path)
            json.key("prefixes")
            json.beginArray()
            for entry in file.prefixes {
                json.element()
                json.beginObject()
                json.member("endpoints", entry.endpoints)
                json.member("names", entry.names)
                json.member("prefix", entry.prefix)
                json.member("stale", entry.stale)
                json.endObject()
            }
            json.endArray()
            json.member("service", file.service)
            json.endObject()
        }
        json.endArray()
        json.member("generated_at", generatedAt)
        json.member("manifest", manifest)
        json.member("run_id", runID)
        json.member("schema", schema)
        json.endObject()
    }
}
