import Allowlist
import DNS
import Drift
import Hostnames
import IPNet
import Manifest

/// The classify stage: from the expansion and what DNS said, to name records, findings and the
/// contributions the allowlists are built from. A pure function, testable without a network.
public struct Classifier: Sendable {
    public var expansion: Expansion
    /// Special-purpose blocks the user allowed with `--allow-special`.
    public var allowSpecial: [IPPrefix]
    /// What the history knew of each name before this run.
    public var priors: [String: [Sighting]]
    public var retention: Retention
    /// Whether every server is asked every name (the union mode): each may see addresses the others do not
    /// (geo-DNS), so one server's failure leaves the addresses only it gives unknown (see `failedTypes`).
    public var union: Bool

    /// The safety rules of DESIGN.md: an address stays while seen within `retainMs` by a name still in the
    /// manifest; while a name's lookups fail, its addresses stay (stale) up to `staleLimitMs` after last seen.
    public struct Retention: Sendable {
        public var nowMs: Int64
        public var retainMs: Int64
        public var staleLimitMs: Int64

        public init(nowMs: Int64, retainMs: Int64, staleLimitMs: Int64) {
            self.nowMs = nowMs
            self.retainMs = retainMs
            self.staleLimitMs = staleLimitMs
        }
    }

    public init(
        expansion: Expansion, allowSpecial: [IPPrefix] = [], priors: [String: [Sighting]] = [:],
        retention: Retention = Retention(nowMs: 0, retainMs: 0, staleLimitMs: 0), union: Bool = false
    ) {
        self.expansion = expansion
        self.allowSpecial = allowSpecial
        self.priors = priors
        self.retention = retention
        self.union = union
    }

    /// An address to classify: from this run's answer, or kept from history.
    struct Candidate {
        var address: IPAddress
        /// `address` as text, made once.
        var text: String
        var type: String
        var ttl: UInt32
        var rounds: Int
        var servers: [String]
        var source: String
        var firstSeenMs: Int64
        var lastSeenMs: Int64
    }

    /// This run's addresses of a name, then those the history keeps for it: a type whose every lookup failed
    /// keeps its addresses (stale) up to the stale limit; otherwise they stay within the retention window.
    func candidates(
        for name: String, _ summary: NameSummary, failedTypes: Set<String>, serverTexts: inout ServerTexts
    ) -> [Candidate] {
        let sightings = priors[name] ?? []
        // A name has a handful of sightings: scanned, not hashed, unless it has many.
        let prior = sightings.count <= TextLookup.scanLimit
            ? [:] : Dictionary(sightings.map { ($0.address, $0.firstSeenMs) }, uniquingKeysWith: { a, _ in a })
        func firstSeen(_ text: String) -> Int64? {
            sightings.count <= TextLookup.scanLimit ? sightings.first { $0.address == text }?.firstSeenMs : prior[text]
        }
        var result = summary.addresses.map { seen in
            let text = seen.address.description
            return Candidate(
                address: seen.address, text: text, type: seen.type.rawValue, ttl: seen.ttl, rounds: seen.rounds,
                servers: serverTexts(seen.servers), source: "answer",
                firstSeenMs: firstSeen(text) ?? retention.nowMs,
                lastSeenMs: retention.nowMs
            )
        }
        // A name the history does not know (every name of a first run) has nothing more; its addresses come
        // sorted from the summary.
        guard !sightings.isEmpty else { return result }
        // Usually every sighting was seen again: then there is nothing to add, nor to sort.
        let fresh = TextLookup(result.map(\.text))
        var others = sightings.indices.filter { !fresh.contains(sightings[$0].address) }
        guard !others.isEmpty else { return result }
        others.sort { sightings[$0].address < sightings[$1].address }
        for sighting in others.lazy.map({ sightings[$0] }) {
            let failed = failedTypes.contains(sighting.type)
            let age = retention.nowMs - sighting.lastSeenMs
            guard failed ? age <= retention.staleLimitMs : (retention.retainMs > 0 && age <= retention.retainMs),
                let address = IPAddress(sighting.address)
            else { continue }
            result.append(Candidate(
                address: address, text: address.description, type: sighting.type, ttl: 0, rounds: 0, servers: [],
                source: failed ? "stale" : "retained", firstSeenMs: sighting.firstSeenMs,
                lastSeenMs: sighting.lastSeenMs
            ))
        }
        return result.sorted { $0.address < $1.address }
    }

