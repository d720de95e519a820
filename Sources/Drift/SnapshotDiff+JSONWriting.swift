/// `diff.json` written as bytes (see `PrettyJSONWriter`): keys in UTF-8 byte order, nil members left out,
/// as Foundation's encoder wrote them.
extension SnapshotDiff: PrettyJSONWritable {
    public func write(to json: inout PrettyJSONWriter) throws(NonFiniteNumber) {
        json.beginObject()
        try json.member("allowlists", allowlists)
        json.member("headline", headline)
        try json.member("names", names)
        json.member("new_run", newRun)
        json.member("old_run", oldRun)
        try json.member("probes", probes)
        json.member("publish_note", publishNote)
        json.member("published", published)
        json.member("same", same)
        json.member("schema", schema)
        json.endObject()
    }
}

extension SnapshotDiff.ListChange: PrettyJSONWritable {
    public func write(to json: inout PrettyJSONWriter) {
        json.beginObject()
        json.member("added", added)
        json.member("count", count)
        json.member("name", name)
        json.member("removed", removed)
        json.endObject()
    }
}

extension SnapshotDiff.NameChange: PrettyJSONWritable {
    public func write(to json: inout PrettyJSONWriter) {
        json.beginObject()
        json.member("added", added)
        json.member("aged_out", agedOut)
        if let chain {
            json.key("chain")
            json.beginObject()
            json.member("new", chain.new)
            json.member("old", chain.old)
            json.endObject()
        }
        json.member("change", change)
        json.member("endpoints", endpoints)
        json.member("kept_stale", keptStale)
        json.member("name", name)
        if let outcome {
            json.key("outcome")
            json.beginObject()
            json.member("new", outcome.new)
            json.member("old", outcome.old)
            json.endObject()
        }
        json.member("reason", reason)
        json.endObject()
    }
}

extension SnapshotDiff.ProbeChange: PrettyJSONWritable {
    public func write(to json: inout PrettyJSONWriter) {
        json.beginObject()
        json.member("address", address)
        json.member("new", new)
        json.member("old", old)
        json.member("port", port)
        json.endObject()
    }
}
