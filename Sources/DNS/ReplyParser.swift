import IPNet

/// What a reply says about one question, before it becomes a `LookupAnswer`.
struct ParsedReply: Equatable {
    var rcode: UInt8
    var outcome: Outcome
    var chain: [CNAMELink]
    var addresses: [AddressRecord]
    var ttl: UInt32?
    var negativeTTL: UInt32?
    var addressesCapped: Bool
    var detail: String?
}

/// Room for a reply's answer records while it is read, kept by a caller that reads many replies (a batch):
/// the list is made once, not once per reply.
struct ReplyScratch {
    fileprivate var records: [ReplyParser.Record] = []

    init() {}
}

/// Reads a reply to a query for `name` and `type`, in Swift, with every length checked.
///
/// The chain is followed by owner name, not by position, so records out of order are fine; records for
/// other owners, of other types, and duplicates are dropped. A CNAME loop, a chain longer than `chainCap`,
/// or a CNAME to something that is not a host name make the reply a `badresponse`.
enum ReplyParser {
    static let chainCap = ReplyParserLimits.chainCap
    static let addressCap = ReplyParserLimits.addressCap

    fileprivate struct Record {
        var owner: String
        var type: UInt16
        var ttl: UInt32
        var data: Data
        enum Data {
            case address(IPAddress)
            case name(String)
            case soaMinimum(UInt32)
            case other
        }
    }

    static func parse(_ bytes: [UInt8], name: String, type: RecordType) -> ParsedReply {
        var scratch = ReplyScratch()
        return parse(bytes, name: name, type: type, scratch: &scratch)
    }

    /// `parse(_:name:type:)` with the records kept in `scratch` while the reply is read.
    static func parse(_ bytes: [UInt8], name: String, type: RecordType, scratch: inout ReplyScratch) -> ParsedReply {
        defer { scratch.records.removeAll(keepingCapacity: true) }  // the owners' names released now
        do {
            return try read(bytes, name: name, type: type, into: &scratch.records)
        } catch {
            return ParsedReply(
                rcode: bytes.count >= 4 ? bytes[3] & 0x0F : 0, outcome: .badresponse, chain: [], addresses: [],
                ttl: nil, negativeTTL: nil, addressesCapped: false, detail: error.description
            )
        }
    }

    private static func read(
        _ bytes: [UInt8], name: String, type: RecordType, into answerRecords: inout [Record]
    ) throws(WireError) -> ParsedReply {
        var reader = WireReader(bytes)
        _ = try reader.u16()  // ID: c-ares matched it
        let flags = try reader.u16()
        let rcode = UInt8(flags & 0x000F)
        let questions = try reader.u16()
        let answers = try reader.u16()
        let authorities = try reader.u16()
        _ = try reader.u16()
        for _ in 0..<questions {
            _ = try reader.questionName(asked: name)
            try reader.skip(4)
        }
        answerRecords.removeAll(keepingCapacity: true)
        // A record takes at least 11 bytes: a count past what the bytes can hold reserves no more than that.
        answerRecords.reserveCapacity(min(Int(answers), bytes.count / 11))
        for _ in 0..<answers { answerRecords.append(try record(&reader)) }
        var soaMinimum: UInt32? = nil
        for _ in 0..<authorities {
            let record = try record(&reader, owned: false)
            if case .soaMinimum(let minimum) = record.data {
                soaMinimum = min(record.ttl, minimum)
            }
        }

        let outcome: Outcome
        var detail: String? = nil
        switch rcode {
        case 0: outcome = .ok  // refined below
        case 1: (outcome, detail) = (.error, "the server said FORMERR")
        case 2: outcome = .servfail
        case 3: outcome = .nxdomain
        case 4: (outcome, detail) = (.error, "the server said NOTIMP")
        case 5: outcome = .refused
        default: (outcome, detail) = (.error, "the server said RCODE \(rcode)")
        }
        // Each way out makes its reply whole, once: a reply built up in a variable was copied on return.
        guard rcode == 0 || rcode == 3 else {
            return ParsedReply(
                rcode: rcode, outcome: outcome, chain: [], addresses: [], ttl: nil, negativeTTL: nil,
                addressesCapped: false, detail: detail
            )
        }

        let (chain, problem) = follow(from: name, through: answerRecords)
        if let problem {
            return ParsedReply(
                rcode: rcode, outcome: .badresponse, chain: chain, addresses: [], ttl: nil, negativeTTL: nil,
                addressesCapped: false, detail: problem
            )
        }
        if rcode == 3 {
            return ParsedReply(
                rcode: rcode, outcome: outcome, chain: chain, addresses: [], ttl: nil, negativeTTL: soaMinimum,
                addressesCapped: false, detail: detail
            )
        }
        let owner = chain.last?.target ?? name
        let ofType = answerRecords.reduce(0) { $0 + ($1.type == type.code ? 1 : 0) }
        var addresses: [AddressRecord] = []
        var capped = false
        if ofType > 0 { addresses.reserveCapacity(min(ofType, addressCap)) }  // none: no list made
        var seen = Set<IPAddress>()  // filled past 16 addresses; until then the short list is searched
        answerRecords.withUnsafeBufferPointer { records in  // read in place: a record read from the list is a copy
            for index in records.indices where records[index].type == type.code && records[index].owner == owner {
                guard case .address(let address) = records[index].data else { continue }
                if addresses.count < 16 {
                    guard !addresses.contains(where: { $0.address == address }) else { continue }
                    if addresses.count == 15 { seen = Set(addresses.map(\.address) + [address]) }
                } else {
                    guard seen.insert(address).inserted else { continue }
                }
                guard addresses.count < addressCap else {
                    capped = true
                    break
                }
                addresses.append(AddressRecord(address: address, ttl: records[index].ttl))
            }
        }
        var ttl: UInt32? = nil
        for link in chain { ttl = min(ttl ?? link.ttl, link.ttl) }
        for record in addresses { ttl = min(ttl ?? record.ttl, record.ttl) }
        return ParsedReply(
            rcode: rcode, outcome: addresses.isEmpty ? .nodata : .ok, chain: chain, addresses: addresses, ttl: ttl,
            negativeTTL: addresses.isEmpty ? soaMinimum : nil, addressesCapped: capped, detail: nil
        )
    }

