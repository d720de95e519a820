import Foundation
import Hostnames
import IPNet

/// Decoding one entry of `endpoints:`.
extension ManifestDecoder {
    static let hostKeys = ["host", "ports", "protocol", "os", "region", "purpose", "samples", "within"]
    static let rangeKeys = ["range", "name", "ports", "protocol", "os", "region", "purpose"]
    static let hostRequired = ["host", "ports"]
    static let rangeRequired = ["range", "ports"]

    /// Decodes entry `index`; `within: NAME` is left in `pendingWithin` until every range is known.
    mutating func endpoint(_ node: YAMLTree.ID, index: Int, variables: [String],
                           pendingWithin: inout [(index: Int, node: YAMLTree.ID, name: String)]) -> Endpoint? {
        guard let mapping = tree.mapping(node) else {
            report(node, found: "\(describe(node)) as an endpoint", expected: "a mapping with host: or range:")
            return nil
        }
        // Among the keys tagged `!!str` (what Yams' `mapping["host"]` matched).
        var isHost = false
        var isRange = false
        for (key, _) in mapping {
            guard let scalar = tree.scalar(key), scalar.tag == .str else { continue }
            if scalar.string == "host" { isHost = true } else if scalar.string == "range" { isRange = true }
        }
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
                                  required: isHost ? Self.hostRequired : Self.rangeRequired)
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

    private mutating func common(_ fields: Fields, index: Int,
                                 node: YAMLTree.ID) -> EndpointCommon? {
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

    private mutating func host(_ fields: Fields, common: EndpointCommon?,
                               variables: [String],
                               pendingWithin: inout [(index: Int, node: YAMLTree.ID, name: String)]) -> HostEndpoint? {
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
            if tree.kind(value) == .sequence {
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
    private mutating func checkNames(_ pattern: HostPattern, node: YAMLTree.ID) {
        let standIns = Dictionary(uniqueKeysWithValues: pattern.variables.map { ($0, "x") })
        for (position, name) in pattern.names(standIns).enumerated() {
            do {
                _ = try DomainName(validating: name)
            } catch {
                let produced = pattern.produce(standIns)[position]
                // The name's own problem and expectation, once: its `message` already ends in what it expected.
                report(
                    node, offset: produced.origin(ofColumn: error.column),
                    found: "\(error.problem) in \"\(error.printableInput)\"",
                    expected: error.expected + (error.suggestion.map { "; did you mean \($0)?" } ?? "")
                )
                return
            }
        }
    }

    private mutating func samples(_ node: YAMLTree.ID, zone: HostPattern, hostNode: YAMLTree.ID) -> [HostPattern] {
        guard let sequence = tree.sequence(node), !sequence.isEmpty else {
            report(node, found: describe(node), expected: "samples: a non-empty list of labels such as [r10, e5]")
            return []
        }
        let zones = zone.names(Dictionary(uniqueKeysWithValues: zone.variables.map { ($0, "x") }))
        let zoneText = zones.first ?? "example"
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
    private mutating func checkSample(_ sample: HostPattern, zone: String, node: YAMLTree.ID) -> Bool {
        for (position, label) in sample.names([:]).enumerated() {
            do {
                _ = try DomainName.validateLabels(label)
                _ = try DomainName(validating: label + "." + zone)
            } catch {
                let produced = sample.produce([:])[position]
                report(node, offset: produced.origin(ofColumn: error.column),
                       found: "\(error.problem) in the sample \"\(error.printableInput)\"",
                       expected: error.expected + (error.suggestion.map { "; did you mean \($0)?" } ?? ""))
                return false
            }
        }
        return true
    }

    // MARK: - Values

    /// For a port written with its protocol, as vendor pages write them (`443/tcp`, `UDP 53`): where each
    /// goes. Empty for anything else.
    static func protocolHint(_ text: String) -> String {
        let lowered = text.lowercased()
        let number = lowered.split(whereSeparator: { !("0"..."9").contains($0) }).first
        guard let number, let kind = ["tcp", "udp"].first(where: { lowered.contains($0) }),
            lowered.count <= number.count + 4
        else { return "" }
        return " (the protocol has a key of its own: ports: [\(number)] and protocol: \(kind))"
    }

    /// `[443, 5223]`: a non-empty list of port numbers 1–65535, returned sorted without duplicates.
    private mutating func ports(_ node: YAMLTree.ID) -> [UInt16]? {
        let expected = "a port number from 1 to 65535"
        guard let sequence = tree.sequence(node), !sequence.isEmpty else {
            report(node, found: "ports: \(describe(node))", expected: "a non-empty list of port numbers such as [443]")
            return nil
        }
        var ports: [UInt16] = []
        ports.reserveCapacity(sequence.count)
        var failed = false
        for item in sequence {
            guard visit(item) else { return nil }
            guard let scalar = tree.scalar(item), scalar.style == .plain, !ScalarKind.isNull(scalar) else {
                let hint = tree.scalar(item).map { Self.protocolHint($0.string) } ?? ""
                report(item, found: describe(item), expected: "\(expected), unquoted" + hint)
                failed = true
                continue
            }
            guard let value = Self.port(scalar.string) else {
                let hint = scalar.string.contains("-") || scalar.string.contains(":") ? " (ranges are not supported: "
                    + "list each port)" : Self.protocolHint(scalar.string)
                report(item, found: describe(item), expected: expected + hint)
                failed = true
                continue
            }
            guard (1...65535).contains(value) else {
                report(item, found: "port \(value)", expected: expected)
                failed = true
                continue
            }
            ports.append(UInt16(value))
        }
        guard !failed else { return nil }
        ports.sort()
        var kept = 0
        for port in ports where kept == 0 || ports[kept - 1] != port {
            ports[kept] = port
            kept += 1
        }
        ports.removeLast(ports.count - kept)
        return ports
    }

    /// The number a port's text spells: ASCII digits, or what `Int` reads when every character is a digit (of
    /// any script) or `-`; nil otherwise.
    static func port(_ text: String) -> Int? {
        let utf8 = text.utf8
        if utf8.count <= 5, !utf8.isEmpty, utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) {
            return utf8.reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
        }
        guard let value = Int(text), text.allSatisfy({ $0.isNumber || $0 == "-" }) else { return nil }
        return value
    }

    /// `os: [macos, windows]`, case-insensitive; `all` may stand alone.
    private mutating func platforms(_ node: YAMLTree.ID) -> [Platform]? {
        guard let sequence = tree.sequence(node), !sequence.isEmpty else {
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
    private mutating func parsePrefix(_ node: YAMLTree.ID) -> IPPrefix? {
        guard let text = text(node, what: "a prefix such as 17.0.0.0/8") else { return nil }
        do {
            return try IPPrefix(parsing: text)
        } catch {
            report(node, offset: error.offset, found: "\"\(Self.shorten(text))\": \(error.message)",
                   expected: "a prefix such as 17.0.0.0/8 or 2001:db8::/32")
            return nil
        }
    }

    private mutating func prefixList(_ node: YAMLTree.ID) -> [IPPrefix]? {
        guard let sequence = tree.sequence(node), !sequence.isEmpty else {
            report(node, found: "within: \(describe(node))", expected: "a range name or a non-empty list of prefixes")
            return nil
        }
        let count = errors.count
        let prefixes = sequence.compactMap { parsePrefix($0) }
        return errors.count == count ? prefixes : nil
    }
}
