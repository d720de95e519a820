import IPNet

/// A service as the snapshot writes it, `tcp/443`, parsed: the protocol and the port.
public struct ServiceName: Sendable, Hashable {
    public var transport: String
    public var port: UInt16

    /// Reads `tcp/443` or `udp/53`; anything else is an error (snapshots are read from files).
    public init(_ text: String) throws(FormatError) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, ["tcp", "udp"].contains(parts[0]),
            parts[1].allSatisfy(\.isASCII), parts[1].allSatisfy(\.isNumber), parts[1].count <= 5,
            let port = UInt16(parts[1]), port > 0
        else {
            throw FormatError("service \"\(CommentText.visible(text))\" is not PROTOCOL/PORT (tcp/443, udp/53)")
        }
        transport = String(parts[0])
        self.port = port
    }

    /// `tcp443`, the service's part of a set name.
    public var compact: String { "\(transport)\(port)" }

    public var description: String { "\(transport)/\(port)" }
}

/// Set names: `<prefix>_v4_tcp443`, one per address family and protocol-port. Users' own rules refer to
/// them, so the scheme is fixed; the prefix defaults to the manifest name reduced to `[a-z0-9_]`.
public struct SetNaming: Sendable, Equatable {
    /// ipset's `IPSET_MAXNAMELEN` is 32 with the terminating NUL.
    public static let ipsetLimit = 31
    /// pf's `PF_TABLE_NAME_SIZE` is 32 with the NUL.
    public static let pfLimit = 31
    /// nft's `NFT_NAME_MAXLEN` is 256 with the NUL.
    public static let nftLimit = 255
    /// iptables chain names: `XT_EXTENSION_MAXNAMELEN` is 29 with the NUL.
    public static let chainLimit = 28
    /// Cisco ASA object-group names.
    public static let asaLimit = 64
    /// AWS managed prefix list names.
    public static let awsLimit = 255

    public var prefix: String

    /// The prefix given (checked) or derived from the manifest name.
    public init(prefix: String?, manifestName: String) throws(FormatError) {
        if let prefix {
            try Self.checkPrefix(prefix)
            self.prefix = prefix
        } else {
            self.prefix = Self.derivedPrefix(manifestName)
        }
    }

    /// The manifest name in lower case with every other character than `[a-z0-9_]` made `_`, runs of `_`
    /// collapsed and trimmed; `em_` in front when it would not start with a letter (nft names must).
    public static func derivedPrefix(_ manifestName: String) -> String {
        var result = ""
        for scalar in manifestName.lowercased().unicodeScalars {
            let keep = ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar)
            if keep {
                result.unicodeScalars.append(scalar)
            } else if !result.isEmpty && !result.hasSuffix("_") {
                result += "_"
            }
        }
        while result.hasSuffix("_") { result.removeLast() }
        if let first = result.unicodeScalars.first, ("a"..."z").contains(first) { return result }
        return result.isEmpty ? "egressmap" : "em_" + result
    }

    /// `--set-prefix`: lower-case letters, digits and `_`, starting with a letter.
    public static func checkPrefix(_ prefix: String) throws(FormatError) {
        guard isIdentifier(prefix, allowingHyphen: false), prefix == prefix.lowercased() else {
            throw FormatError(
                "--set-prefix \"\(CommentText.visible(prefix))\": expected lower-case letters, digits and '_', "
                    + "starting with a letter (such as acme_iru)"
            )
        }
    }

    /// `--chain`: an iptables user chain name that is not a built-in chain or target.
    public static func checkChain(_ chain: String) throws(FormatError) {
        let reserved = [
            "INPUT", "OUTPUT", "FORWARD", "PREROUTING", "POSTROUTING", "ACCEPT", "DROP", "RETURN",
            "QUEUE", "REJECT", "LOG",
        ]
        guard isIdentifier(chain, allowingHyphen: true), chain.utf8.count <= chainLimit,
            !reserved.contains(chain.uppercased())
        else {
            throw FormatError(
                "--chain \"\(CommentText.visible(chain))\": expected a new chain name of letters, digits, '_' "
                    + "and '-', starting with a letter, at most \(chainLimit) characters, not a built-in chain "
                    + "or target"
            )
        }
    }

    /// ASCII letters, digits, `_` (and `-` when allowed), starting with a letter.
    static func isIdentifier(_ text: String, allowingHyphen: Bool) -> Bool {
        guard let first = text.unicodeScalars.first, first.isASCIILetter else { return false }
        return text.unicodeScalars.allSatisfy {
            $0.isASCIILetter || ("0"..."9").contains($0) || $0 == "_" || (allowingHyphen && $0 == "-")
        }
    }

    /// `<prefix>_v4_tcp443`.
    public func name(_ family: IPFamily, _ service: ServiceName) -> String {
        "\(prefix)_\(family == .v4 ? "v4" : "v6")_\(service.compact)"
    }

    /// Checks `name` against the limit of every chosen format that has one.
    public func checkLimits(_ name: String, formats: Set<OutputFormat>) throws(FormatError) {
        let limits: [(OutputFormat, String, Int)] = [
            (.ipset, "ipset", Self.ipsetLimit), (.iptables, "ipset (iptables matches ipset sets)", Self.ipsetLimit),
            (.ip6tables, "ipset (ip6tables matches ipset sets)", Self.ipsetLimit), (.pf, "pf", Self.pfLimit),
            (.nft, "nft", Self.nftLimit), (.ciscoASA, "Cisco ASA", Self.asaLimit),
            (.awsPrefixList, "AWS", Self.awsLimit),
        ]
        for (format, tool, limit) in limits where formats.contains(format) && name.utf8.count > limit {
            throw FormatError(
                "set name \(name) has \(name.utf8.count) characters; \(tool) allows \(limit): give a shorter "
                    + "--set-prefix (at most \(limit - (name.utf8.count - prefix.utf8.count)) characters)"
            )
        }
    }
}

extension Unicode.Scalar {
    var isASCIILetter: Bool { ("a"..."z").contains(self) || ("A"..."Z").contains(self) }
}