    /// Follows CNAMEs from `name`; returns the chain and, if it cannot be trusted, why.
    ///
    /// Each hop is the first CNAME owned by the current name, found by a scan: a chain is capped at
    /// `chainCap` links, and a table of aliases and a set of names visited cost more than the scans.
    private static func follow(from name: String, through records: [Record]) -> ([CNAMELink], String?) {
        guard records.contains(where: { $0.type == WireType.cname }) else { return ([], nil) }
        var chain: [CNAMELink] = []
        var current = name
        while let record = records.first(where: { $0.type == WireType.cname && $0.owner == current }),
            case .name(let target) = record.data
        {
            guard chain.count < chainCap else {
                return (chain, "CNAME chain longer than \(chainCap) links")
            }
            // Visited: the name asked and every target so far.
            let loops = target == name || chain.contains { $0.target == target }
            chain.append(CNAMELink(name: current, target: target, ttl: record.ttl))
            guard !loops else { return (chain, "CNAME loop at \(target)") }
            guard isHostName(target) else { return (chain, "CNAME target \(target) is not a host name") }
            current = target
        }
        return (chain, nil)
    }

    /// Whether a presentation-form name read from a reply is a plain host name (no escapes, no `*`).
    private static func isHostName(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."):
                true
            default: false
            }
        }
    }

    /// The record at the cursor; its owner is read only when `owned` (an authority record's is not used).
    private static func record(_ reader: inout WireReader, owned: Bool = true) throws(WireError) -> Record {
        var owner = ""
        if owned { owner = try reader.name() } else { try reader.skipName() }
        let type = try reader.u16()
        let recordClass = try reader.u16()
        let ttl = TTL.clamped(try reader.u32())
        let length = Int(try reader.u16())
        guard reader.remaining >= length else { throw .recordPastEnd(at: reader.offset) }
        let end = reader.offset + length
        var data = Record.Data.other
        if recordClass == WireType.classIN {
            switch type {
            case WireType.a:
                guard length == 4 else { throw .badRecordLength(type: type, length: length) }
                data = .address(.v4(IPv4Address(try reader.u32())))
            case WireType.aaaa:
                guard length == 16 else { throw .badRecordLength(type: type, length: length) }
                data = .address(.v6(IPv6Address(high: try reader.u64(), low: try reader.u64())))
            case WireType.cname:
                data = .name(try reader.name())
                guard reader.offset == end else { throw .badRecordLength(type: type, length: length) }
            case WireType.soa:
                try reader.skipName()
                try reader.skipName()
                try reader.skip(16)
                data = .soaMinimum(TTL.clamped(try reader.u32()))
                guard reader.offset == end else { throw .badRecordLength(type: type, length: length) }
            default:
                break
            }
        }
        reader.offset = end
        return Record(owner: owner, type: type, ttl: ttl, data: data)
    }
}
