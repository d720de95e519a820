import ArgumentParser
import Hostnames
import Manifest

/// `egressmap manifest expand FILE [--var K=V]... [--region R] [--os X]`: the names a run would resolve.
struct ManifestExpandCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "expand",
        abstract: "Print the names a run would resolve: name, role, endpoint and ports, tab-separated.",
        discussion: """
            Roles: exact (listed), sample (a known label in place of a wildcard's '*'), catch-all-probe (a random
            label that tells whether the zone answers every name). Endpoints skipped for want of a variable, the
            ranges and the wildcards that cannot be enumerated are listed on standard error.
            """
    )

    @OptionGroup var source: ManifestSource

    @Option(name: .customLong("var"), help: ArgumentHelp("A variable's value, such as subdomain=acme.",
                                                         valueName: "name=value"))
    var variables: [String] = []

    @Option(help: "Keep endpoints of this region and those without one.")
    var region: String?

    @Option(help: ArgumentHelp("Keep endpoints for this platform or all (\(Platform.spellings)).",
                               valueName: "os"))
    var os: String?

    func run() throws {
        let values = try parseVariables()
        var platform: Platform?
        if let os {
            guard let parsed = Platform(rawValue: os.lowercased()) else {
                printError("error: --os \(os): expected one of \(Platform.spellings)")
                throw ExitCode(2)
            }
            platform = parsed
        }
        let manifest = try source.load()
        let expansion: Expansion
        do {
            expansion = try manifest.expand(variables: values,
                                            filter: ExpansionFilter(region: region?.lowercased(), platform: platform))
        } catch {
            printError("error: \(error.description)")
            throw ExitCode(2)
        }
        for target in expansion.targets {
            let sources = target.sources.map(\.description).joined(separator: "; ")
            let services = target.services.map(\.description).joined(separator: ",")
            print([target.name.text, target.role.description, sources, services].joined(separator: "\t"))
        }
        for range in expansion.ranges {
            let services = range.common.services.map(\.description).joined(separator: ",")
            printError("range \(range.reference): allowed as a whole on \(services); not resolved")
        }
        for zone in expansion.wildcards where !zone.isEnumerable {
            printError("note: \(zone.note)")
        }
        for skipped in expansion.skipped {
            printError(skipped.description)
        }
    }

    /// `NAME=VALUE` pairs; anything else exits with status 2 and says what was expected.
    private func parseVariables() throws -> [String: String] {
        var values: [String: String] = [:]
        for item in variables {
            guard let equals = item.firstIndex(of: "="), equals != item.startIndex else {
                printError("error: --var \(item): expected NAME=VALUE, such as --var subdomain=acme")
                throw ExitCode(2)
            }
            let name = String(item[..<equals])
            if values[name] != nil {
                printError("error: --var \(name) is given twice; expected each variable once")
                throw ExitCode(2)
            }
            values[name] = String(item[item.index(after: equals)...])
        }
        return values
    }
}
