/// The snapshot read from bytes with `JSONByteReader`, as its `Decodable` form read it: members in any order,
/// unknown ones skipped, an optional one missing or `null` read as nil, a required one missing an error.
extension Snapshot: JSONReadable {
    public init(json: inout JSONByteReader) throws(JSONReadError) {
        var schema: String?, runID: String?, startedAt: String?, finishedAt: String?, durationMs: Int?
        var manifest: ManifestInfo?, resolvers: ResolverInfo?, endpoints: [EndpointRecord]?, names: [NameRecord]?
        var findings: [Finding]?, counts: Counts?, allowlists: [AllowlistFile]?, all: [String]?
        var published: Bool?, publishNote: String?, policy: Policy?, reachability: Reachability?
        try json.readObject { key, json throws(JSONReadError) in
            switch key {
            case "schema": schema = try json.string()
            case "run_id": runID = try json.string()
            case "started_at": startedAt = try json.string()
            case "finished_at": finishedAt = try json.string()
            case "duration_ms": durationMs = try json.int()
            case "manifest": manifest = try ManifestInfo(json: &json)
            case "resolvers": resolvers = try ResolverInfo(json: &json)
            case "endpoints": endpoints = try json.array(of: EndpointRecord.self)
            case "names": names = try json.array(of: NameRecord.self)
            case "findings": findings = try json.array(of: Finding.self)
            case "counts": counts = try Counts(json: &json)
            case "allowlists": allowlists = try json.array(of: AllowlistFile.self)
            case "all": all = try json.strings()
            case "published": published = try json.bool()
            case "publish_note": publishNote = try json.optionalString()
            case "policy": policy = try Policy(json: &json)
            case "reachability": reachability = try json.optional(Reachability.self)
            default: try json.skipValue()
            }
        }
        self.init(
            runID: try json.required(runID, "run_id"), startedAt: try json.required(startedAt, "started_at"),
            finishedAt: try json.required(finishedAt, "finished_at"),
            durationMs: try json.required(durationMs, "duration_ms"), manifest: try json.required(manifest, "manifest"),
            resolvers: try json.required(resolvers, "resolvers"), endpoints: try json.required(endpoints, "endpoints"),
            names: try json.required(names, "names"), findings: try json.required(findings, "findings"),
            counts: try json.required(counts, "counts"), allowlists: try json.required(allowlists, "allowlists"),
            all: try json.required(all, "all"), published: try json.required(published, "published"),
            publishNote: publishNote, policy: try json.required(policy, "policy"), reachability: reachability
        )
        // As read: `SnapshotCoding.decodeSnapshot` names a snapshot of another schema.
        self.schema = try json.required(schema, "schema")
    }
}

extension Policy: JSONReadable {
    public init(json: inout JSONByteReader) throws(JSONReadError) {
        var retainMs: Int64?, staleLimitMs: Int64?, maxShrinkPercent: Double?, forced: Bool?, setPrefix: String?
        try json.readObject { key, json throws(JSONReadError) in
            switch key {
            case "retain_ms": retainMs = try json.int64()
            case "stale_limit_ms": staleLimitMs = try json.int64()
            case "max_shrink_percent": maxShrinkPercent = try json.double()
            case "forced": forced = try json.bool()
            case "set_prefix": setPrefix = try json.optionalString()
            default: try json.skipValue()
            }
        }
        self.init(
            retainMs: try json.required(retainMs, "retain_ms"), staleLimitMs: try json.required(staleLimitMs, "stale_limit_ms"),
            maxShrinkPercent: try json.required(maxShrinkPercent, "max_shrink_percent"),
            forced: try json.required(forced, "forced"), setPrefix: setPrefix
        )
    }
}

extension ManifestInfo: JSONReadable {
    public init(json: inout JSONByteReader) throws(JSONReadError) {
        var name: String?, source: String?, sha256: String?, variables: [String: String]?
        var region: String?, os: String?
        try json.readObject { key, json throws(JSONReadError) in
            switch key {
            case "name": name = try json.string()
            case "source": source = try json.string()
            case "sha256": sha256 = try json.string()
            case "variables": variables = try json.stringsByKey()
            case "region": region = try json.optionalString()
            case "os": os = try json.optionalString()
            default: try json.skipValue()
            }
        }
        self.init(
            name: try json.required(name, "name"), source: try json.required(source, "source"),
            sha256: try json.required(sha256, "sha256"), variables: try json.required(variables, "variables"),
            region: region, os: os
        )
    }
}