    /// Texts to test membership in: scanned for the handful a name has, hashed past `scanLimit`.
    struct TextLookup {
        static let scanLimit = 16
        private let list: [String]
        private let set: Set<String>?

        init(_ list: [String]) {
            self.list = list
            set = list.count > Self.scanLimit ? Set(list) : nil
        }

        func contains(_ text: String) -> Bool { set?.contains(text) ?? list.contains(text) }
    }

    /// The servers' texts of one address after another (`LastResult`: nearly every address has the servers
    /// of the one before).
    typealias ServerTexts = LastResult<[ServerAddress], [String]>
    static func serverTexts() -> ServerTexts { ServerTexts { $0.map(\.description) } }

    /// The services' texts of one target or endpoint after another (`LastResult`: nearly every one has the
    /// services of the one before).
    typealias ServiceTexts = LastResult<[Service], [String]>
    static func serviceTexts() -> ServiceTexts { ServiceTexts { $0.map(\.description) } }

    public struct Result: Sendable {
        public var names: [NameRecord]
        public var findings: [Finding]
        public var contributions: [Contribution]
    }

    /// Classifies every target's lookups (keyed by name); a target with no entry counts as not asked.
    public func classify(_ lookups: [DomainName: [RoundLookup]]) -> Result {
        classify(rounds: aligned(lookups))
    }

    /// Classifies every target's lookups, given in the order of `expansion.targets` (empty: not asked).
    public func classify(rounds: [[RoundLookup]]) -> Result {
        assemble([classifyTargets(expansion.targets.indices, rounds)], rounds)
    }

    /// The lookups of each target, in the order of `expansion.targets`.
    func aligned(_ lookups: [DomainName: [RoundLookup]]) -> [[RoundLookup]] {
        expansion.targets.map { lookups[$0.name] ?? [] }
    }

    /// What classifying some of the targets gives, in their order.
    struct Part: Sendable {
        var names: [NameRecord] = []
        var findings: [Finding] = []
        var contributions: [Contribution] = []
    }

    /// The result from the parts of the targets, in order: the ranges' contributions, then the targets', then
    /// the findings of wildcards and skipped endpoints; names sorted by name, findings sorted.
    func assemble(_ parts: consuming [Part], _ lookups: [[RoundLookup]]) -> Result {
        var contributions: [Contribution] = []
        for range in expansion.ranges {
            for service in range.common.services {
                contributions.append(Contribution(
                    service: service.description, prefix: range.prefix, endpoint: range.reference.label, name: nil
                ))
            }
        }
        contributions = Self.take(\.contributions, from: &parts, after: contributions)
        var findings = Self.take(\.findings, from: &parts, after: [])
        let probeAnswered = catchAllProbes(lookups)
        for wildcard in expansion.wildcards {
            findings += wildcardFindings(wildcard, answered: probeAnswered[wildcard.zone])
        }
        findings += Self.serverFindings(lookups) + Self.disagreementFindings(lookups)
        for range in expansion.ranges {
            guard let warning = range.breadthWarning else { continue }
            findings.append(Finding(
                kind: "broad-range", severity: "warning", endpoint: range.common.index, name: nil, address: nil,
                message: warning
            ))
        }
        for skipped in expansion.skipped {
            findings.append(Finding(
                kind: "skipped-endpoint", severity: "warning", endpoint: skipped.endpoint.index, name: nil,
                address: nil,
                message: "\(skipped.endpoint.label) skipped: give \(skipped.flags.joined(separator: " "))"
            ))
        }
        var names = Self.take(\.names, from: &parts, after: [])
        // Manifests often list their names sorted already: then there is nothing to move.
        if !names.indices.dropFirst().allSatisfy({ names[$0 - 1].name <= names[$0].name }) {
            names.sort { $0.name < $1.name }
        }
        return Result(names: names, findings: findings.sorted(), contributions: contributions)
    }

