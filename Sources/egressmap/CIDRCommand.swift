import ArgumentParser

struct CIDRCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cidr",
        abstract: "Merge, test and classify addresses and prefixes.",
        subcommands: [CIDRMergeCommand.self, CIDRContainsCommand.self, CIDRClassifyCommand.self]
    )
}
