/// The names of a snapshot read from bytes (see `Snapshot+JSONReading.swift`): most of its bytes.
extension NameRecord: JSONReadable {
    public init(json: inout JSONByteReader) throws(JSONReadError) {
        var name: String?, role: String?, zone: String?, endpoints: [Int]?, services: [String]?, outcome: String?
        var lookups: [LookupRecord]?, addresses: [AddressRecordSnapshot]?
        try json.readObject { key, json throws(JSONReadError) in
            switch key {
            case "name": name = try json.string()
            case "role": role = try json.string()
            case "zone": zone = try json.optionalString()
            case "endpoints": endpoints = try json.ints()
            case "services": services = try json.strings()
            case "outcome": outcome = try json.string()
            case "lookups": lookups = try json.array(of: LookupRecord.self)
            case "addresses": addresses = try json.array(of: AddressRecordSnapshot.self)
            default: try json.skipValue()
            }
        }
        self.init(
            name: try json.required(name, "name"), role: try json.required(role, "role"), zone: zone,
            endpoints: try json.required(endpoints, "endpoints"), services: try json.required(services, "services"),
            outcome: try json.required(outcome, "outcome"), lookups: try json.required(lookups, "lookups"),
            addresses: try json.required(addresses, "addresses")
        )
    }
}

extension LookupRecord: JSONReadable {
    public init(json: inout JSONByteReader) throws(JSONReadError) {
        var server: String?, type: String?, outcome: String?, rounds: [String: Int]?, chain: [ChainLink]?
        var ttl: UInt32?, negativeTTL: UInt32?, detail: String?
        try json.readObject { key, json throws(JSONReadError) in
            switch key {
            case "server": server = try json.string()
            case "type": type = try json.string()
            case "outcome": outcome = try json.string()
            case "rounds": rounds = try json.intsByKey()
            case "chain": chain = try json.array(of: ChainLink.self)
            case "ttl": ttl = try json.optionalUInt32()
            case "negative_ttl": negativeTTL = try json.optionalUInt32()
            case "detail": detail = try json.optionalString()
            default: try json.skipValue()
            }
        }
        self.init(
            server: try json.required(server, "server"), type: try json.required(type, "type"),
            outcome: try json.required(outcome, "outcome"), rounds: try json.required(rounds, "rounds"),
            chain: try json.required(chain, "chain"), ttl: ttl, negativeTTL: negativeTTL, detail: detail
        )
    }
}

extension ChainLink: JSONReadable {
    public init(json: inout JSONByteReader) throws(JSONReadError) {
        var name: String?, target: String?, ttl: UInt32?
        try json.readObject { key, json throws(JSONReadError) in
            switch key {
            case "name": name = try json.string()
            case "target": target = try json.string()
            case "ttl": ttl = try json.uint32()
            default: try json.skipValue()
            }
        }
        self.init(
            name: try json.required(name, "name"), target: try json.required(target, "target"),
            ttl: try json.required(ttl, "ttl")
        )
    }
}

extension AddressRecordSnapshot: JSONReadable {
    public init(json: inout JSONByteReader) throws(JSONReadError) {
        var address: String?, type: String?, ttl: UInt32?, rounds: Int?, servers: [String]?, status: String?
        var note: String?, emittedFor: [String]?, source: String?, firstSeen: String?, lastSeen: String?
        try json.readObject { key, json throws(JSONReadError) in
            switch key {
            case "address": address = try json.string()
            case "type": type = try json.string()
            case "ttl": ttl = try json.uint32()
            case "rounds": rounds = try json.int()
            case "servers": servers = try json.strings()
            case "status": status = try json.string()
            case "note": note = try json.optionalString()
            case "emitted_for": emittedFor = try json.strings()
            case "source": source = try json.string()
            case "first_seen": firstSeen = try json.string()
            case "last_seen": lastSeen = try json.string()
            default: try json.skipValue()
            }
        }
        self.init(
            address: try json.required(address, "address"), type: try json.required(type, "type"),
            ttl: try json.required(ttl, "ttl"), rounds: try json.required(rounds, "rounds"),
            servers: try json.required(servers, "servers"), status: try json.required(status, "status"), note: note,
            emittedFor: try json.required(emittedFor, "emitted_for"), source: try json.required(source, "source"),
            firstSeen: try json.required(firstSeen, "first_seen"), lastSeen: try json.required(lastSeen, "last_seen")
        )
    }
}
