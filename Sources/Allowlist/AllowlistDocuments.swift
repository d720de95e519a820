import Drift
import Foundation
import IPNet

/// The files of the published `allowlist/` folder: `all.txt`, one `<proto>-<port>.txt` per service and
/// `allowlist.json` always, and the files of each format `--format` adds. Rendered from the snapshot alone,
/// so `egressmap emit` re-renders any stored run.
public enum AllowlistDocuments {
    /// File name → bytes, for every file of the published folder.
    /// - Throws: `FormatError` when the snapshot holds a prefix or service that does not parse, or a set
    ///   name is over a chosen format's limit; nothing is rendered then.
    public static func render(_ snapshot: Snapshot, formats options: RenderOptions = RenderOptions()) throws
        -> [String: Data]
    {
        var files: [String: Data] = [:]
        files["all.txt"] = plain(snapshot.all)
        for file in snapshot.allowlists {
            files["\(file.name).txt"] = plain(file.prefixes.map(\.prefix))
        }
        files["allowlist.json"] = try json(snapshot)
        let extra = options.formats.subtracting(OutputFormat.always)
        guard !extra.isEmpty else { return files }
        try options.check()
        let plan = try FormatPlan(snapshot, options: options)
        for format in extra.sorted() {
            for (name, text) in try render(format, plan, snapshot, options) { files[name] = text }
        }
        return files
    }

    /// The files of one extra format.
    static func render(_ format: OutputFormat, _ plan: FormatPlan, _ snapshot: Snapshot, _ options: RenderOptions)
        throws -> [String: Data]
    {
        switch format {
        case .plain, .json: return [:]
        case .csv: return ["allowlist.csv": Data(CSVFormat.render(plan, snapshot).utf8)]
        case .nft: return ["allowlist.nft": Data(NFTFormat.render(plan, options: options).utf8)]
        case .ipset: return ["allowlist.ipset": Data(IPSetFormat.render(plan).utf8)]
        case .iptables:
            return ["allowlist.iptables": Data(IPTablesFormat.render(plan, family: .v4, chain: options.chain).utf8)]
        case .ip6tables:
            return ["allowlist.ip6tables": Data(IPTablesFormat.render(plan, family: .v6, chain: options.chain).utf8)]
        case .pf: return PFFormat.render(plan).mapValues { Data($0.utf8) }
        case .ciscoASA: return ["allowlist.asa": Data(CiscoASAFormat.render(plan).utf8)]
        case .mikrotik: return ["allowlist.rsc": Data(MikroTikFormat.render(plan).utf8)]
        case .awsPrefixList: return try AWSPrefixListFormat.render(plan)
        }
    }

    /// The files one format writes for `snapshot`, by name: what `egressmap emit --format F` writes.
    public static func files(of format: OutputFormat, _ snapshot: Snapshot, options: RenderOptions) throws
        -> [String: Data]
    {
        switch format {
        case .plain:
            var files = ["all.txt": plain(snapshot.all)]
            for file in snapshot.allowlists { files["\(file.name).txt"] = plain(file.prefixes.map(\.prefix)) }
            return files
        case .json: return ["allowlist.json": try json(snapshot)]
        default:
            try options.check()
            return try render(format, FormatPlan(snapshot, options: options), snapshot, options)
        }
    }

    /// One prefix a line, with its length, in the order given (IPv4 first, then IPv6): the EDL form.
    public static func plain(_ prefixes: [String]) -> Data {
        var text = [UInt8]()
        text.reserveCapacity(20 * prefixes.count)
        for index in prefixes.indices {
            text.append(contentsOf: prefixes[index].utf8)
            text.append(UInt8(ascii: "\n"))
        }
        return Data(text)
    }

    /// `allowlist.json`: each prefix with its provenance (`Schemas/allowlist.schema.json`), in the shape of
    /// `AllowlistJSON`.
    public static func json(_ snapshot: Snapshot) throws -> Data {
        var json = PrettyJSONWriter(capacity: 1 << 16)
        AllowlistJSON.write(of: snapshot, to: &json)
        return json.finishedData()
    }
}

/// The shape of `allowlist.json`.
struct AllowlistJSON: Codable {
    struct File: Codable {
        var name: String
        var service: String
        var path: String
        var prefixes: [Entry]
    }

    struct Entry: Codable {
        var prefix: String
        var endpoints: [String]
        var names: [String]
        /// Kept from history while the names' lookups fail.
        var stale: Bool
    }

    var schema: String
    var runID: String
    var generatedAt: String
    var manifest: String
    var all: [String]
    var files: [File]

    enum CodingKeys: String, CodingKey {
        case schema, manifest, all, files
        case runID = "run_id"
        case generatedAt = "generated_at"
    }
}
