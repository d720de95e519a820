import ArgumentParser

@main
struct EgressMapCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "egressmap",
        abstract: "Resolve the endpoints a vendor requires into IP-level allowlists.",
        subcommands: [ResolveCommand.self, CIDRCommand.self, ManifestCommand.self]
    )
}