    /// `head`, then the lists at `list` of every part, each taken out of its part: the first list is
    /// reused rather than copied when `head` is empty. Copying every part's records, a reference count up
    /// and down for each, cost most of putting the result together.
    static func take<Element>(
        _ list: WritableKeyPath<Part, [Element]>, from parts: inout [Part], after head: [Element]
    ) -> [Element] {
        var result = head
        for index in parts.indices {
            var taken: [Element] = []
            swap(&taken, &parts[index][keyPath: list])
            if result.isEmpty { result = taken } else { result += taken }
        }
        return result
    }

    /// Name records, findings and contributions of the targets at `positions` (of `expansion.targets`, as
    /// `lookups` is).
    func classifyTargets(_ positions: Range<Int>, _ lookups: [[RoundLookup]]) -> Part {
        var names: [NameRecord] = []
        names.reserveCapacity(positions.count)
        var findings: [Finding] = []
        var contributions: [Contribution] = []
        var serverTexts = Self.serverTexts()
        var serviceTexts = Self.serviceTexts()
        var lookupRecords = LookupRecords()
        // Most addresses were last seen now, and first seen by one of a few earlier runs: each time is
        // written once.
        let nowText = Timestamp.iso8601(milliseconds: retention.nowMs)
        var times: [Int64: String] = [:]
        func timeText(_ milliseconds: Int64) -> String {
            if milliseconds == retention.nowMs { return nowText }
            if let text = times[milliseconds] { return text }
            let text = Timestamp.iso8601(milliseconds: milliseconds)
            if times.count < 4096 { times[milliseconds] = text }
            return text
        }

        for position in positions {
            let target = expansion.targets[position]
            let rounds = lookups[position]
            let summary = NameSummary(rounds)
            let endpointIndex = target.sources.first?.index
            let services = serviceTexts(target.services)
            let chainText = summary.chain.map { "\($0.name) → \($0.target)" }
            var addressRecords: [AddressRecordSnapshot] = []
            var specialCount = 0

            // A catch-all probe's addresses are only the endpoint's when the zone really has a catch-all.
            let counts: Bool
            if case .catchAllProbe = target.role { counts = summary.outcome == .ok } else { counts = true }

            let candidates = candidates(
                for: target.name.text, summary, failedTypes: Self.failedTypes(rounds, union: union),
                serverTexts: &serverTexts
            )
            for seen in candidates {
                var status = "emitted"
                var note: String? = nil
                var emittedFor: [String] = []
                if let block = IPNet.classify(seen.address), !allowSpecial.contains(where: { $0.contains(seen.address) }) {
                    status = "special"
                    specialCount += 1
                    note = specialNote(seen.address, block)
                    if seen.source == "answer" { findings.append(Finding(
                        kind: "special-purpose", severity: "warning", endpoint: endpointIndex, name: target.name.text,
                        address: seen.text, chain: chainText,
                        message: "\(target.name) resolves to \(note ?? "")"
                    )) }
                } else if counts || seen.source != "answer" {
                    var coveredBy: [String] = []
                    for (service, serviceText) in zip(target.services, services) {
                        if let range = coveringRange(seen.address, service) {
                            coveredBy.append("\(serviceText) by \(range.reference.label)")
                        } else {
                            // Emitted for every service (nearly always): the name's own list, shared, not a
                            // list per address.
                            if coveredBy.isEmpty && emittedFor.count + 1 == services.count {
                                emittedFor = services
                            } else {
                                emittedFor.append(serviceText)
                            }
                            for source in target.sources {
                                contributions.append(Contribution(
                                    service: serviceText, prefix: IPPrefix(host: seen.address),
                                    endpoint: source.label, name: target.name.text, stale: seen.source == "stale"
                                ))
                            }
                        }
                    }
                    if emittedFor.isEmpty {
                        status = "covered"
                        note = "covered by a declared range: " + coveredBy.joined(separator: ", ")
                    }
                    for within in target.within where seen.source == "answer" && !within.contains(seen.address) {
                        findings.append(Finding(
                            kind: "outside-range", severity: "warning", endpoint: endpointIndex, name: target.name.text,
                            address: seen.text, chain: chainText,
                            message: "\(target.name) resolves to \(seen.text), outside \(within)"
                                + (chainText.isEmpty ? "" : " (through \(summary.chain.map(\.target).joined(separator: " → ")))")
                                + "; it is still allowed, devices will use it"
                        ))
                    }
                } else {
                    status = "probe"
                    note = "answer to the catch-all probe of a zone without a catch-all"
                }
                addressRecords.append(AddressRecordSnapshot(
                    address: seen.text, type: seen.type, ttl: seen.ttl, rounds: seen.rounds,
                    servers: seen.servers, status: status, note: note, emittedFor: emittedFor, source: seen.source,
                    firstSeen: timeText(seen.firstSeenMs), lastSeen: timeText(seen.lastSeenMs)
                ))
            }

            if !summary.addresses.isEmpty && specialCount == candidates.count {
                findings.append(Finding(
                    kind: "sinkholed", severity: "warning", endpoint: endpointIndex, name: target.name.text,
                    address: nil, chain: chainText,
                    message: "every address of \(target.name) is special-purpose: the name looks sinkholed or blocked by the resolver"
                ))
            }
            let earlier = candidates.filter { $0.source != "answer" }
            findings += outcomeFindings(target, summary, rounds, endpointIndex, earlier)
            if let volatility = volatility(target, summary, rounds, endpointIndex) { findings.append(volatility) }
            if rounds.contains(where: { $0.answer.addressesCapped }) {
                findings.append(Finding(
                    kind: "addresses-capped", severity: "warning", endpoint: endpointIndex, name: target.name.text,
                    address: nil,
                    message: "\(target.name) answered more than \(ReplyParserLimits.addressCap) addresses; only the first are kept"
                ))
            }

            var zone: String? = nil
            switch target.role {
            case .exact: break
            case .sample(let wildcard), .catchAllProbe(let wildcard): zone = wildcard.text
            }
            names.append(NameRecord(
                name: target.name.text, role: target.role.description, zone: zone,
                endpoints: target.sources.map(\.index).sorted(), services: services,
                outcome: rounds.isEmpty ? "error" : summary.outcome.rawValue,
                lookups: lookupRecords.records(of: rounds), addresses: addressRecords
            ))
        }
        return Part(names: names, findings: findings, contributions: contributions)
    }

