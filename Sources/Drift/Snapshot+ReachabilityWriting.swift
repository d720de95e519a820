/// The reachability part of a snapshot written as bytes (see `Snapshot+JSONWriting.swift`).
extension Reachability: PrettyJSONWritable {
    public func write(to json: inout PrettyJSONWriter) throws(NonFiniteNumber) {
        json.beginObject()
        json.member("concurrency", concurrency)
        json.member("duration_ms", durationMs)
        json.member("enabled", enabled)
        try json.member("matrix", matrix)
        try json.member("probes", probes)
        try json.member("range_checks", rangeChecks)
        json.member("retries", retries)
        json.member("timeout_ms", timeoutMs)
        json.endObject()
    }
}

extension ProbeRecord: PrettyJSONWritable {
    public func write(to json: inout PrettyJSONWriter) throws(NonFiniteNumber) {
        json.beginObject()
        json.member("address", address)
        json.member("attempts", attempts)
        if let connectMs {
            json.key("connect_ms")
            try json.number(connectMs)
        }
        json.member("detail", detail)
        json.member("endpoints", endpoints)
        json.member("names", names)
        json.member("port", port)
        json.member("verdict", verdict)
        json.endObject()
    }
}

extension MatrixCell: PrettyJSONWritable {
    public func write(to json: inout PrettyJSONWriter) {
        json.beginObject()
        json.member("endpoint", endpoint)
        json.member("label", label)
        json.member("open", open)
        json.member("port", port)
        json.member("total", total)
        json.member("verdicts", verdicts)
        json.endObject()
    }
}

extension RangeCheck: PrettyJSONWritable {
    public func write(to json: inout PrettyJSONWriter) throws(NonFiniteNumber) {
        json.beginObject()
        json.member("addresses", addresses)
        json.member("endpoint", endpoint)
        json.member("hosts", hosts)
        json.member("inside", inside)
        json.member("label", label)
        json.member("names", names)
        try json.member("outside", outside)
        try json.member("ports", ports)
        json.member("prefix", prefix)
        json.endObject()
    }
}

extension OutsideAddress: PrettyJSONWritable {
    public func write(to json: inout PrettyJSONWriter) {
        json.beginObject()
        json.member("address", address)
        json.member("chain", chain)
        json.member("name", name)
        json.endObject()
    }
}

extension RangePort: PrettyJSONWritable {
    public func write(to json: inout PrettyJSONWriter) {
        json.beginObject()
        json.member("open", open)
        json.member("port", port)
        json.member("total", total)
        json.endObject()
    }
}
