/// The snapshot written as bytes (see `PrettyJSONWriter`): keys in UTF-8 byte order, the optional ones left
/// out when nil — the bytes Foundation's encoder gave, which `SnapshotWritingTests` checks.
extension Snapshot: PrettyJSONWritable {
    public func write(to json: inout PrettyJSONWriter) throws(NonFiniteNumber) {
        json.beginObject()
        json.member("all", all)
        try json.member("allowlists", allowlists)
        json.key("counts")
        counts.write(to: &json)
        json.member("duration_ms", durationMs)
        try json.member("endpoints", endpoints)
        try json.member("findings", findings)
        json.member("finished_at", finishedAt)
        json.key("manifest")
        manifest.write(to: &json)
        try json.member("names", names)
        json.key("policy")
        try policy.write(to: &json)
        json.member("publish_note", publishNote)
        json.member("published", published)
        if let reachability {
            json.key("reachability")
            try reachability.write(to: &json)
        }
        json.key("resolvers")
        resolvers.write(to: &json)
        json.member("run_id", runID)
        json.member("schema", schema)
        json.member("started_at", startedAt)
        json.endObject()
    }
}

extension PrettyJSONWriter {
    /// An array of values that write themselves.
    public mutating func array(_ values: [some PrettyJSONWritable]) throws(NonFiniteNumber) {
        beginArray()
        // Through the buffer: each element writes itself in place, where `for value in values` (or the
        // array's subscript) copied every record first.
        try values.withUnsafeBufferPointer { (buffer) throws(NonFiniteNumber) in
            for index in buffer.indices {
                handOverIfDue()
                element()
                try buffer[index].write(to: &self)
            }
        }
        endArray()
    }

    /// A member whose value is an array of values that write themselves.
    public mutating func member(_ name: StaticString, _ values: [some PrettyJSONWritable]) throws(NonFiniteNumber) {
        key(name)
        try array(values)
    }
}

extension Policy: PrettyJSONWritable {
    public func write(to json: inout PrettyJSONWriter) throws(NonFiniteNumber) {
        json.beginObject()
        json.member("forced", forced)
        json.key("max_shrink_percent")
        try json.number(maxShrinkPercent)
        json.member("retain_ms", retainMs)
        if let setPrefix { json.member("set_prefix", setPrefix) }
        json.member("stale_limit_ms", staleLimitMs)
        json.endObject()
    }
}

extension ManifestInfo: PrettyJSONWritable {
    public func write(to json: inout PrettyJSONWriter) {
        json.beginObject()
        json.member("name", name)
        json.member("os", os)
        json.member("region", region)
        json.member("sha256", sha256)
        json.member("source", source)
        json.member("variables", variables)
        json.endObject()
    }
}

extension ResolverInfo: PrettyJSONWritable {
    public func write(to json: inout PrettyJSONWriter) {
        json.beginObject()
        json.member("mode", mode)
        json.member("profile", profile)
        json.member("rounds", rounds)
        json.member("servers", servers)
        json.member("timeout_ms", timeoutMs)
        json.member("tries", tries)
        json.endObject()
    }
}

extension EndpointRecord: PrettyJSONWritable {
    public func write(to json: inout PrettyJSONWriter) {
        json.beginObject()
        json.member("index", index)
        json.member("kind", kind)
        json.member("label", label)
        json.member("location", location)
        json.member("names", names)
        json.member("os", os)
        json.member("prefix", prefix)
        json.member("purpose", purpose)
        json.member("region", region)
        json.member("services", services)
        json.member("skipped", skipped)
        json.endObject()
    }
}

extension NameRecord: PrettyJSONWritable {
    public func write(to json: inout PrettyJSONWriter) throws(NonFiniteNumber) {
        json.beginObject()
        try json.member("addresses", addresses)
        json.member("endpoints", endpoints)
        try json.member("lookups", lookups)
        json.member("name", name)
        json.member("outcome", outcome)
        json.member("role", role)
        json.member("services", services)
        json.member("zone", zone)
        json.endObject()
    }
}

extension LookupRecord: PrettyJSONWritable {
    public func write(to json: inout PrettyJSONWriter) throws(NonFiniteNumber) {
        json.beginObject()
        try json.member("chain", chain)
        json.member("detail", detail)
        json.member("negative_ttl", negativeTTL)
        json.member("outcome", outcome)
        json.member("rounds", rounds)
        json.member("server", server)
        json.member("ttl", ttl)
        json.member("type", type)
        json.endObject()
    }
}

extension ChainLink: PrettyJSONWritable {
    public func write(to json: inout PrettyJSONWriter) {
        json.beginObject()
        json.member("name", name)
        json.member("target", target)
        json.member("ttl", ttl)
        json.endObject()
    }
}

extension AddressRecordSnapshot: PrettyJSONWritable {
    public func write(to json: inout PrettyJSONWriter) {
        json.beginObject()
        json.member("address", address)
        json.member("emitted_for", emittedFor)
        json.member("first_seen", firstSeen)
        json.member("last_seen", lastSeen)
        json.member("note", note)
        json.member("rounds", rounds)
        json.member("servers", servers)
        json.member("source", source)
        json.member("status", status)
        json.member("ttl", ttl)
        json.member("type", type)
        json.endObject()
    }
}

extension Finding: PrettyJSONWritable {
    public func write(to json: inout PrettyJSONWriter) {
        json.beginObject()
        json.member("address", address)
        json.member("chain", chain)
        json.member("endpoint", endpoint)
        json.member("kind", kind)
        json.member("message", message)
        json.member("name", name)
        json.member("severity", severity)
        json.endObject()
    }
}

extension Counts: PrettyJSONWritable {
    public func write(to json: inout PrettyJSONWriter) {
        json.beginObject()
        json.member("addresses", addresses)
        json.member("endpoints", endpoints)
        json.member("names", names)
        json.member("names_failed", namesFailed)
        json.member("names_ok", namesOK)
        json.member("prefixes", prefixes)
        json.endObject()
    }
}

extension AllowlistFile: PrettyJSONWritable {
    public func write(to json: inout PrettyJSONWriter) throws(NonFiniteNumber) {
        json.beginObject()
        json.member("name", name)
        try json.member("prefixes", prefixes)
        json.member("service", service)
        json.endObject()
    }
}

extension AllowlistEntry: PrettyJSONWritable {
    public func write(to json: inout PrettyJSONWriter) {
        json.beginObject()
        json.member("endpoints", endpoints)
        json.member("names", names)
        json.member("prefix", prefix)
        json.member("stale", stale)
        json.endObject()
    }
}
