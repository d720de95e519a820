import ArgumentParser

@main
struct EgressMapCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "egressmap",
        abstract: "Resolve the endpoints a vendor requires into IP-level allowlists.",
        subcommands: [RunCommand.self, ResolveCommand.self, ManifestCommand.self, CIDRCommand.self,
                      EmitCommand.self, DiffCommand.self, HistoryCommand.self, ProbeCommand.self]
    )
}
