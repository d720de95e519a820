import ArgumentParser
import Hostnames
import Manifest

/// `egressmap manifest expand FILE [--var K=V]... [--region R] [--os X]`: the names a run would resolve.
struct ManifestExpandCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "expand",
        abstract: "Print the names a run would resolve: name, role, endpoint and ports, tab-separated.",
        discussion: """
            Roles: exact (listed), sample (a known label in place of a wildcard's '*'), catch-all-probe (a \
            random-looking label, the same for a zone in every run, that tells whether the zone answers every \
            name). Endpoints skipped for want of a variable, the \
            ranges and the wildcards that cannot be enumerated are listed on standard error.
            """
    )

    @OptionGroup var source: ManifestSource

    @OptionGroup var expansion: ExpansionOptions

    func run() throws {
        let values = try expansion.variables()
        let filter = try expansion.filter()
        let manifest = try source.load()
        let expanded: Expansion
        do {
            expanded = try manifest.expand(variables: values, filter: filter)
        } catch {
            printError("egressmap: \(error.description)")
            throw ExitCode(2)
        }
        for target in expanded.targets {
            let sources = target.sources.map(\.description).joined(separator: "; ")
            let services = target.services.map(\.description).joined(separator: ",")
            print([target.name.text, target.role.description, sources, services].joined(separator: "\t"))
        }
        for range in expanded.ranges {
            let services = range.common.services.map(\.description).joined(separator: ",")
            printError("range \(range.reference): allowed as a whole on \(services); not resolved")
        }
        for zone in expanded.wildcards where !zone.isEnumerable {
            printError("note: \(zone.note)")
        }
        for skipped in expanded.skipped {
            printError(skipped.description)
        }
    }
}