    /// Flags a name whose answers keep changing: within this run's rounds, or across the history's window
    /// (at least twice as many distinct addresses as one answer holds).
    func volatility(_ target: Target, _ summary: NameSummary, _ rounds: [RoundLookup], _ endpoint: Int?) -> Finding? {
        if case .catchAllProbe = target.role { return nil }
        guard summary.outcome == .ok else { return nil }
        let totalRounds = Self.roundCount(rounds)
        let window = max(retention.retainMs, 86_400_000)
        let recent = (priors[target.name.text] ?? []).filter { retention.nowMs - $0.lastSeenMs <= window }
        let rotatesInRun = totalRounds > 1 && summary.addresses.contains { $0.rounds < totalRounds }
        // Every address in every round and no history: each answer holds them all, so nothing moved (and the
        // count per round, the costly part, is not needed).
        if !rotatesInRun && recent.isEmpty { return nil }
        let perAnswer = max(1, Self.distinctPerRound(rounds) / max(1, totalRounds))
        let current = TextLookup(recent.isEmpty ? [] : summary.addresses.map(\.address.description))
        // The summary's addresses are distinct, and so are a name's sightings.
        let distinct = summary.addresses.count + recent.count { !current.contains($0.address) }
        guard rotatesInRun || (distinct >= 2 * perAnswer && distinct - perAnswer >= 2) else { return nil }
        let lives = recent.filter { !current.contains($0.address) }.map { $0.lastSeenMs - $0.firstSeenMs }.sorted()
        let life = lives.isEmpty ? "" : "; addresses that left lived \(DurationText.format(.milliseconds(lives[lives.count / 2]))) (median)"
        return Finding(
            kind: "volatile", severity: "warning", endpoint: endpoint, name: target.name.text, address: nil,
            message: "\(target.name) is volatile — IP allowlisting will flap; prefer the provider's published ranges "
                + "or an FQDN/SNI rule (\(distinct) distinct addresses in the window, \(summary.addresses.count) in this "
                + "run's \(totalRounds) round\(totalRounds == 1 ? "" : "s"), about \(perAnswer) per answer\(life))"
        )
    }

