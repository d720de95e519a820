import DNS
import IPNet

/// What a name's lookups add up to: one outcome, and every address with its TTL and how often it was seen.
public struct NameSummary: Sendable {
    public struct SeenAddress: Sendable, Hashable {
        public var address: IPAddress
        public var type: RecordType
        /// The lowest TTL it was seen with.
        public var ttl: UInt32
        /// In how many rounds it appeared (at any server).
        public var rounds: Int
        /// The servers that returned it, in configuration order.
        public var servers: [ServerAddress]
    }

    public var outcome: Outcome
    /// Sorted: IPv4 first, then IPv6, numerically.
    public var addresses: [SeenAddress]
    /// The longest CNAME chain seen (the chains of one name rarely differ; the diff stage compares them).
    public var chain: [CNAMELink]

    /// Sums up `lookups`: ok when any lookup found addresses; otherwise an answer (NODATA before NXDOMAIN)
    /// when any server gave one; otherwise the first failure.
    ///
    /// A name has a handful of addresses, so they are gathered in a list searched from the front (a
    /// dictionary and a set of rounds per address cost a tenth of a bulk resolve); an index takes over
    /// past `indexedFrom` addresses.
    public init(_ lookups: [RoundLookup]) {
        var storage = Storage()
        self.init(lookups, storage: &storage)
    }

    /// Lists a summary is built in, kept by a caller that sums up many names one after another (a bulk
    /// resolve's report): with `recycle(into:)` after each name, the lists are made once, not per name.
    public struct Storage {
        fileprivate var addresses: [SeenAddress] = []
        fileprivate var lastRound: [Int] = []
        fileprivate var sharedList: [ServerAddress] = []

        public init() {}
    }

    /// `init(_:)`, its lists taken from `storage` (and its one-server list shared with earlier names').
    public init(_ lookups: [RoundLookup], storage: inout Storage) {
        let inRoundOrder = lookups.indices.dropFirst().allSatisfy { lookups[$0 - 1].round <= lookups[$0].round }
        let ordered = inRoundOrder ? lookups : lookups.sorted { $0.round < $1.round }
        let records = ordered.reduce(0) { $0 + $1.answer.addresses.count }
        var addresses: [SeenAddress] = []
        swap(&addresses, &storage.addresses)
        addresses.reserveCapacity(records)
        // Per address, the last round counted in `rounds`; not needed (nor made) when every lookup is of
        // one round, as in a bulk resolve: each address then counts one round.
        let oneRound = ordered.first?.round == ordered.last?.round
        var lastRound: [Int] = []
        if !oneRound {
            swap(&lastRound, &storage.lastRound)
            lastRound.reserveCapacity(records)
        }
        defer {
            if !oneRound {
                lastRound.removeAll(keepingCapacity: true)
                swap(&lastRound, &storage.lastRound)
            }
        }
        var indexOf: [IPAddress: Int] = [:]
        // Most addresses come from one server: they share its one-element list instead of a list each (and
        // the names summed up with one storage share it too).
        var chain: [CNAMELink] = []
        // Fields read in place, through the list's memory: a lookup read from the list is a copy, and a copy
        // of a lookup retains a dozen references.
        ordered.withUnsafeBufferPointer { ordered in
            for position in ordered.indices {
                let round = ordered[position].round
                if ordered[position].answer.chain.count > chain.count { chain = ordered[position].answer.chain }
                for record in ordered[position].answer.addresses {
                    let index: Int
                    if let found = addresses.count > Self.indexedFrom
                        ? indexOf[record.address] : addresses.firstIndex(where: { $0.address == record.address })
                    {
                        index = found
                    } else {
                        index = addresses.count
                        addresses.append(SeenAddress(
                            address: record.address, type: ordered[position].answer.type, ttl: record.ttl,
                            rounds: oneRound ? 1 : 0, servers: []
                        ))
                        if !oneRound { lastRound.append(0) }
                        if addresses.count > Self.indexedFrom {
                            if indexOf.isEmpty {
                                for (offset, seen) in addresses.enumerated() { indexOf[seen.address] = offset }
                            } else {
                                indexOf[record.address] = index
                            }
                        }
                    }
                    addresses[index].ttl = min(addresses[index].ttl, record.ttl)
                    if !oneRound, lastRound[index] != round {
                        lastRound[index] = round
                        addresses[index].rounds += 1
                    }
                    let server = ordered[position].answer.server
                    if addresses[index].servers.isEmpty {
                        if storage.sharedList.first != server { storage.sharedList = [server] }
                        addresses[index].servers = storage.sharedList
                    } else if !addresses[index].servers.contains(server) {
                        addresses[index].servers.append(server)
                    }
                }
            }
        }
        if addresses.count > 1 { addresses.sort { $0.address < $1.address } }
        self.addresses = addresses
        self.chain = chain
        if !addresses.isEmpty {
            outcome = .ok
        } else if lookups.contains(where: { $0.answer.outcome == .nodata }) {
            outcome = .nodata
        } else if lookups.contains(where: { $0.answer.outcome == .nxdomain }) {
            outcome = .nxdomain
        } else {
            outcome = lookups.first?.answer.outcome ?? .error
        }
    }

    /// Empties the summary's address list and hands it (its memory) back to `storage` for the next name.
    public mutating func recycle(into storage: inout Storage) {
        addresses.removeAll(keepingCapacity: true)
        swap(&addresses, &storage.addresses)
    }

    /// How many addresses a name gathers before they are indexed.
    private static let indexedFrom = 16
}
