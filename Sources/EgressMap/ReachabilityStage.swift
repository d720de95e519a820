import Drift
import IPNet
import Manifest
import Probe

/// The probe stage of `egressmap run`: which (address, port) pairs to connect to, the probes, and the
/// matrix and within-range checks built from them. Works on the snapshot's own records, so what is probed
/// is exactly what the snapshot says was resolved.
///
/// What is probed: every address a host endpoint's names resolved to whose status is `emitted` or
/// `covered` (special-purpose addresses only when `--allow-special` named their block, which makes them
/// `emitted`; catch-all probe answers never), on that endpoint's TCP ports; and every such address that lies
/// inside a declared range, on the range's TCP ports. A range itself is never swept.
public enum ReachabilityStage {
    /// Who asked for one pair: a few endpoints and names, in the order they asked (two sets per pair cost a
    /// third of planning 10,000 names). Nearly every pair has one of each, held without a list. Names are
    /// held as positions in the snapshot's name records: holding each name's text retained it, a quarter of
    /// planning while the snapshot's encoder read the same texts on the other core.
    struct Askers {
        private var endpoint: Int?
        private var moreEndpoints: [Int] = []
        private var name: Int?
        private var moreNames: [Int] = []

        var endpoints: [Int] { (endpoint.map { [$0] } ?? []) + moreEndpoints }

        /// The names, from the name records the plan was made from.
        func names(in records: [NameRecord]) -> [String] {
            ((name.map { [$0] } ?? []) + moreNames).map { records[$0].name }
        }

        mutating func add(endpoint: Int, name: Int) {
            if self.endpoint == nil {
                self.endpoint = endpoint
            } else if self.endpoint != endpoint, !moreEndpoints.contains(endpoint) {
                moreEndpoints.append(endpoint)
            }
            if self.name == nil {
                self.name = name
            } else if self.name != name, !moreNames.contains(name) {
                moreNames.append(name)
            }
        }

        /// Each endpoint, without making the list.
        func forEachEndpoint(_ body: (Int) -> Void) {
            if let endpoint { body(endpoint) }
            moreEndpoints.forEach(body)
        }
    }

    /// Plans, probes (unless `settings` is nil: `--no-probe`) and summarises.
    /// - Parameters:
    ///   - manifest: for which hosts must lie `within` which range.
    ///   - endpoints: the snapshot's endpoint records.
    ///   - names: the snapshot's name records.
    ///   - settings: concurrency, timeout, retries; nil to plan without probing.
    ///   - progress: probes with a verdict, and probes in all, as they come (see `Prober.probe`).
    public static func run(
        manifest: Manifest, endpoints: [EndpointRecord], names: [NameRecord], settings: ProbeSettings?,
        progress: @escaping @Sendable (_ done: Int, _ total: Int) -> Void = { _, _ in }
    ) async -> Reachability {
        let plan = plan(endpoints: endpoints, names: names)
        let clock = ContinuousClock.now
        let results =
            if let settings {
                await Prober.probe(plan.keys.sorted(), settings: settings, progress: progress)
            } else {
                [ProbeResult]()
            }
        let elapsed = ContinuousClock.now - clock
        let probes = results.map { result -> ProbeRecord in
            let askers = plan[result.target] ?? Askers()
            let timed = result.verdict == .open || result.verdict == .refused
            return ProbeRecord(
                address: result.target.address.description, port: Int(result.target.port),
                verdict: result.verdict.rawValue, attempts: result.attempts,
                connectMs: timed ? milliseconds(result.elapsed) : nil, detail: result.detail,
                endpoints: askers.endpoints.sorted(), names: askers.names(in: names).sorted()
            )
        }
        let verdicts = Dictionary(uniqueKeysWithValues: results.map { ($0.target, $0.verdict) })
        let effective = settings ?? ProbeSettings()
        return Reachability(
            enabled: settings != nil, timeoutMs: Int(milliseconds(effective.timeout).rounded()),
            concurrency: effective.concurrency, retries: effective.retries,
            durationMs: Int(milliseconds(elapsed).rounded()), probes: probes,
            matrix: matrix(endpoints: endpoints, plan: plan, verdicts: settings == nil ? nil : verdicts),
            rangeChecks: rangeChecks(
                manifest: manifest, endpoints: endpoints, names: names, plan: plan,
                verdicts: settings == nil ? nil : verdicts
            )
        )
    }

