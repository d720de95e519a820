import Hostnames

/// Expansion: from a decoded manifest, variables and filters to the names a run resolves.
extension Manifest {
    /// Expands the manifest into targets: variables substituted, braces expanded, wildcard samples put in place
    /// of `*`, one catch-all probe per wildcard zone, duplicates merged.
    ///
    /// A pure function of its inputs, the catch-all probes' labels included (`WildcardZone.probeLabel(for:)`).
    /// - Parameters:
    ///   - variables: values for the manifest's variables (`["subdomain": "acme"]`); a host endpoint whose
    ///     variables are not all given is skipped and listed in `Expansion.skipped`.
    ///   - filter: region and platform filters.
    /// - Throws: `ExpansionError` for a variable the manifest does not declare, a value that is not host-name
    ///   labels, a name that the values make invalid (too long), or a region no endpoint has.
    public func expand(
        variables: [String: String] = [:],
        filter: ExpansionFilter = ExpansionFilter()
    ) throws(ExpansionError) -> Expansion {
        let values = try checkedValues(variables)
        if let region = filter.region, !regions.contains(region) {
            throw .unknownRegion(region, known: regions)
        }
        var builder = ExpansionBuilder()
        builder.reserveCapacity(endpoints.count)
        for endpoint in endpoints where filter.keeps(endpoint) {
            switch endpoint {
            case .range(let range):
                builder.expansion.ranges.append(range)
            case .host(let host):
                let missing = host.pattern.variables.filter { values[$0] == nil }
                guard missing.isEmpty else {
                    builder.expansion.skipped.append(SkippedEndpoint(endpoint: host.reference, missing: missing))
                    continue
                }
                if let repeated = host.pattern.valueRepeatingTheName(values), let value = values[repeated.variable] {
                    throw .valueRepeatsName(
                        name: repeated.variable, value: value, endpoint: host.reference, meant: repeated.meant
                    )
                }
                try builder.add(host, values: values)
            }
        }
        return builder.expansion
    }

    /// The values lower-cased and validated as labels; every name declared.
    private func checkedValues(_ variables: [String: String]) throws(ExpansionError) -> [String: String] {
        let declared = self.variables.map(\.name)
        var values: [String: String] = [:]
        for (name, value) in variables.sorted(by: { $0.key < $1.key }) {
            guard declared.contains(name) else { throw .unknownVariable(name: name, declared: declared) }
            do {
                values[name] = try DomainName.validateLabels(value)
            } catch {
                throw .invalidValue(name: name, error: error)
            }
        }
        return values
    }
}

/// Accumulates targets, merging names produced more than once.
struct ExpansionBuilder {
    var expansion = Expansion()
    private var targetIndex: [DomainName: Int] = [:]
    private var zoneIndex: [DomainName: Int] = [:]
    private var contributions: [DomainName: [Contribution]] = [:]

    /// Makes room for `count` targets (a manifest's endpoints mostly give one name each).
    mutating func reserveCapacity(_ count: Int) {
        expansion.targets.reserveCapacity(count)
        targetIndex.reserveCapacity(count)
    }

    /// Adds every name `host` produces with `values`.
    mutating func add(_ host: HostEndpoint, values: [String: String]) throws(ExpansionError) {
        let reference = host.reference
        let services = host.common.services
        let within = host.within.map { [$0] } ?? []
        for text in host.pattern.names(values) {
            let name = try validName(text, reference)
            guard host.pattern.isWildcard else {
                add(Target(name: name, role: .exact, sources: [reference], services: services, within: within))
                continue
            }
            var samples: [DomainName] = []
            for sample in host.samples {
                for label in sample.names([:]) {
                    let sampleName = try validName(label + "." + name.text, reference)
                    if !samples.contains(sampleName) { samples.append(sampleName) }
                }
            }
            let contribution = Contribution(reference: reference, services: services, within: within)
            let entry = try zone(name, samples: samples, contribution: contribution)
            // Every endpoint of a zone gets every sample of the zone, and the probe: endpoints that differ only
            // in case or a trailing dot are one wildcard rule.
            for part in entry.contributions {
                for sample in entry.zone.samples {
                    add(Target(name: sample, role: .sample(zone: name), sources: [part.reference],
                               services: part.services, within: part.within))
                }
                add(Target(name: entry.zone.probe, role: .catchAllProbe(zone: name), sources: [part.reference],
                           services: part.services, within: part.within))
            }
        }
    }

    /// What one endpoint brings to a wildcard zone.
    struct Contribution {
        var reference: EndpointReference
        var services: [Service]
        var within: [Within]
    }

    /// Records the wildcard zone (one entry and one probe per zone, however many endpoints name it).
    /// - Returns: the zone with every sample so far, and every endpoint's contribution.
    private mutating func zone(_ zone: DomainName, samples: [DomainName], contribution: Contribution)
        throws(ExpansionError) -> (zone: WildcardZone, contributions: [Contribution]) {
        if let index = zoneIndex[zone] {
            var entry = expansion.wildcards[index]
            entry.samples += samples.filter { !entry.samples.contains($0) }
            if !entry.sources.contains(contribution.reference) { entry.sources.append(contribution.reference) }
            expansion.wildcards[index] = entry
            contributions[zone, default: []].append(contribution)
            return (entry, contributions[zone] ?? [])
        }
        let probe = try validName(WildcardZone.probeLabel(for: zone) + "." + zone.text, contribution.reference)
        let entry = WildcardZone(zone: zone, samples: samples, probe: probe, sources: [contribution.reference])
        zoneIndex[zone] = expansion.wildcards.count
        expansion.wildcards.append(entry)
        contributions[zone] = [contribution]
        return (entry, [contribution])
    }

    /// Adds `target`, or merges it into the target of the same name: sources, services and constraints
    /// united, the stronger role kept.
    private mutating func add(_ target: Target) {
        guard let index = targetIndex[target.name] else {
            targetIndex[target.name] = expansion.targets.count
            expansion.targets.append(target)
            return
        }
        var merged = expansion.targets[index]
        for source in target.sources where !merged.sources.contains(source) { merged.sources.append(source) }
        merged.sources.sort()
        merged.services = Array(Set(merged.services + target.services)).sorted()
        for constraint in target.within where !merged.within.contains(constraint) { merged.within.append(constraint) }
        if target.role.rank < merged.role.rank { merged.role = target.role }
        expansion.targets[index] = merged
    }

    private func validName(_ text: String, _ reference: EndpointReference) throws(ExpansionError) -> DomainName {
        do {
            return try DomainName(validating: text)
        } catch {
            throw .invalidName(endpoint: reference, error: error)
        }
    }
}
