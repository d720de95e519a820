import ArgumentParser
import Drift
import EgressMap
import Foundation
import Hostnames
import IPNet

struct HistoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "When each address of a name (or each name of an address) was seen, and through which chain."
    )

    @Argument(help: "A name or an address.")
    var subject: String

    @Option(help: "The output folder that holds history.sqlite.")
    var out: String = "Output"

    func run() throws {
        let key = try Self.key(subject)
        let folder = OutputFolder(out)
        guard FileManager.default.fileExists(atPath: folder.history.path) else {
            printError("egressmap: no history in \(out) (\(folder.history.path) does not exist); run egressmap run first")
            throw ExitCode(2)
        }
        let sightings: [Sighting]
        do {
            sightings = try HistoryStore(path: folder.history.path).sightings(matching: key)
        } catch {
            printError("egressmap: \(folder.history.path): \(HistoryStore.trouble(error))")
            throw ExitCode(2)
        }
        guard !sightings.isEmpty else {
            print("\(subject): never seen in \(out)")
            return
        }
        let rows = [["NAME", "ADDRESS", "FIRST SEEN", "LAST SEEN", "RUNS", "ROUNDS", "CHAIN"]] + sightings.map {
            [
                $0.name, $0.address, Timestamp.iso8601(milliseconds: $0.firstSeenMs),
                Timestamp.iso8601(milliseconds: $0.lastSeenMs), String($0.runs), String($0.rounds), $0.chain,
            ]
        }
        let widths = (0..<6).map { column in rows.map { $0[column].count }.max() ?? 0 }
        for row in rows {
            print(row.enumerated().map { index, cell in
                index < widths.count ? cell + String(repeating: " ", count: widths[index] - cell.count) : cell
            }.joined(separator: "  "))
        }
    }

    /// The subject as the history keeps it: an address in its canonical text (`2001:db8::1`), or a name in lower
    /// case without a trailing dot; anything else is bad input (exit 2).
    static func key(_ subject: String) throws -> String {
        if let address = try? IPAddress(parsing: subject) { return address.description }
        do {
            return try DomainName(validating: subject).text
        } catch {
            printError("egressmap: history: \(error.description); give a host name or an address")
            throw ExitCode(2)
        }
    }
}