    /// Every pair to probe, with the endpoints and names that ask for it.
    static func plan(endpoints: [EndpointRecord], names: [NameRecord]) -> [ProbeTarget: Askers] {
        var plan: [ProbeTarget: Askers] = [:]
        // Room for every address on one port, made at once: growing the table step by step cost a quarter of
        // planning 10,000 names.
        plan.reserveCapacity(names.indices.reduce(0) { $0 + names[$1].addresses.count })
        func add(_ address: IPAddress, _ ports: [UInt16], endpoint: Int, name: Int) {
            for port in ports {
                plan[ProbeTarget(address, port), default: Askers()].add(endpoint: endpoint, name: name)
            }
        }
        // The TCP ports of each host endpoint by its index (its position in the manifest), and the ranges.
        var hostPorts = [[UInt16]](repeating: [], count: (endpoints.map(\.index).max() ?? -1) + 1)
        var ranges: [(index: Int, prefix: IPPrefix, ports: [UInt16])] = []
        var ports = Self.portReader()
        for current in endpoints.indices where endpoints[current].skipped == nil {
            let tcpPorts = ports(endpoints[current].services)
            guard !tcpPorts.isEmpty else { continue }
            let index = endpoints[current].index
            if endpoints[current].kind == "range" {
                guard let text = endpoints[current].prefix, let prefix = IPPrefix(text) else { continue }
                ranges.append((index, prefix, tcpPorts))
            } else if index >= 0 {
                hostPorts[index] = tcpPorts
            }
        }
        // Each name's probeable addresses, on the ports of the host endpoints its record lists (the endpoint
        // records list the same names: they are made from these records) and of the ranges that hold them.
        // Read in place, by index: a copy of a record retained every field of it; and walked from the names,
        // not from each endpoint's list of names, which had to be looked up by text in a table of them all.
        for position in names.indices {
            let addresses = names[position].addresses
            for record in addresses.indices where isProbeable(addresses[record].status) {
                guard let address = IPAddress(addresses[record].address) else { continue }
                for endpoint in names[position].endpoints where hostPorts.indices.contains(endpoint) {
                    add(address, hostPorts[endpoint], endpoint: endpoint, name: position)
                }
                for range in ranges where range.prefix.contains(address) {
                    add(address, range.ports, endpoint: range.index, name: position)
                }
            }
        }
        return plan
    }

    /// Emitted and covered addresses are probed; special (not allowed) and catch-all probe answers are not.
    /// Given the status alone: a whole record passed in was copied, a reference count up and down for each
    /// of its texts, which cost a quarter of planning 10,000 names.
    static func isProbeable(_ status: String) -> Bool {
        status == "emitted" || status == "covered"
    }

    /// The TCP ports of one endpoint after another (`LastResult`: most endpoints of a manifest have the
    /// services of the one before).
    static func portReader() -> LastResult<[String], [UInt16]> { LastResult(tcpPorts) }

    /// The TCP ports among services such as `tcp/443`, sorted.
    static func tcpPorts(_ services: [String]) -> [UInt16] {
        var ports: [UInt16] = []
        for service in services where service.hasPrefix("tcp/") {
            if let port = UInt16(service.dropFirst(4)), !ports.contains(port) { ports.append(port) }
        }
        return ports.count > 1 ? ports.sorted() : ports
    }

    /// One cell per endpoint (not skipped) and TCP port; `verdicts` nil when probing was off.
    static func matrix(
        endpoints: [EndpointRecord], plan: [ProbeTarget: Askers], verdicts: [ProbeTarget: ProbeVerdict]?
    ) -> [MatrixCell] {
        // The cells are laid out first, then counted into in one pass over the plan: a pair finds its cell by
        // the endpoint's index (unique: its position in the manifest) and a scan of the endpoint's few ports.
        // A table keyed by endpoint and port, hashed for every pair and cell, cost half of making the matrix.
        var cells: [MatrixCell] = []
        var firstCell = [Int?](repeating: nil, count: (endpoints.map(\.index).max() ?? -1) + 1)
        var ports = Self.portReader()
        for current in endpoints.indices where endpoints[current].skipped == nil {
            let index = endpoints[current].index
            for port in ports(endpoints[current].services) {
                if index >= 0, firstCell[index] == nil { firstCell[index] = cells.count }
                cells.append(MatrixCell(
                    endpoint: index, label: endpoints[current].label, port: Int(port), total: 0, open: nil,
                    verdicts: [:]
                ))
            }
        }
        for (target, askers) in plan {
            let verdict = verdicts.map { ($0[target] ?? .error).rawValue }
            askers.forEachEndpoint { endpoint in
                guard firstCell.indices.contains(endpoint), let first = firstCell[endpoint] else { return }
                var cell = first
                while cell < cells.count, cells[cell].endpoint == endpoint {
                    if cells[cell].port == Int(target.port) {
                        cells[cell].total += 1
                        if let verdict { cells[cell].verdicts[verdict, default: 0] += 1 }
                        return
                    }
                    cell += 1
                }
            }
        }
        if verdicts != nil {
            for cell in cells.indices { cells[cell].open = cells[cell].verdicts["open", default: 0] }
        }
        return cells
    }