    /// The distinct addresses of each round, added up over the rounds (a round asks A and AAAA, perhaps of
    /// several servers). Addresses as values, not text: this runs for every name.
    static func distinctPerRound(_ rounds: [RoundLookup]) -> Int {
        let total = rounds.reduce(0) { $0 + $1.answer.addresses.count }
        guard total > 32 else {
            // A handful: a scan costs less than hashing.
            var seen: [RoundAddress] = []
            for index in rounds.indices {
                for record in rounds[index].answer.addresses {
                    let key = RoundAddress(round: rounds[index].round, address: record.address)
                    if !seen.contains(key) { seen.append(key) }
                }
            }
            return seen.count
        }
        return Set(rounds.indices.flatMap { index in
            rounds[index].answer.addresses.map { RoundAddress(round: rounds[index].round, address: $0.address) }
        }).count
    }

    /// How many distinct rounds `rounds` has: each lookup counts unless an earlier one had its round. Read by
    /// index, with no list made: `for lookup in rounds` copied each lookup, and a copy retains a dozen
    /// references (a name has a handful of lookups, so the scan is short).
    static func roundCount(_ rounds: [RoundLookup]) -> Int {
        rounds.indices.count { index in
            !(0..<index).contains { rounds[$0].round == rounds[index].round }
        }
    }

    struct RoundAddress: Hashable {
        var round: Int
        var address: IPAddress
    }

    /// The record types whose earlier addresses this run could not see, so that the history keeps them (stale)
    /// up to the stale limit: those for which every lookup failed; and in a union, those for which every
    /// lookup at one server failed. A union's servers each may give addresses the others do not (geo-DNS):
    /// while one is down, the addresses only it gives cannot be told from addresses that are gone, and were
    /// dropped after the retention window though no answer had left them out.
    static func failedTypes(_ rounds: [RoundLookup], union: Bool = false) -> Set<String> {
        guard !rounds.isEmpty else { return ["A", "AAAA"] }
        // Read by index, not `for round in rounds`: a copy of a lookup retains a dozen references. Nearly
        // every name was answered every time: then no lists are made.
        if rounds.indices.allSatisfy({ rounds[$0].answer.outcome.isAnswer }) { return [] }
        // By type, the servers asked and those that answered at least once (a name has a few lookups).
        var asked: [(type: RecordType, server: ServerAddress)] = []
        var answered: [(type: RecordType, server: ServerAddress)] = []
        for index in rounds.indices {
            let pair = (type: rounds[index].answer.type, server: rounds[index].answer.server)
            if !asked.contains(where: { $0 == pair }) { asked.append(pair) }
            if rounds[index].answer.outcome.isAnswer, !answered.contains(where: { $0 == pair }) { answered.append(pair) }
        }
        var failed: Set<String> = []
        for pair in asked where !answered.contains(where: { $0 == pair }) {
            if union || !answered.contains(where: { $0.type == pair.type }) { failed.insert(pair.type.rawValue) }
        }
        return failed
    }

    /// For each wildcard zone, whether its catch-all probe got addresses (nil when it was not answered).
    private func catchAllProbes(_ lookups: [[RoundLookup]]) -> [DomainName: Outcome] {
        guard !expansion.wildcards.isEmpty else { return [:] }
        let probes = Set(expansion.wildcards.map(\.probe))
        var positions: [DomainName: Int] = [:]
        for (position, target) in expansion.targets.enumerated() where probes.contains(target.name) {
            positions[target.name] = position
        }
        var result: [DomainName: Outcome] = [:]
        for wildcard in expansion.wildcards {
            // A probe that was not asked (no lookups) says nothing, as a name missing from the answers did.
            if let position = positions[wildcard.probe], !lookups[position].isEmpty {
                result[wildcard.zone] = NameSummary(lookups[position]).outcome
            }
        }
        return result
    }

    private func coveringRange(_ address: IPAddress, _ service: Service) -> RangeEndpoint? {
        expansion.ranges.first { $0.prefix.contains(address) && $0.common.services.contains(service) }
    }

