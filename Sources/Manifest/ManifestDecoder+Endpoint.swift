import Foundation
import Hostnames
import IPNet
import Yams

/// Decoding one entry of `endpoints:`.
extension ManifestDecoder {
    static let hostKeys = ["host", "ports", "protocol", "os", "region", "purpose", "samples", "within"]
    static let rangeKeys = ["range", "name", "ports", "protocol", "os", "region", "purpose"]

    /// Decodes entry `index`; `within: NAME` is left in `pendingWithin` until every range is known.
    mutating func endpoint(_ node: Node, index: Int, variables: [String],
                           pendingWithin: inout [(index: Int, node: Node, name: String)]) -> Endpoint? {
        guard case .mapping(let mapping) = node else {
            report(node, found: "\(describe(node)) as an endpoint", expected: "a mapping with host: or range:")
            return nil
        }
        // The string keys' text (what `mapping["host"]` matches), gathered once: that subscript builds a node
        // and resolves its tag at every lookup.
        let keys = mapping.keys.compactMap { key -> String? in
            guard case .scalar(let scalar) = key, key.tag.rawValue == Tag.Name.str.rawValue else { return nil }
            return scalar.string
        }
        let isHost = keys.contains("host")
        let isRange = keys.contains("range")
        if isHost && isRange {
            report(node, found: "an endpoint with both host: and range:", expected: "one of host: or range:")
            return nil
        }
        if !isHost && !isRange {
            report(node, found: "an endpoint without host: or range:", expected: "host: NAME or range: PREFIX")
            _ = fields(of: node, in: "an endpoint", allowed: Self.hostKeys + ["range", "name"], required: [])
            return nil
        }
        let context = isHost ? "a host endpoint" : "a range endpoint"
        guard let fields = fields(of: node, in: context, allowed: isHost ? Self.hostKeys : Self.rangeKeys,
                                  required: [isHost ? "host" : "range", "ports"])
        else { return nil }
        let errorCount = errors.count
        let common = self.common(fields, index: index, node: node)
        if isHost {
            guard let host = host(fields, common: common, variables: variables, pendingWithin: &pendingWithin),
                  errors.count == errorCount
            else { return nil }
            return .host(host)
        }
        let prefix = fields["range"].flatMap { parsePrefix($0.value) }
        let name = fields["name"].flatMap { identifier($0.value, what: "a range name") }
        if let name {
            if rangeNames.contains(name), let node = fields["name"]?.value {
                report(node, found: "a second range named '\(name)'", expected: "a name used by one range only")
            }
            rangeNames.insert(name)
        }
        guard let common, let prefix, errors.count == errorCount else { return nil }
        return .range(RangeEndpoint(common: common, prefix: prefix, name: name))
    }

    private mutating func common(_ fields: [String: (key: Node, value: Node)], index: Int,
                                 node: Node) -> EndpointCommon? {
        let ports = fields["ports"].flatMap { self.ports($0.value) }
        var transport = Transport.tcp
        if let value = fields["protocol"]?.value, let text = text(value, what: "tcp or udp") {
            if let parsed = Transport(rawValue: text.lowercased()) {
                transport = parsed
            } else {
                report(value, found: "protocol \(describe(value))", expected: "tcp or udp")
            }
        }
        let platforms = fields["os"].flatMap { self.platforms($0.value) } ?? [.all]
        let region = fields["region"].flatMap { identifier($0.value, what: "a region such as us or eu") }
        let purpose = fields["purpose"].flatMap { text($0.value, what: "a purpose text") }
        guard let ports else { return nil }
        return EndpointCommon(index: index, location: location(of: node), ports: ports, transport: transport,
                              platforms: platforms, region: region, purpose: purpose)
    }

    // MARK: - Host

    private mutating func host(_ fields: [String: (key: Node, value: Node)], common: EndpointCommon?,
                               variables: [String],
                               pendingWithin: inout [(index: Int, node: Node, name: String)]) -> HostEndpoint? {
        guard let hostNode = fields["host"]?.value, let text = text(hostNode, what: "a host name or pattern")
        else { return nil }
        let pattern: HostPattern
        do {
            pattern = try HostPattern(parsing: text, allowWildcard: true, allowVariables: true)
        } catch {
            report(hostNode, offset: error.offset, found: error.found, expected: error.expected)
            return nil
        }
        for name in pattern.variables where !variables.contains(name) {
            let offset = text.range(of: "{\(name)}").map {
                text.unicodeScalars.distance(from: text.startIndex, to: $0.lowerBound)
            } ?? 0
            report(hostNode, offset: offset, found: "undefined variable {\(name)}",
                   expected: variables.isEmpty ? "a variable declared under variables: (none is)"
                       : "a variable declared under variables: (\(variables.joined(separator: ", ")))")
        }
        checkNames(pattern, node: hostNode)
        var samples: [HostPattern] = []
        if let (key, value) = fields["samples"] {
            if pattern.isWildcard {
                samples = self.samples(value, zone: pattern, hostNode: hostNode)
            } else {
                report(key, found: "samples: on a host without a wildcard",
                       expected: "samples only on *.zone hosts, as labels put in place of '*'")
            }
        }
        var within: Within?
        if let value = fields["within"]?.value {
            if case .sequence = value {
                within = prefixList(value).map { Within(prefixes: $0) }
            } else if let name = identifier(value, what: "the name of a range, or a list of prefixes") {
                pendingWithin.append((common?.index ?? -1, value, name))
            }
        }
        guard let common else { return nil }
        return HostEndpoint(common: common, pattern: pattern, samples: samples, within: within)
    }

