import ArgumentParser
import IPNet

struct CIDRClassifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "classify",
        abstract: "Name the special-purpose block of each address, or say it is global.",
        discussion: """
            Prints one line per address: "<address>: global", or "<address>: <block> — <name> (<RFC>): \
            <reason>", with the IPv4 address embedded in IPv4-mapped, NAT64, 6to4 and Teredo addresses. \
            Exits 2 when an argument is not a valid address.
            """
    )

    @Argument(help: "The addresses to classify.")
    var addresses: [String]

    func validate() throws {
        if addresses.isEmpty { throw ValidationError("Give at least one address to classify.") }
    }

    func run() async throws {
        let addresses: [IPAddress]
        do {
            addresses = try self.addresses.map { (text) throws(IPParseError) in try IPAddress(parsing: text) }
        } catch {
            writeStandardError("\(error)\n")
            throw ExitCode(2)
        }
        for address in addresses {
            print("\(address): \(Self.explain(address))")
        }
    }

    /// The block and reason for `address`, its reachability, and what an embedded IPv4 address is.
    static func explain(_ address: IPAddress) -> String {
        var text = classify(address).map { block in
            block.description + (block.globallyReachable == true ? " [globally reachable]" : "")
        } ?? "global"
        if case .v6(let v6) = address, let embedded = embeddedIPv4(in: v6) {
            let inner = classify(.v4(embedded.address)).map { "\($0.prefix) \($0.name)" } ?? "global"
            text += "; \(embedded) (\(inner))"
        }
        return text
    }
}
