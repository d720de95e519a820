import DNS
import Hostnames
import IPNet

/// The output forms of `egressmap resolve`: one JSON Lines object per name, or one table row per lookup.
///
/// The JSON object is described by `Schemas/resolve-line.schema.json`.
public enum ResolveReport {
    /// The name's JSON Lines object (no trailing newline).
    public static func jsonLine(_ resolution: NameResolution) -> String {
        String(decoding: jsonLineBytes(resolution), as: UTF8.self)
    }

    /// The same object as UTF-8 bytes, for streaming without a `String` in between.
    public static func jsonLineBytes(_ resolution: NameResolution) -> [UInt8] {
        var json = JSONText()
        writeJSONLine(resolution, to: &json)
        return json.bytes
    }

    /// Appends the name's JSON Lines object to `json`, which a bulk resolve reuses from line to line.
    public static func writeJSONLine(_ resolution: NameResolution, to json: inout JSONText) {
        let summary = NameSummary(resolution.lookups)
        json.beginObject()
        json.string("name", resolution.job.name.text)
        json.key("line")
        if let line = resolution.job.line { json.number(line) } else { json.null() }
        json.string("outcome", summary.outcome.rawValue)
        json.key("addresses")
        json.beginArray()
        for seen in summary.addresses {
            json.beginObject()
            json.key("address")
            json.plainString { seen.address.appendText(to: &$0) }
            json.string("type", seen.type.rawValue)
            json.number("ttl", seen.ttl)
            json.key("rounds")
            json.number(seen.rounds)
            json.key("servers")
            json.beginArray()
            for server in seen.servers { json.string(server.description) }
            json.endArray()
            json.endObject()
        }
        json.endArray()
        json.key("lookups")
        json.beginArray()
        for lookup in resolution.lookups { write(lookup, to: &json) }
        json.endArray()
        json.endObject()
    }

    private static func write(_ lookup: RoundLookup, to json: inout JSONText) {
        let answer = lookup.answer
        json.beginObject()
        json.string("type", answer.type.rawValue)
        json.string("server", answer.server.description)
        json.key("round")
        json.number(lookup.round)
        json.string("outcome", answer.outcome.rawValue)
        json.string("rcode", answer.rcode.map(rcodeName))
        json.key("elapsed_ms")
        json.number(answer.elapsed.milliseconds)
        json.number("ttl", answer.ttl)
        json.number("negative_ttl", answer.negativeTTL)
        json.key("chain")
        json.beginArray()
        for link in answer.chain {
            json.beginObject()
            json.string("name", link.name)
            json.string("target", link.target)
            json.number("ttl", link.ttl)
            json.endObject()
        }
        json.endArray()
        json.key("addresses")
        json.beginArray()
        for record in answer.addresses {
            json.beginObject()
            json.key("address")
            json.plainString { record.address.appendText(to: &$0) }
            json.number("ttl", record.ttl)
            json.endObject()
        }
        json.endArray()
        json.key("capped")
        json.bool(answer.addressesCapped)
        json.string("detail", answer.detail)
        json.endObject()
    }

    /// The mnemonic of a response code (RFC 1035, RFC 6895).
    public static func rcodeName(_ rcode: UInt8) -> String {
        switch rcode {
        case 0: "NOERROR"
        case 1: "FORMERR"
        case 2: "SERVFAIL"
        case 3: "NXDOMAIN"
        case 4: "NOTIMP"
        case 5: "REFUSED"
        default: "RCODE\(rcode)"
        }
    }

    /// Table rows for a name: one per type and server (rounds merged), columns
    /// NAME, TYPE, SERVER, OUTCOME, TTL, ANSWER (addresses, or the chain then addresses).
    public static func tableRows(_ resolution: NameResolution) -> [[String]] {
        var rows: [[String]] = []
        var listed: [Set<String>] = []
        var seenKeys: [String: Int] = [:]
        for lookup in resolution.lookups {
            let answer = lookup.answer
            let key = "\(answer.type) \(answer.server)"
            let addresses = answer.addresses.map(\.address.description)
            let chain = answer.chain.map { "\($0.target)" }
            var text = (chain.isEmpty ? [] : ["→ " + chain.joined(separator: " → ")]) + addresses
            if text.isEmpty, let detail = answer.detail { text = [detail] }
            let row = [
                resolution.job.name.text, answer.type.rawValue, answer.server.description, answer.outcome.rawValue,
                answer.ttl.map(String.init) ?? answer.negativeTTL.map { "\($0) (neg)" } ?? "-",
                text.joined(separator: " "),
            ]
            if let index = seenKeys[key] {
                // A later round: add addresses not yet listed.
                let extra = addresses.filter { !listed[index].contains($0) }
                listed[index].formUnion(extra)
                if !extra.isEmpty { rows[index][5] += " " + extra.joined(separator: " ") }
            } else {
                seenKeys[key] = rows.count
                rows.append(row)
                listed.append(Set(addresses))
            }
        }
        return rows
    }
}