    /// Validates every name the pattern produces (variables stood in by a one-letter label), reporting the
    /// first bad one at the pattern's column.
    private mutating func checkNames(_ pattern: HostPattern, node: Node) {
        let standIns = Dictionary(uniqueKeysWithValues: pattern.variables.map { ($0, "x") })
        for produced in pattern.produce(standIns) {
            do {
                _ = try DomainName(validating: produced.text)
            } catch {
                report(node, offset: produced.origin(ofColumn: error.column), found: error.message,
                       expected: "a valid host name (\(error.expected))")
                return
            }
        }
    }

    private mutating func samples(_ node: Node, zone: HostPattern, hostNode: Node) -> [HostPattern] {
        guard case .sequence(let sequence) = node, !sequence.isEmpty else {
            report(node, found: describe(node), expected: "samples: a non-empty list of labels such as [r10, e5]")
            return []
        }
        let zones = zone.produce(Dictionary(uniqueKeysWithValues: zone.variables.map { ($0, "x") }))
        let zoneText = zones.first?.text ?? "example"
        var result: [HostPattern] = []
        for item in sequence {
            guard let text = text(item, what: "a sample label") else { continue }
            do {
                let sample = try HostPattern(parsing: text, allowWildcard: false, allowVariables: false)
                if checkSample(sample, zone: zoneText, node: item) { result.append(sample) }
            } catch {
                report(item, offset: error.offset, found: error.found, expected: error.expected)
            }
        }
        return result
    }

    /// Validates each label a sample produces, alone and in front of the zone.
    private mutating func checkSample(_ sample: HostPattern, zone: String, node: Node) -> Bool {
        for produced in sample.produce([:]) {
            do {
                _ = try DomainName.validateLabels(produced.text)
                _ = try DomainName(validating: produced.text + "." + zone)
            } catch {
                report(node, offset: produced.origin(ofColumn: error.column), found: error.message,
                       expected: "a sample label (\(error.expected))")
                return false
            }
        }
        return true
    }

    // MARK: - Values

    /// `[443, 5223]`: a non-empty list of port numbers 1–65535, returned sorted without duplicates.
    private mutating func ports(_ node: Node) -> [UInt16]? {
        let expected = "a port number from 1 to 65535"
        guard case .sequence(let sequence) = node, !sequence.isEmpty else {
            report(node, found: "ports: \(describe(node))", expected: "a non-empty list of port numbers such as [443]")
            return nil
        }
        var ports: Set<UInt16> = []
        var failed = false
        for item in sequence {
            guard visit(item) else { return nil }
            guard case .scalar(let scalar) = item, scalar.style == .plain, !isNull(item) else {
                report(item, found: describe(item), expected: "\(expected), unquoted")
                failed = true
                continue
            }
            guard let value = Int(scalar.string), scalar.string.allSatisfy({ $0.isNumber || $0 == "-" }) else {
                let hint = scalar.string.contains("-") || scalar.string.contains(":") ? " (ranges are not supported: "
                    + "list each port)" : ""
                report(item, found: "port \(describe(item))", expected: expected + hint)
                failed = true
                continue
            }
            guard (1...65535).contains(value) else {
                report(item, found: "port \(value)", expected: expected)
                failed = true
                continue
            }
            ports.insert(UInt16(value))
        }
        return failed ? nil : ports.sorted()
    }

    /// `os: [macos, windows]`, case-insensitive; `all` may stand alone.
    private mutating func platforms(_ node: Node) -> [Platform]? {
        guard case .sequence(let sequence) = node, !sequence.isEmpty else {
            report(node, found: "os: \(describe(node))", expected: "a non-empty list such as [all] or [macos, ios]")
            return nil
        }
        var result: Set<Platform> = []
        for item in sequence {
            guard let text = text(item, what: "a platform (\(Platform.spellings))") else { continue }
            guard let platform = Platform(rawValue: text.lowercased()) else {
                report(item, found: "os \(describe(item))", expected: "one of \(Platform.spellings)")
                continue
            }
            result.insert(platform)
        }
        return result.contains(.all) ? [.all] : result.sorted()
    }

    /// A CIDR prefix, with IPNet's message and column when it is not one.
    private mutating func parsePrefix(_ node: Node) -> IPPrefix? {
        guard let text = text(node, what: "a prefix such as 17.0.0.0/8") else { return nil }
        do {
            return try IPPrefix(parsing: text)
        } catch {
            report(node, offset: error.offset, found: "\"\(Self.shorten(text))\": \(error.message)",
                   expected: "a prefix such as 17.0.0.0/8 or 2001:db8::/32")
            return nil
        }
    }

    private mutating func prefixList(_ node: Node) -> [IPPrefix]? {
        guard case .sequence(let sequence) = node, !sequence.isEmpty else {
            report(node, found: "within: \(describe(node))", expected: "a range name or a non-empty list of prefixes")
            return nil
        }
        let count = errors.count
        let prefixes = sequence.compactMap { parsePrefix($0) }
        return errors.count == count ? prefixes : nil
    }
}
