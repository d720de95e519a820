import ArgumentParser
import IPNet

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Which address family `cidr merge` prints.
enum CIDRFamilyFilter: String, EnumerableFlag {
    case v4
    case v6

    static func help(for value: CIDRFamilyFilter) -> ArgumentHelp? {
        value == .v4 ? "Print only the IPv4 prefixes." : "Print only the IPv6 prefixes (IPv4-mapped included)."
    }
}

struct CIDRMergeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Print the fewest prefixes that cover the addresses, prefixes and ranges on standard input.",
        discussion: """
            One entry a line: 192.0.2.1, 192.0.2.0/24, 192.0.2.10-192.0.2.20 or their IPv6 forms; blank lines \
            and # comments are ignored. Prints IPv4 first, then IPv6, one prefix with its length a line. \
            A bad line prints nothing but "line N: <text>: <problem>" on standard error, and exits 2.
            """
    )

    @Flag(help: "Limit the output to one address family.")
    var family: CIDRFamilyFilter?

    func run() async throws {
        let input = try readStandardInput()
        var set: IPAddressSet
        do {
            set = try input.withUnsafeBufferPointer { bytes throws(IPListError) in
                try IPAddressSet(parsingList: bytes)
            }
        } catch {
            writeStandardError("\(error)\n")
            throw ExitCode(2)
        }
        switch family {
        case .v4?: set = set.ipv4Only
        case .v6?: set = set.ipv6Only
        case nil: break
        }
        var output = [UInt8]()
        output.reserveCapacity(input.count)
        set.appendPrefixLines(to: &output)
        try writeStandardOutput(output)
    }
}

/// Reads all of standard input as bytes, less a UTF-8 byte order mark at its start (editors on Windows write
/// one; it is not part of the first line).
func readStandardInput() throws -> [UInt8] {
    var bytes = [UInt8]()
    var chunk = [UInt8](repeating: 0, count: 1 << 20)
    while true {
        let count = chunk.withUnsafeMutableBytes { read(0, $0.baseAddress, $0.count) }
        if count == 0 {
            if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
            return bytes
        }
        if count < 0 {
            if errno == EINTR { continue }
            writeStandardError("cannot read standard input: \(String(cString: strerror(errno)))\n")
            throw ExitCode(2)
        }
        bytes.append(contentsOf: chunk[0..<count])
    }
}
