import Allowlist
import ArgumentParser
import Drift
import Manifest

/// `--format` and the options of the firewall formats: shared by `run` and `emit`.
struct FormatOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "Allowlist formats, comma-separated: \(OutputFormat.spellings). run writes plain and json as well.",
            valueName: "list"
        ))
    var format: String = "plain,json"

    @Option(
        name: .customLong("set-prefix"),
        help: ArgumentHelp(
            "Set names start with this (<prefix>_v4_tcp443); default: the manifest name reduced to [a-z0-9_] "
                + "(emit: the prefix the snapshot records).",
            valueName: "prefix"
        ))
    var setPrefix: String?

    @Option(
        name: .customLong("nft-table"), parsing: .upToNextOption,
        help: ArgumentHelp(
            "Fill the sets inside your own nft table (family: \(NFTTable.families.joined(separator: ", "))) "
                + "instead of owning table inet egressmap.",
            valueName: "family name"
        ))
    var nftTable: [String] = []

    @Flag(name: .customLong("with-rules"), help: "Add accept rules for the sets to the egressmap nft table.")
    var withRules = false

    @Option(help: "The iptables/ip6tables chain that holds the accept rules.")
    var chain: String = RenderOptions.defaultChain

    /// The options, checked; a bad value prints one sentence and exits 2 (nothing is written).
    func options() throws -> RenderOptions {
        try exitingOnError {
            var table: NFTTable? = nil
            if !nftTable.isEmpty {
                // Two words, or one quoted (`--nft-table "inet filter"`, as the help's `<family name>` reads).
                let words = nftTable.flatMap { $0.split(whereSeparator: \.isWhitespace).map(String.init) }
                guard words.count == 2 else {
                    throw FormatError("--nft-table: expected a FAMILY and a NAME, such as --nft-table inet filter")
                }
                table = try NFTTable(family: words[0], name: words[1])
            }
            let options = RenderOptions(
                formats: try OutputFormat.parseList(format), setPrefix: setPrefix, nftTable: table,
                withRules: withRules, chain: chain
            )
            try options.check()
            return options
        }
    }

    /// The options, with the set names `manifest` gives checked against each chosen format's limit.
    func options(for manifest: Manifest) throws -> RenderOptions {
        let options = try options()
        try exitingOnError {
            try options.check(manifestName: manifest.name, services: manifest.services.map(\.description))
        }
        return options
    }

    /// Prints every consumer-limit warning for `snapshot` on stderr.
    static func printWarnings(_ snapshot: Snapshot, _ options: RenderOptions) {
        for warning in ConsumerLimits.warnings(snapshot, options: options) {
            printError("egressmap: warning: \(warning)")
        }
    }

    private func exitingOnError<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as FormatError {
            printError("egressmap: \(error.description); nothing was written")
            throw ExitCode(2)
        }
    }
}
