import DNS
import Hostnames
import IPNet

/// The JSON Lines form of `egressmap resolve`: one object per name (the table is `ResolveTable`).
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
    ///
    /// The members are laid out here as fragments, keys and punctuation together (`,"ttl":`): a bulk
    /// resolve writes a line of about 800 bytes per name, and a call per key and value cost as much CPU as
    /// parsing the replies. `ResolveReportTests` hold the layout against lines written by hand.
    public static func writeJSONLine(_ resolution: NameResolution, to json: inout JSONText) {
        var summaries = NameSummary.Storage()
        writeJSONLine(resolution, to: &json, summaries: &summaries)
    }

    /// `writeJSONLine(_:to:)`, the name's summary built in `summaries`, which a bulk resolve also reuses.
    public static func writeJSONLine(
        _ resolution: NameResolution, to json: inout JSONText, summaries: inout NameSummary.Storage
    ) {
        var summary = NameSummary(resolution.lookups, storage: &summaries)
        defer { summary.recycle(into: &summaries) }
        json.beginObject()
        json.fragment("\"name\":")
        json.fragmentValue(resolution.job.name.text)
        if let line = resolution.job.line {
            json.fragment(",\"line\":")
            json.fragmentValue(line)
        } else {
            json.fragment(",\"line\":null")
        }
        json.fragment(",\"outcome\":")
        json.fragment(quoted(summary.outcome))
        json.fragment(",\"addresses\":[")
        for index in summary.addresses.indices {
            json.fragment(index == 0 ? "{\"address\":" : ",{\"address\":")
            json.fragmentValue(summary.addresses[index].address)
            json.fragment(
                summary.addresses[index].type == .a ? ",\"type\":\"A\",\"ttl\":" : ",\"type\":\"AAAA\",\"ttl\":"
            )
            json.fragmentValue(summary.addresses[index].ttl)
            json.fragment(",\"rounds\":")
            json.fragmentValue(summary.addresses[index].rounds)
            json.fragment(",\"servers\":[")
            summary.addresses[index].servers.withUnsafeBufferPointer { servers in  // read in place, not copied
                for position in servers.indices {
                    if position > 0 { json.fragment(",") }
                    json.fragmentValue(servers[position].description)
                }
            }
            json.fragment("]}")
        }
        json.fragment("],\"lookups\":[")
        resolution.lookups.withUnsafeBufferPointer { lookups in  // read in place: a lookup read from the list
            for index in lookups.indices {  // is a copy, and a copy retains a dozen references
                if index > 0 { json.fragment(",") }
                write(lookups.baseAddress! + index, to: &json)
            }
        }
        json.fragment("]")
        json.endObject()
    }

    /// Writes one lookup's object. Given by its address: a lookup passed as a value was copied first (the
    /// caller cannot prove `json` does not reach the list), a dozen reference counts per lookup.
    private static func write(_ lookup: UnsafePointer<RoundLookup>, to json: inout JSONText) {
        json.fragment(
            lookup.pointee.answer.type == .a ? "{\"type\":\"A\",\"server\":" : "{\"type\":\"AAAA\",\"server\":"
        )
        json.fragmentValue(lookup.pointee.answer.server.description)
        json.fragment(",\"round\":")
        json.fragmentValue(lookup.pointee.round)
        json.fragment(",\"outcome\":")
        json.fragment(quoted(lookup.pointee.answer.outcome))
        json.fragment(",\"rcode\":")
        if let rcode = lookup.pointee.answer.rcode {
            if let name = quotedRcodeName(rcode) { json.fragment(name) } else { json.fragmentValue(rcodeName(rcode)) }
        } else {
            json.fragment("null")
        }
        json.fragment(",\"elapsed_ms\":")
        let elapsed = lookup.pointee.answer.elapsed.components  // once: each reading divides a 128-bit number
        json.fragmentValue(Double(elapsed.seconds) * 1000 + Double(elapsed.attoseconds) / 1e15)  // as `milliseconds`
        json.fragment(",\"ttl\":")
        if let ttl = lookup.pointee.answer.ttl { json.fragmentValue(ttl) } else { json.fragment("null") }
        json.fragment(",\"negative_ttl\":")
        if let ttl = lookup.pointee.answer.negativeTTL { json.fragmentValue(ttl) } else { json.fragment("null") }
        json.fragment(",\"chain\":[")
        lookup.pointee.answer.chain.withUnsafeBufferPointer { chain in  // read in place, not copied
            for position in chain.indices {
                json.fragment(position == 0 ? "{\"name\":" : ",{\"name\":")
                json.fragmentValue(chain[position].name)
                json.fragment(",\"target\":")
                json.fragmentValue(chain[position].target)
                json.fragment(",\"ttl\":")
                json.fragmentValue(chain[position].ttl)
                json.fragment("}")
            }
        }
        json.fragment("],\"addresses\":[")
        for (position, record) in lookup.pointee.answer.addresses.enumerated() {  // plain values: nothing to retain
            json.fragment(position == 0 ? "{\"address\":" : ",{\"address\":")
            json.fragmentValue(record.address)
            json.fragment(",\"ttl\":")
            json.fragmentValue(record.ttl)
            json.fragment("}")
        }
        json.fragment(
            lookup.pointee.answer.addressesCapped ? "],\"capped\":true,\"detail\":" : "],\"capped\":false,\"detail\":"
        )
        if let detail = lookup.pointee.answer.detail { json.fragmentValue(detail) } else { json.fragment("null") }
        json.fragment("}")
    }

    /// `outcome.rawValue` as a JSON string, written in the source.
    static func quoted(_ outcome: Outcome) -> StaticString {
        switch outcome {
        case .ok: "\"ok\""
        case .nodata: "\"nodata\""
        case .nxdomain: "\"nxdomain\""
        case .servfail: "\"servfail\""
        case .refused: "\"refused\""
        case .timeout: "\"timeout\""
        case .badresponse: "\"badresponse\""
        case .error: "\"error\""
        }
    }

    /// `rcodeName(rcode)` as a JSON string written in the source, for the codes with a mnemonic.
    static func quotedRcodeName(_ rcode: UInt8) -> StaticString? {
        switch rcode {
        case 0: "\"NOERROR\""
        case 1: "\"FORMERR\""
        case 2: "\"SERVFAIL\""
        case 3: "\"NXDOMAIN\""
        case 4: "\"NOTIMP\""
        case 5: "\"REFUSED\""
        default: nil
        }
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
}