    /// One check per named range that some host endpoint must lie `within`.
    static func rangeChecks(
        manifest: Manifest, endpoints: [EndpointRecord], names: [NameRecord], plan: [ProbeTarget: Askers],
        verdicts: [ProbeTarget: ProbeVerdict]?
    ) -> [RangeCheck] {
        // Most manifests have no host `within` a named range: then nothing below is needed.
        let withinNames = Set(manifest.endpoints.compactMap { endpoint -> String? in
            guard case .host(let host) = endpoint else { return nil }
            return host.within?.rangeName
        })
        guard !withinNames.isEmpty else { return [] }
        let records = Dictionary(endpoints.map { ($0.index, $0) }, uniquingKeysWith: { first, _ in first })
        let byName = Dictionary(names.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        var checks: [RangeCheck] = []
        for case .range(let range) in manifest.endpoints {
            guard let rangeName = range.name, withinNames.contains(rangeName), let record = records[range.common.index]
            else { continue }
            let hosts = manifest.endpoints.compactMap { endpoint -> Int? in
                guard case .host(let host) = endpoint, host.within?.rangeName == rangeName,
                      records[host.common.index] != nil else { return nil }
                return host.common.index
            }
            guard !hosts.isEmpty else { continue }
            let hostNames = Set(hosts.flatMap { records[$0]?.names ?? [] }).sorted()
            var seen: [IPAddress: (name: NameRecord, record: AddressRecordSnapshot)] = [:]
            for name in hostNames {
                guard let nameRecord = byName[name] else { continue }
                for address in nameRecord.addresses where address.status != "probe" {
                    guard let parsed = IPAddress(address.address), seen[parsed] == nil else { continue }
                    seen[parsed] = (nameRecord, address)
                }
            }
            let inside = seen.keys.filter { range.prefix.contains($0) }
            let outside = seen.filter { !range.prefix.contains($0.key) }.sorted { $0.key < $1.key }.map { entry in
                OutsideAddress(
                    address: entry.key.description, name: entry.value.name.name,
                    chain: chain(entry.value.name, of: entry.value.record)
                )
            }
            let ports = tcpPorts(record.services).map { port -> RangePort in
                let probed = inside.map { ProbeTarget($0, port) }.filter { plan[$0] != nil }
                let open = verdicts.map { verdicts in probed.filter { verdicts[$0] == .open }.count }
                return RangePort(port: Int(port), total: probed.count, open: open)
            }
            checks.append(RangeCheck(
                endpoint: record.index, label: record.label, prefix: range.prefix.description, hosts: hosts,
                names: hostNames.count, addresses: seen.count, inside: inside.count, outside: outside, ports: ports
            ))
        }
        return checks
    }

    /// The CNAME hops that led `name` to `address`, as `name → target`: those of this run's lookups of its
    /// type; none for an address kept from history while the lookups fail (their chain did not lead to it).
    static func chain(_ name: NameRecord, of address: AddressRecordSnapshot) -> [String] {
        guard address.source != "stale" else { return [] }
        let type = address.type
        let lookup = name.lookups.first { $0.type == type && !$0.chain.isEmpty }
            ?? name.lookups.first { !$0.chain.isEmpty }
        return (lookup?.chain ?? []).map { "\($0.name) → \($0.target)" }
    }

    /// A duration in milliseconds, to the microsecond.
    static func milliseconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        let microseconds = seconds * 1_000_000 + attoseconds / 1_000_000_000_000
        return Double(microseconds) / 1000
    }
}
