import ArgumentParser
import Foundation
import Manifest

/// `egressmap manifest check|expand`: lint a manifest and show the names a run would resolve.
struct ManifestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "manifest",
        abstract: "Check and expand manifests.",
        subcommands: [ManifestCheckCommand.self, ManifestExpandCommand.self]
    )
}

/// Which manifest to read: a file, or one compiled into the binary.
struct ManifestSource: ParsableArguments {
    @Argument(help: "The manifest file (YAML or JSON; - reads standard input).")
    var file: String?

    @Option(name: .long, help: ArgumentHelp("A manifest compiled into egressmap instead of a file.",
                                            valueName: "name"))
    var bundled: String?

    /// Decodes the manifest, or prints every error on stderr and exits with status 2 (bad input or usage).
    func load() throws -> Manifest {
        let names = Manifest.bundledNames.joined(separator: ", ")
        guard (file == nil) != (bundled == nil) else {
            printError("egressmap: give a manifest FILE or --bundled NAME (\(names)), one of the two")
            throw ExitCode(2)
        }
        // Said here, not as an error at line 1 of a file that does not exist (Manifests/NAME.yaml).
        if let bundled, Manifest.bundledText(bundled) == nil {
            printError("egressmap: --bundled: no bundled manifest '\(bundled)'; expected one of \(names)")
            throw ExitCode(2)
        }
        do {
            if let bundled { return try Manifest.bundled(bundled) }
            return try Manifest(contentsOf: file ?? "")
        } catch {
            printError(error.description)
            let count = error.errors.count
            let source = bundled.map { "bundled manifest \($0)" } ?? Manifest.fileName(file ?? "")
            printError("\(count) error\(count == 1 ? "" : "s") in \(source)")
            throw ExitCode(2)
        }
    }
}

/// `egressmap manifest check FILE`: every error at once (exit 2), or a one-line summary.
struct ManifestCheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Report every error of a manifest at once (exit 2), or summarise it."
    )

    @OptionGroup var source: ManifestSource

    func run() throws {
        let manifest = try source.load()
        let hosts = manifest.hosts
        let wildcards = hosts.filter(\.pattern.isWildcard).count
        let variables = manifest.variables.map(\.name).joined(separator: ", ")
        let ranges = manifest.ranges.count
        print("OK \(manifest.file): manifest \(manifest.name), \(hosts.count) host endpoint\(hosts.count == 1 ? "" : "s") "
            + "(\(wildcards) wildcard), \(ranges) range\(ranges == 1 ? "" : "s"), "
            + "variables: \(variables.isEmpty ? "none" : variables)")
        for range in manifest.ranges {
            if let warning = range.breadthWarning {
                printError("egressmap: warning: \(range.common.location): \(warning)")
            }
        }
    }
}
