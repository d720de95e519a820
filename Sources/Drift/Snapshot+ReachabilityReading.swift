/// The reachability part of a snapshot read from bytes (see `Snapshot+JSONReading.swift`).
extension Reachability: JSONReadable {
    public init(json: inout JSONByteReader) throws(JSONReadError) {
        var enabled: Bool?, timeoutMs: Int?, concurrency: Int?, retries: Int?, durationMs: Int?
        var probes: [ProbeRecord]?, matrix: [MatrixCell]?, rangeChecks: [RangeCheck]?
        try json.readObject { key, json throws(JSONReadError) in
            switch key {
            case "enabled": enabled = try json.bool()
            case "timeout_ms": timeoutMs = try json.int()
            case "concurrency": concurrency = try json.int()
            case "retries": retries = try json.int()
            case "duration_ms": durationMs = try json.int()
            case "probes": probes = try json.array(of: ProbeRecord.self)
            case "matrix": matrix = try json.array(of: MatrixCell.self)
            case "range_checks": rangeChecks = try json.array(of: RangeCheck.self)
            default: try json.skipValue()
            }
        }
        self.init(
            enabled: try json.required(enabled, "enabled"), timeoutMs: try json.required(timeoutMs, "timeout_ms"),
            concurrency: try json.required(concurrency, "concurrency"), retries: try json.required(retries, "retries"),
            durationMs: try json.required(durationMs, "duration_ms"), probes: try json.required(probes, "probes"),
            matrix: try json.required(matrix, "matrix"), rangeChecks: try json.required(rangeChecks, "range_checks")
        )
    }
}

extension ProbeRecord: JSONReadable {
    public init(json: inout JSONByteReader) throws(JSONReadError) {
        var address: String?, port: Int?, verdict: String?, attempts: Int?, connectMs: Double?, detail: String?
        var endpoints: [Int]?, names: [String]?
        try json.readObject { key, json throws(JSONReadError) in
            switch key {
            case "address": address = try json.string()
            case "port": port = try json.int()
            case "verdict": verdict = try json.string()
            case "attempts": attempts = try json.int()
            case "connect_ms": connectMs = try json.optionalDouble()
            case "detail": detail = try json.optionalString()
            case "endpoints": endpoints = try json.ints()
            case "names": names = try json.strings()
            default: try json.skipValue()
            }
        }
        self.init(
            address: try json.required(address, "address"), port: try json.required(port, "port"),
            verdict: try json.required(verdict, "verdict"), attempts: try json.required(attempts, "attempts"),
            connectMs: connectMs, detail: detail, endpoints: try json.required(endpoints, "endpoints"),
            names: try json.required(names, "names")
        )
    }
}

extension MatrixCell: JSONReadable {
    public init(json: inout JSONByteReader) throws(JSONReadError) {
        var endpoint: Int?, label: String?, port: Int?, total: Int?, open: Int?, verdicts: [String: Int]?
        try json.readObject { key, json throws(JSONReadError) in
            switch key {
            case "endpoint": endpoint = try json.int()
            case "label": label = try json.string()
            case "port": port = try json.int()
            case "total": total = try json.int()
            case "open": open = try json.optionalInt()
            case "verdicts": verdicts = try json.intsByKey()
            default: try json.skipValue()
            }
        }
        self.init(
            endpoint: try json.required(endpoint, "endpoint"), label: try json.required(label, "label"),
            port: try json.required(port, "port"), total: try json.required(total, "total"), open: open,
            verdicts: try json.required(verdicts, "verdicts")
        )
    }
}

extension RangeCheck: JSONReadable {
    public init(json: inout JSONByteReader) throws(JSONReadError) {
        var endpoint: Int?, label: String?, prefix: String?, hosts: [Int]?, names: Int?, addresses: Int?
        var inside: Int?, outside: [OutsideAddress]?, ports: [RangePort]?
        try json.readObject { key, json throws(JSONReadError) in
            switch key {
            case "endpoint": endpoint = try json.int()
            case "label": label = try json.string()
            case "prefix": prefix = try json.string()
            case "hosts": hosts = try json.ints()
            case "names": names = try json.int()
            case "addresses": addresses = try json.int()
            case "inside": inside = try json.int()
            case "outside": outside = try json.array(of: OutsideAddress.self)
            case "ports": ports = try json.array(of: RangePort.self)
            default: try json.skipValue()
            }
        }
        self.init(
            endpoint: try json.required(endpoint, "endpoint"), label: try json.required(label, "label"),
            prefix: try json.required(prefix, "prefix"), hosts: try json.required(hosts, "hosts"),
            names: try json.required(names, "names"), addresses: try json.required(addresses, "addresses"),
            inside: try json.required(inside, "inside"), outside: try json.required(outside, "outside"),
            ports: try json.required(ports, "ports")
        )
    }
}

extension OutsideAddress: JSONReadable {
    public init(json: inout JSONByteReader) throws(JSONReadError) {
        var address: String?, name: String?, chain: [String]?
        try json.readObject { key, json throws(JSONReadError) in
            switch key {
            case "address": address = try json.string()
            case "name": name = try json.string()
            case "chain": chain = try json.strings()
            default: try json.skipValue()
            }
        }
        self.init(
            address: try json.required(address, "address"), name: try json.required(name, "name"),
            chain: try json.required(chain, "chain")
        )
    }
}

extension RangePort: JSONReadable {
    public init(json: inout JSONByteReader) throws(JSONReadError) {
        var port: Int?, total: Int?, open: Int?
        try json.readObject { key, json throws(JSONReadError) in
            switch key {
            case "port": port = try json.int()
            case "total": total = try json.int()
            case "open": open = try json.optionalInt()
            default: try json.skipValue()
            }
        }
        self.init(port: try json.required(port, "port"), total: try json.required(total, "total"), open: open)
    }
}
