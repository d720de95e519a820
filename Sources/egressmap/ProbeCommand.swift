import ArgumentParser
import EgressMap
import Foundation
import IPNet
import Probe

/// `egressmap probe`: TCP connect probes of the (address, port) pairs given, nothing else; for ad-hoc checks
/// ("is this reachable from here?") and the probe benchmark. Addresses are taken as given: no names, no
/// ranges, no sweep.
struct ProbeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "probe",
        abstract: "TCP-connect to ADDRESS:PORT pairs and print each verdict.",
        discussion: """
            Prints one line per pair, sorted: ADDRESS:PORT, verdict (open, refused, timeout, unreachable, \
            error), attempts, milliseconds to the verdict (open and refused) or -, and the errno. A summary goes \
            to stderr. Exit status: 0 done (whatever the verdicts); 2 a bad pair (nothing probed).
            """
    )

    @Argument(help: ArgumentHelp("Pairs such as 192.0.2.1:443 or [2001:db8::1]:443.", valueName: "address:port"))
    var targets: [String] = []

    @Option(help: "Read pairs from a file, one a line ('-' for stdin); blank lines and # comments are skipped.")
    var input: String?

    @OptionGroup var probing: ProbeOptions

    mutating func run() async throws {
        let settings = try probing.settings()!
        var texts = targets.map { ("argument", $0) }
        if let input { texts += try readLines(input) }
        var pairs: [ProbeTarget] = []
        var bad = 0
        for (place, text) in texts {
            do {
                pairs.append(try ProbeTarget(parsing: text))
            } catch {
                printError("egressmap: \(place): \(error)")
                bad += 1
            }
        }
        if bad > 0 { throw ExitCode(2) }
        guard !pairs.isEmpty else { throw ValidationError("no pairs to probe: give ADDRESS:PORT or --input FILE") }

        let started = ContinuousClock.now
        let results = await Prober.probe(pairs, settings: settings)
        let elapsed = ContinuousClock.now - started
        let output = EgressMap.OutputStream(fd: 1)
        var counts: [ProbeVerdict: Int] = [:]
        var seen = Set<ProbeTarget>()
        for result in results.sorted(by: { $0.target < $1.target }) where seen.insert(result.target).inserted {
            counts[result.verdict, default: 0] += 1
            let timed = result.verdict == .open || result.verdict == .refused
            let milliseconds = Double(result.elapsed.components.attoseconds / 1_000_000_000_000
                + result.elapsed.components.seconds * 1_000_000) / 1000
            output.writeLine("\(result.target)\t\(result.verdict.rawValue)\t\(result.attempts)\t"
                + (timed ? String(format: "%.3f", milliseconds) : "-") + "\t\(result.detail ?? "-")")
        }
        output.flush()
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let summary = ProbeVerdict.allCases.compactMap { verdict in counts[verdict].map { "\($0) \(verdict.rawValue)" } }
        let probed = "\(seen.count) pair\(seen.count == 1 ? "" : "s")"
        printError("egressmap: \(probed) in " + String(format: "%.3f", seconds)
            + " s at concurrency \(settings.concurrency): " + summary.joined(separator: ", "))
    }

    /// The pairs of the file at `path` (`-`: standard input) with their places (`file:line`), without blank
    /// lines and `#` comments; read as `resolve --input` reads names (CRLF line ends, a byte order mark).
    private func readLines(_ path: String) throws -> [(String, String)] {
        let reader: LineReader
        do {
            reader = try LineReader(path: path)
        } catch {
            printError("egressmap: \(error)")
            throw ExitCode(2)
        }
        var lines: [(String, String)] = []
        while let line = reader.next() {
            let text = line.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            if !trimmed.isEmpty { lines.append(("\(path == "-" ? "stdin" : path):\(reader.lineNumber)", trimmed)) }
        }
        return lines
    }
}
