import Hostnames
import IPNet

/// One address from an answer, with its own TTL (already clamped: see `TTL.clamped`).
public struct AddressRecord: Sendable, Hashable {
    public var address: IPAddress
    public var ttl: UInt32

    public init(address: IPAddress, ttl: UInt32) {
        self.address = address
        self.ttl = ttl
    }
}

/// One hop of a CNAME chain: `name` is an alias for `target`.
///
/// Names read from a reply are untrusted: they are kept in presentation form, lower case, with any byte
/// outside `[a-z0-9-_*]` written as `\DDD` and a dot inside a label as `\.`.
public struct CNAMELink: Sendable, Hashable {
    public var name: String
    public var target: String
    public var ttl: UInt32

    public init(name: String, target: String, ttl: UInt32) {
        self.name = name
        self.target = target
        self.ttl = ttl
    }
}

/// Everything one lookup of one name and type at one server found out.
public struct LookupAnswer: Sendable {
    public var name: DomainName
    public var type: RecordType
    public var server: ServerAddress
    public var outcome: Outcome
    /// The reply's response code, when a reply was read.
    public var rcode: UInt8?
    /// The CNAME chain from `name` to the owner of the addresses, in order.
    public var chain: [CNAMELink]
    /// The addresses of `type` at the end of the chain, without duplicates, in answer order.
    public var addresses: [AddressRecord]
    /// The minimum TTL over the chain and the addresses (nil without either).
    public var ttl: UInt32?
    /// For NXDOMAIN and NODATA: the SOA minimum (RFC 2308), when the reply carried the SOA.
    public var negativeTTL: UInt32?
    /// Whether more addresses came than the per-name cap keeps.
    public var addressesCapped: Bool
    /// Time from sending the query to its outcome.
    public var elapsed: Duration
    /// Why, for outcomes other than ok/nodata/nxdomain; a readable sentence.
    public var detail: String?

    public init(
        name: DomainName, type: RecordType, server: ServerAddress, outcome: Outcome, rcode: UInt8? = nil,
        chain: [CNAMELink] = [], addresses: [AddressRecord] = [], ttl: UInt32? = nil, negativeTTL: UInt32? = nil,
        addressesCapped: Bool = false, elapsed: Duration = .zero, detail: String? = nil
    ) {
        self.name = name
        self.type = type
        self.server = server
        self.outcome = outcome
        self.rcode = rcode
        self.chain = chain
        self.addresses = addresses
        self.ttl = ttl
        self.negativeTTL = negativeTTL
        self.addressesCapped = addressesCapped
        self.elapsed = elapsed
        self.detail = detail
    }
}

/// TTL rules shared by every answer.
public enum TTL {
    /// The longest TTL egressmap believes: 7 days.
    public static let maximum: UInt32 = 604_800

    /// A TTL as received, made safe: one with the high bit set counts as 0 (RFC 2181 §8), and none
    /// exceeds `maximum`.
    public static func clamped(_ raw: UInt32) -> UInt32 {
        raw & 0x8000_0000 != 0 ? 0 : min(raw, maximum)
    }
}
