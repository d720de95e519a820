import Foundation
import IPNet

/// The allowlist formats `--format` accepts, each with the files it adds to the published folder.
public enum OutputFormat: String, CaseIterable, Sendable, Comparable {
    case plain, json, csv, nft, ipset, iptables, ip6tables, pf
    case ciscoASA = "cisco-asa"
    case mikrotik
    case awsPrefixList = "aws-prefix-list"

    /// The formats every run writes whatever `--format` says.
    public static let always: Set<OutputFormat> = [.plain, .json]

    /// `plain, json, csv, …`, for help and error messages.
    public static var spellings: String { allCases.map(\.rawValue).joined(separator: ", ") }

    /// Whether one file holds the whole format, so `emit` can print it on stdout.
    public var isSingleFile: Bool {
        switch self {
        case .plain, .pf, .awsPrefixList: false
        default: true
        }
    }

    /// Whether the format's lists are named sets (`<prefix>_v4_tcp443`) that the firewall's rules refer to.
    public var namesSets: Bool {
        switch self {
        case .plain, .json, .csv: false
        case .nft, .ipset, .iptables, .ip6tables, .pf, .ciscoASA, .mikrotik, .awsPrefixList: true
        }
    }

    /// Reads a comma list such as `nft,ipset`; spaces around names are ignored, duplicates collapse.
    public static func parseList(_ text: String) throws(FormatError) -> Set<OutputFormat> {
        var result: Set<OutputFormat> = []
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            let name = part.trimmingCharacters(in: .whitespaces)
            guard let format = OutputFormat(rawValue: name) else {
                let meant = suggestion(for: name).map { "; did you mean \($0.rawValue)?" } ?? ""
                throw FormatError(
                    "--format: \"\(name)\" is not a format; expected a comma list of \(spellings)\(meant)"
                )
            }
            result.insert(format)
        }
        return result
    }

    /// The one format `name` abbreviates or extends (`asa`, `aws`, `nftables`, `ipsets`), nil when none or several.
    static func suggestion(for name: String) -> OutputFormat? {
        let typed = name.lowercased()
        guard typed.count >= 2 else { return nil }
        let matches = allCases.filter { $0.rawValue.contains(typed) || typed.hasPrefix($0.rawValue) }
        return matches.count == 1 ? matches[0] : nil
    }

    public static func < (lhs: Self, rhs: Self) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// An nftables table that egressmap fills instead of owning `table inet egressmap` (`--nft-table`).
public struct NFTTable: Sendable, Equatable {
    /// The address families nft tables come in that can hold address sets.
    public static let families = ["ip", "ip6", "inet", "bridge", "netdev"]

    public var family: String
    public var name: String

    /// Checks the family against `families` and the name against nft's identifier syntax and length.
    public init(family: String, name: String) throws(FormatError) {
        guard Self.families.contains(family) else {
            throw FormatError(
                "--nft-table \(family) \(name): \"\(family)\" is not an nft table family; expected one of "
                    + Self.families.joined(separator: ", ")
            )
        }
        guard SetNaming.isIdentifier(name, allowingHyphen: true), name.utf8.count <= SetNaming.nftLimit else {
            throw FormatError(
                "--nft-table \(family) \(name): expected a table name of letters, digits, '_' and '-', starting "
                    + "with a letter, at most \(SetNaming.nftLimit) characters"
            )
        }
        self.family = family
        self.name = name
    }

    /// Whether sets of both families are usable in this table (not in `ip` or `ip6`).
    var holdsBoth: Bool { holds(.v4) && holds(.v6) }

    /// Whether sets of `family` are usable in this table (an `ip` table has no IPv6 rules, `ip6` no IPv4).
    func holds(_ family: IPFamily) -> Bool {
        switch self.family {
        case "ip": family == .v4
        case "ip6": family == .v6
        default: true
        }
    }
}

/// What the user chose for the extra formats; validated by `check`, so rendering cannot fail on options.
public struct RenderOptions: Sendable, Equatable {
    public var formats: Set<OutputFormat>
    /// The `--set-prefix`; nil derives it from the manifest name.
    public var setPrefix: String?
    /// `--nft-table FAMILY NAME`: fill sets in the user's table instead of owning `inet egressmap`.
    public var nftTable: NFTTable?
    /// `--with-rules`: add accept rules to the egressmap nft table.
    public var withRules: Bool
    /// The iptables chain (`--chain`).
    public var chain: String

    public static let defaultChain = "EGRESSMAP"

    public init(
        formats: Set<OutputFormat> = OutputFormat.always, setPrefix: String? = nil, nftTable: NFTTable? = nil,
        withRules: Bool = false, chain: String = RenderOptions.defaultChain
    ) {
        self.formats = formats.union(OutputFormat.always)
        self.setPrefix = setPrefix
        self.nftTable = nftTable
        self.withRules = withRules
        self.chain = chain
    }

    /// Checks everything that does not depend on a run: the prefix's syntax, the chain, the combinations.
    public func check() throws(FormatError) {
        if let setPrefix { try SetNaming.checkPrefix(setPrefix) }
        if withRules && nftTable != nil {
            throw FormatError(
                "--with-rules adds accept rules to egressmap's own nft table; with --nft-table, reference the "
                    + "sets from your own chains instead"
            )
        }
        if chain != Self.defaultChain || formats.contains(.iptables) || formats.contains(.ip6tables) {
            try SetNaming.checkChain(chain)
        }
    }

    /// The prefix of the set names these formats write for manifest `manifestName`, nil when none writes sets.
    public func prefixInEffect(manifestName: String) -> String? {
        guard formats.contains(where: \.namesSets) else { return nil }
        return setPrefix ?? SetNaming.derivedPrefix(manifestName)
    }

    /// Checks the set names a manifest (by name) and its services (`tcp/443`) give against each chosen
    /// format's limit, so a run can refuse before it resolves anything.
    public func check(manifestName: String, services: [String]) throws(FormatError) {
        try check()
        let naming = try SetNaming(prefix: setPrefix, manifestName: manifestName)
        for service in services {
            let parsed = try ServiceName(service)
            for family in [IPFamily.v4, .v6] {
                try naming.checkLimits(naming.name(family, parsed), formats: formats)
            }
        }
    }
}

/// A format option or a snapshot that cannot be rendered: said in one sentence; the CLI exits 2.
public struct FormatError: Error, Sendable, Equatable, CustomStringConvertible {
    public var description: String

    public init(_ description: String) {
        self.description = description
    }
}
