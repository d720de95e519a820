import ArgumentParser
import IPNet

struct CIDRContainsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "contains",
        abstract: "Check that every address is inside a prefix.",
        discussion: """
            Exits 0 when every address is inside PREFIX, 1 when some are not (each printed on standard output, \
            one a line), 2 when an argument is not a valid prefix or address. An IPv4-mapped IPv6 address is \
            IPv6, so it is never inside an IPv4 prefix.
            """
    )

    @Argument(help: "The prefix, e.g. 17.0.0.0/8.")
    var prefix: String

    @Argument(help: "The addresses to check.")
    var addresses: [String]

    func validate() throws {
        if addresses.isEmpty { throw ValidationError("Give at least one address to check.") }
    }

    func run() async throws {
        let prefix: IPPrefix
        let addresses: [IPAddress]
        do {
            prefix = try IPPrefix(parsing: self.prefix)
            addresses = try self.addresses.map { (text) throws(IPParseError) in try IPAddress(parsing: text) }
        } catch {
            writeStandardError("\(error)\n")
            throw ExitCode(2)
        }
        let outside = addresses.filter { !prefix.contains($0) }
        if outside.isEmpty { return }
        print(outside.map(\.description).joined(separator: "\n"))
        throw ExitCode(1)
    }
}
