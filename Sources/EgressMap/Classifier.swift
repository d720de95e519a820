import Allowlist
import DNS
import Drift
import Hostnames
import IPNet
import Manifest

/// The classify stage: from the expansion and what DNS said, to name records, findings and the
/// contributions the allowlists are built from. A pure function, testable without a network.
public struct Classifier {
    public var expansion: Expansion
    /// Special-purpose blocks the user allowed with `--allow-special`.
    public var allowSpecial: [IPPrefix]

    public init(expansion: Expansion, allowSpecial: [IPPrefix] = []) {
        self.expansion = expansion
        self.allowSpecial = allowSpecial
    }

    public struct Result: Sendable {
        public var names: [NameRecord]
        public var findings: [Finding]
        public var contributions: [Contribution]
    }

    /// Classifies every target's lookups (keyed by name); a target with no entry counts as not asked.
    public func classify(_ lookups: [DomainName: [RoundLookup]]) -> Result {
        var names: [NameRecord] = []
        var findings: [Finding] = []
        var contributions: [Contribution] = []

        for range in expansion.ranges {
            for service in range.common.services {
                contributions.append(Contribution(
                    service: service.description, prefix: range.prefix, endpoint: range.reference.label, name: nil
                ))
            }
        }
        let probeAnswered = catchAllProbes(lookups)

        for target in expansion.targets {
            let rounds = lookups[target.name] ?? []
            let summary = NameSummary(rounds)
            let endpointIndex = target.sources.first?.index
            let services = target.services.map(\.description)
            let chainText = summary.chain.map { "\($0.name) → \($0.target)" }
            var addressRecords: [AddressRecordSnapshot] = []
            var specialCount = 0

            // A catch-all probe's addresses are only the endpoint's when the zone really has a catch-all.
            let counts: Bool
            if case .catchAllProbe = target.role { counts = summary.outcome == .ok } else { counts = true }

            for seen in summary.addresses {
                var status = "emitted"
                var note: String? = nil
                var emittedFor: [String] = []
                if let block = IPNet.classify(seen.address), !allowSpecial.contains(where: { $0.contains(seen.address) }) {
                    status = "special"
                    specialCount += 1
                    note = specialNote(seen.address, block)
                    findings.append(Finding(
                        kind: "special-purpose", severity: "warning", endpoint: endpointIndex, name: target.name.text,
                        address: seen.address.description, chain: chainText,
                        message: "\(target.name) resolves to \(note ?? "")"
                    ))
                } else if counts {
                    var coveredBy: [String] = []
                    for service in target.services {
                        if let range = coveringRange(seen.address, service) {
                            coveredBy.append("\(service) by \(range.reference.label)")
                        } else {
                            emittedFor.append(service.description)
                            for source in target.sources {
                                contributions.append(Contribution(
                                    service: service.description, prefix: IPPrefix(host: seen.address),
                                    endpoint: source.label, name: target.name.text
                                ))
                            }
                        }
                    }
                    if emittedFor.isEmpty {
                        status = "covered"
                        note = "covered by a declared range: " + coveredBy.joined(separator: ", ")
                    }
                    for within in target.within where !within.contains(seen.address) {
                        findings.append(Finding(
                            kind: "outside-range", severity: "warning", endpoint: endpointIndex, name: target.name.text,
                            address: seen.address.description, chain: chainText,
                            message: "\(target.name) resolves to \(seen.address), outside \(within)"
                                + (chainText.isEmpty ? "" : " (through \(summary.chain.map(\.target).joined(separator: " → ")))")
                                + "; it is still allowed, devices will use it"
                        ))
                    }
                } else {
                    status = "probe"
                    note = "answer to the catch-all probe of a zone without a catch-all"
                }
                addressRecords.append(AddressRecordSnapshot(
                    address: seen.address.description, type: seen.type.rawValue, ttl: seen.ttl, rounds: seen.rounds,
                    servers: seen.servers.map(\.description), status: status, note: note, emittedFor: emittedFor
                ))
            }

            if !summary.addresses.isEmpty && specialCount == summary.addresses.count {
                findings.append(Finding(
                    kind: "sinkholed", severity: "warning", endpoint: endpointIndex, name: target.name.text,
                    address: nil, chain: chainText,
                    message: "every address of \(target.name) is special-purpose: the name looks sinkholed or blocked by the resolver"
                ))
            }
            findings += outcomeFindings(target, summary, rounds, endpointIndex, probeAnswered)
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
                lookups: lookupRecords(rounds), addresses: addressRecords
            ))
        }

        for wildcard in expansion.wildcards {
            findings += wildcardFindings(wildcard, answered: probeAnswered[wildcard.zone])
        }
        for skipped in expansion.skipped {
            findings.append(Finding(
                kind: "skipped-endpoint", severity: "warning", endpoint: skipped.endpoint.index, name: nil,
                address: nil,
                message: "\(skipped.endpoint.label) skipped: give \(skipped.flags.joined(separator: " "))"
            ))
        }
        return Result(names: names.sorted { $0.name < $1.name }, findings: findings.sorted(), contributions: contributions)
    }

    /// For each wildcard zone, whether its catch-all probe got addresses (nil when it was not answered).
    private func catchAllProbes(_ lookups: [DomainName: [RoundLookup]]) -> [DomainName: Outcome] {
        var result: [DomainName: Outcome] = [:]
        for wildcard in expansion.wildcards {
            if let rounds = lookups[wildcard.probe] { result[wildcard.zone] = NameSummary(rounds).outcome }
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

    private func outcomeFindings(
        _ target: Target, _ summary: NameSummary, _ rounds: [RoundLookup], _ endpoint: Int?,
        _ probes: [DomainName: Outcome]
    ) -> [Finding] {
        if case .catchAllProbe = target.role { return [] }
        guard !rounds.isEmpty else {
            return [Finding(kind: "lookup-failed", severity: "warning", endpoint: endpoint, name: target.name.text,
                            address: nil, message: "\(target.name) was not resolved")]
        }
        switch summary.outcome {
        case .ok: return []
        case .nodata, .nxdomain:
            return [Finding(
                kind: "no-address", severity: "warning", endpoint: endpoint, name: target.name.text, address: nil,
                message: "\(target.name): \(summary.outcome == .nxdomain ? "the name does not exist (NXDOMAIN)" : "no A or AAAA record (NODATA)")"
            )]
        default:
            let failure = rounds.first { !$0.answer.outcome.isAnswer }?.answer
            let detail = failure.map { "\($0.outcome) from \($0.server)" + ($0.detail.map { ": \($0)" } ?? "") } ?? ""
            return [Finding(
                kind: "lookup-failed", severity: "warning", endpoint: endpoint, name: target.name.text, address: nil,
                message: "\(target.name): lookup failed (\(detail))"
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

    private func lookupRecords(_ rounds: [RoundLookup]) -> [LookupRecord] {
        var order: [String] = []
        var grouped: [String: [RoundLookup]] = [:]
        for round in rounds {
            let key = "\(round.answer.server)|\(round.answer.type)"
            if grouped[key] == nil { order.append(key) }
            grouped[key, default: []].append(round)
        }
        return order.compactMap { key -> LookupRecord? in
            guard let group = grouped[key], let last = group.last?.answer else { return nil }
            var counts: [String: Int] = [:]
            for round in group { counts[round.answer.outcome.rawValue, default: 0] += 1 }
            let chain = group.last(where: { !$0.answer.chain.isEmpty })?.answer.chain ?? []
            return LookupRecord(
                server: last.server.description, type: last.type.rawValue, outcome: last.outcome.rawValue,
                rounds: counts, chain: chain.map { ChainLink(name: $0.name, target: $0.target, ttl: $0.ttl) },
                ttl: last.ttl, negativeTTL: last.negativeTTL, detail: last.outcome.isAnswer ? nil : last.detail
            )
        }.sorted { ($0.type, $0.server) < ($1.type, $1.server) }
    }
}
