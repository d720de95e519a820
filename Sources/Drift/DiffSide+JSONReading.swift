/// `DiffSide` read straight from a snapshot document: the members the diff needs, every other one skipped
/// unread (most of a snapshot's bytes: TTLs, servers, times, notes, findings, the matrix). Members are
/// required as `Snapshot`'s reader requires them, and the schema must be `Snapshot.currentSchema`.
extension DiffSide: JSONReadable {
    public init(json: inout JSONByteReader) throws(JSONReadError) {
        var schema: String?, runID: String?, published: Bool?, publishNote: String?, all: [String]?
        var files: [(name: String, prefixes: [String])]?, names: [Name]?, labels: [Int: String]?
        var reachability: (enabled: Bool, probes: [Probe])??, setPrefix: String?, servers: [String]?
        try json.readObject { key, json throws(JSONReadError) in
            switch key {
            case "schema": schema = try json.string()
            case "run_id": runID = try json.string()
            case "published": published = try json.bool()
            case "publish_note": publishNote = try json.optionalString()
            case "all": all = try json.strings()
            case "allowlists": files = try Self.files(&json)
            case "names": names = try json.array(of: Name.self)
            case "endpoints": labels = try Self.labels(&json)
            case "reachability": reachability = .some(try Self.probes(&json))
            case "policy": setPrefix = try Policy(json: &json).setPrefix
            case "resolvers": servers = try ResolverInfo(json: &json).servers
            default: try json.skipValue()
            }
        }
        let found = try json.required(schema, "schema")
        guard found == Snapshot.currentSchema else {
            throw json.invalid("schema \(found)", expected: Snapshot.currentSchema)
        }
        var lists = ["all": try json.required(all, "all")]
        for file in try json.required(files, "allowlists") { lists[file.name] = file.prefixes }
        let probes = reachability.flatMap { $0 }.flatMap { $0.enabled ? $0.probes : nil }
        self.init(
            runID: try json.required(runID, "run_id"), published: try json.required(published, "published"),
            publishNote: publishNote, lists: lists, names: try json.required(names, "names"),
            labels: try json.required(labels, "endpoints"), probes: probes, setPrefix: setPrefix, servers: servers
        )
    }

    /// `allowlists`: each file's name and prefixes.
    static func files(_ json: inout JSONByteReader) throws(JSONReadError) -> [(name: String, prefixes: [String])] {
        var files: [(name: String, prefixes: [String])] = []
        try json.readArray { json throws(JSONReadError) in
            var name: String?, prefixes: [String]?
            try json.readObject { key, json throws(JSONReadError) in
                switch key {
                case "name": name = try json.string()
                case "prefixes":
                    var found: [String] = []
                    try json.readArray { json throws(JSONReadError) in
                        found.append(try json.member("prefix") { json throws(JSONReadError) in try json.string() })
                    }
                    prefixes = found
                default: try json.skipValue()
                }
            }
            files.append((try json.required(name, "name"), try json.required(prefixes, "prefixes")))
        }
        return files
    }

    /// `endpoints`: each label by index.
    static func labels(_ json: inout JSONByteReader) throws(JSONReadError) -> [Int: String] {
        var labels: [Int: String] = [:]
        try json.readArray { json throws(JSONReadError) in
            var index: Int?, label: String?
            try json.readObject { key, json throws(JSONReadError) in
                switch key {
                case "index": index = try json.int()
                case "label": label = try json.string()
                default: try json.skipValue()
                }
            }
            let at = try json.required(index, "index")
            if labels[at] == nil { labels[at] = try json.required(label, "label") }
        }
        return labels
    }

    /// `reachability`: whether probing was on, and each probe's verdict; nil for `null`.
    static func probes(_ json: inout JSONByteReader) throws(JSONReadError) -> (enabled: Bool, probes: [Probe])? {
        guard !json.consumeNull() else { return nil }
        var enabled: Bool?, probes: [Probe]?
        try json.readObject { key, json throws(JSONReadError) in
            switch key {
            case "enabled": enabled = try json.bool()
            case "probes":
                var found: [Probe] = []
                try json.readArray { json throws(JSONReadError) in
                    var address: String?, port: Int?, verdict: String?
                    try json.readObject { key, json throws(JSONReadError) in
                        switch key {
                        case "address": address = try json.string()
                        case "port": port = try json.int()
                        case "verdict": verdict = try json.string()
                        default: try json.skipValue()
                        }
                    }
                    found.append(Probe(
                        address: try json.required(address, "address"), port: try json.required(port, "port"),
                        verdict: try json.required(verdict, "verdict")
                    ))
                }
                probes = found
            default: try json.skipValue()
            }
        }
        return (try json.required(enabled, "enabled"), try json.required(probes, "probes"))
    }
}

extension DiffSide.Name: JSONReadable {
    public init(json: inout JSONByteReader) throws(JSONReadError) {
        var name: String?, endpoints: [Int]?, outcome: String?, addresses: [String]?, stale: [String] = []
        var chain: [String]?, lookups = false
        try json.readObject { key, json throws(JSONReadError) in
            switch key {
            case "name": name = try json.string()
            case "endpoints": endpoints = try json.ints()
            case "outcome": outcome = try json.string()
            case "addresses":
                var found: [String] = []
                try json.readArray { json throws(JSONReadError) in
                    var address: String?, source: String?
                    try json.readObject { key, json throws(JSONReadError) in
                        switch key {
                        case "address": address = try json.string()
                        case "source": source = try json.string()
                        default: try json.skipValue()
                        }
                    }
                    let text = try json.required(address, "address")
                    if try json.required(source, "source") == "stale" { stale.append(text) }
                    found.append(text)
                }
                addresses = found
            case "lookups":
                lookups = true
                try json.readArray { json throws(JSONReadError) in
                    let targets = try json.member("chain") { json throws(JSONReadError) in
                        var targets: [String] = []
                        try json.readArray { json throws(JSONReadError) in
                            targets.append(try json.member("target") { json throws(JSONReadError) in try json.string() })
                        }
                        return targets
                    }
                    if chain == nil, !targets.isEmpty { chain = targets }
                }
            default: try json.skipValue()
            }
        }
        _ = try json.required(lookups ? true : nil, "lookups")
        self.init(
            name: try json.required(name, "name"), endpoints: try json.required(endpoints, "endpoints"),
            outcome: try json.required(outcome, "outcome"), addresses: try json.required(addresses, "addresses"),
            stale: stale, chain: chain ?? []
        )
    }
}