    private func specialNote(_ address: IPAddress, _ block: SpecialPurposeBlock) -> String {
        var text = "\(address), in \(block.prefix) — \(block.name) (\(block.rfc)): \(block.reason)"
        if case .v6(let v6) = address, let embedded = embeddedIPv4(in: v6) {
            text += "; \(embedded)"
        }
        return text
    }

    /// `earlier`: the name's addresses kept from history (stale while its lookups fail, retained after an
    /// answer without them), which the finding counts: the name may look dead and still be allowed.
    private func outcomeFindings(
        _ target: Target, _ summary: NameSummary, _ rounds: [RoundLookup], _ endpoint: Int?, _ earlier: [Candidate]
    ) -> [Finding] {
        func kept(_ source: String, _ why: String) -> String {
            let kept = earlier.filter { $0.source == source }
            guard let last = kept.map(\.lastSeenMs).max() else { return "" }
            return "; kept \(kept.count) address\(kept.count == 1 ? "" : "es") last seen "
                + "\(Timestamp.iso8601(milliseconds: last))\(why)"
        }
        if case .catchAllProbe = target.role { return [] }
        guard !rounds.isEmpty else {
            return [Finding(kind: "lookup-failed", severity: "warning", endpoint: endpoint, name: target.name.text,
                            address: nil, message: "\(target.name) was not resolved")]
        }
        switch summary.outcome {
        case .ok: return []
        case .nodata, .nxdomain:
            // Through a CNAME the name exists: what is missing is at the chain's end (a dangling CNAME), and
            // someone who checks the name by hand would see the CNAME and dismiss "does not exist".
            let end = summary.chain.last?.target
            let what = summary.outcome == .nxdomain ? "does not exist (NXDOMAIN)" : "has no A or AAAA record (NODATA)"
            return [Finding(
                kind: "no-address", severity: "warning", endpoint: endpoint, name: target.name.text, address: nil,
                chain: summary.chain.map { "\($0.name) → \($0.target)" },
                message: "\(target.name): " + (end.map { "its CNAME target \($0) \(what)" } ?? "the name \(what)")
                    + kept("retained", ", within --retain") + kept("stale", ", as a server failed (up to --stale-limit)")
            )]
        default:
            let failure = rounds.first { !$0.answer.outcome.isAnswer }?.answer
            let detail = failure.map {
                FailureReason.text(outcome: "\($0.outcome)", server: $0.server.description, detail: $0.detail)
            } ?? ""
            return [Finding(
                kind: "lookup-failed", severity: "warning", endpoint: endpoint, name: target.name.text, address: nil,
                message: "\(target.name): lookup failed (\(detail))\(kept("stale", ""))"
            )]
        }
    }

    private func wildcardFindings(_ wildcard: WildcardZone, answered: Outcome?) -> [Finding] {
        let endpoint = wildcard.sources.first?.index
        let zone = wildcard.zone.text
        switch answered {
        case .ok:
            return [Finding(
                kind: "catch-all", severity: "info", endpoint: endpoint, name: wildcard.probe.text, address: nil,
                message: "*.\(zone) has a catch-all record: any name under it resolves; the probe's addresses are allowed"
            )]
        case .nxdomain, .nodata:
            if wildcard.isEnumerable {
                return [Finding(
                    kind: "samples-only", severity: "info", endpoint: endpoint, name: wildcard.probe.text, address: nil,
                    message: "*.\(zone) has no catch-all record: only the \(wildcard.samples.count) sample name(s) were resolved"
                )]
            }
            return [Finding(
                kind: "not-enumerable", severity: "warning", endpoint: endpoint, name: nil, address: nil,
                message: "*.\(zone) cannot be enumerated (no known names, no catch-all record): it needs an FQDN/SNI rule"
            )]
        default:
            return [Finding(
                kind: wildcard.isEnumerable ? "samples-only" : "not-enumerable", severity: "warning", endpoint: endpoint,
                name: wildcard.probe.text, address: nil,
                message: "*.\(zone): the catch-all probe failed, so it is unknown whether the zone has a catch-all"
                    + (wildcard.isEnumerable ? "; only the samples were resolved" : "; it needs an FQDN/SNI rule")
            )]
        }
    }
}