extension ResolverInfo: JSONReadable {
    public init(json: inout JSONByteReader) throws(JSONReadError) {
        var profile: String?, mode: String?, servers: [String]?, timeoutMs: Int?, tries: Int?, rounds: Int?
        try json.readObject { key, json throws(JSONReadError) in
            switch key {
            case "profile": profile = try json.string()
            case "mode": mode = try json.string()
            case "servers": servers = try json.strings()
            case "timeout_ms": timeoutMs = try json.int()
            case "tries": tries = try json.int()
            case "rounds": rounds = try json.int()
            default: try json.skipValue()
            }
        }
        self.init(
            profile: try json.required(profile, "profile"), mode: try json.required(mode, "mode"),
            servers: try json.required(servers, "servers"), timeoutMs: try json.required(timeoutMs, "timeout_ms"),
            tries: try json.required(tries, "tries"), rounds: try json.required(rounds, "rounds")
        )
    }
}

extension EndpointRecord: JSONReadable {
    public init(json: inout JSONByteReader) throws(JSONReadError) {
        var index: Int?, label: String?, kind: String?, location: String?, services: [String]?
        var purpose: String?, region: String?, os: [String]?, prefix: String?, names: [String]?, skipped: String?
        try json.readObject { key, json throws(JSONReadError) in
            switch key {
            case "index": index = try json.int()
            case "label": label = try json.string()
            case "kind": kind = try json.string()
            case "location": location = try json.string()
            case "services": services = try json.strings()
            case "purpose": purpose = try json.optionalString()
            case "region": region = try json.optionalString()
            case "os": os = try json.strings()
            case "prefix": prefix = try json.optionalString()
            case "names": names = try json.strings()
            case "skipped": skipped = try json.optionalString()
            default: try json.skipValue()
            }
        }
        self.init(
            index: try json.required(index, "index"), label: try json.required(label, "label"),
            kind: try json.required(kind, "kind"), location: try json.required(location, "location"),
            services: try json.required(services, "services"), purpose: purpose, region: region,
            os: try json.required(os, "os"), prefix: prefix, names: try json.required(names, "names"), skipped: skipped
        )
    }
}

extension Finding: JSONReadable {
    public init(json: inout JSONByteReader) throws(JSONReadError) {
        var kind: String?, severity: String?, endpoint: Int?, name: String?, address: String?, chain: [String]?
        var message: String?
        try json.readObject { key, json throws(JSONReadError) in
            switch key {
            case "kind": kind = try json.string()
            case "severity": severity = try json.string()
            case "endpoint": endpoint = try json.optionalInt()
            case "name": name = try json.optionalString()
            case "address": address = try json.optionalString()
            case "chain": chain = try json.strings()
            case "message": message = try json.string()
            default: try json.skipValue()
            }
        }
        self.init(
            kind: try json.required(kind, "kind"), severity: try json.required(severity, "severity"), endpoint: endpoint,
            name: name, address: address, chain: try json.required(chain, "chain"),
            message: try json.required(message, "message")
        )
    }
}

extension Counts: JSONReadable {
    public init(json: inout JSONByteReader) throws(JSONReadError) {
        var endpoints: Int?, names: Int?, namesOK: Int?, namesFailed: Int?, addresses: Int?, prefixes: Int?
        try json.readObject { key, json throws(JSONReadError) in
            switch key {
            case "endpoints": endpoints = try json.int()
            case "names": names = try json.int()
            case "names_ok": namesOK = try json.int()
            case "names_failed": namesFailed = try json.int()
            case "addresses": addresses = try json.int()
            case "prefixes": prefixes = try json.int()
            default: try json.skipValue()
            }
        }
        self.init(
            endpoints: try json.required(endpoints, "endpoints"), names: try json.required(names, "names"),
            namesOK: try json.required(namesOK, "names_ok"), namesFailed: try json.required(namesFailed, "names_failed"),
            addresses: try json.required(addresses, "addresses"), prefixes: try json.required(prefixes, "prefixes")
        )
    }
}

extension AllowlistFile: JSONReadable {
    public init(json: inout JSONByteReader) throws(JSONReadError) {
        var name: String?, service: String?, prefixes: [AllowlistEntry]?
        try json.readObject { key, json throws(JSONReadError) in
            switch key {
            case "name": name = try json.string()
            case "service": service = try json.string()
            case "prefixes": prefixes = try json.array(of: AllowlistEntry.self)
            default: try json.skipValue()
            }
        }
        self.init(
            name: try json.required(name, "name"), service: try json.required(service, "service"),
            prefixes: try json.required(prefixes, "prefixes")
        )
    }
}

extension AllowlistEntry: JSONReadable {
    public init(json: inout JSONByteReader) throws(JSONReadError) {
        var prefix: String?, endpoints: [String]?, names: [String]?, stale: Bool?
        try json.readObject { key, json throws(JSONReadError) in
            switch key {
            case "prefix": prefix = try json.string()
            case "endpoints": endpoints = try json.strings()
            case "names": names = try json.strings()
            case "stale": stale = try json.bool()
            default: try json.skipValue()
            }
        }
        self.init(
            prefix: try json.required(prefix, "prefix"), endpoints: try json.required(endpoints, "endpoints"),
            names: try json.required(names, "names"), stale: try json.required(stale, "stale")
        )
    }
}
