import Allowlist
import ArgumentParser
import Drift
import EgressMap
import Foundation
import Manifest

/// `egressmap emit`: re-renders a stored run's allowlists from its snapshot, without touching the network.
struct EmitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "emit",
        abstract: "Re-render a stored run's allowlists in any format, from its snapshot alone.",
        discussion: """
            A single-file format (nft, ipset, iptables, ip6tables, cisco-asa, mikrotik, csv, json) goes to \
            stdout unless --out is given; the others (plain, pf, aws-prefix-list) need --out. Give the same \
            --set-prefix, --nft-table, --with-rules and --chain as the run to get the same files. \
            Exit status: 0 written; 2 bad input (nothing written).
            """
    )

    @Option(help: ArgumentHelp(
        "A snapshot: snapshots/<run id>.json or latest.json (- reads standard input).", valueName: "file"
    ))
    var snapshot: String

    @OptionGroup var formats: FormatOptions

    @Option(help: "Write the files into this folder (created if missing) instead of stdout.")
    var out: String?

    mutating func run() throws {
        var options = try formats.options()
        let chosen = try OutputFormat.parseList(formats.format)
        let taken = try readSnapshot()
        // The names the run's sets have (`--set-prefix` then, or the manifest's name), unless given now.
        if options.setPrefix == nil { options.setPrefix = taken.policy.setPrefix }
        var files: [String: Data] = [:]
        do {
            for format in chosen.sorted() {
                files.merge(try AllowlistDocuments.files(of: format, taken, options: options)) { $1 }
            }
        } catch let error as FormatError {
            printError("egressmap: \(snapshot): \(error.description); nothing was written")
            throw ExitCode(2)
        }
        FormatOptions.printWarnings(taken, options)
        if !taken.published {
            // latest.json is the newest run's, published or not: say so, or a re-render passes the guards.
            printError(
                "egressmap: warning: run \(taken.runID) was not published (\(taken.publishNote ?? "no reason given")); "
                    + "these are not the lists in place, which are those of the snapshot of the run that the "
                    + "folder's allowlist/ links to (generations/<run id>)"
            )
        }
        guard let out else {
            guard chosen.count == 1, let only = chosen.first, only.isSingleFile, let data = files.values.first else {
                let single = OutputFormat.allCases.filter(\.isSingleFile).map(\.rawValue).joined(separator: ", ")
                printError(
                    "egressmap: --format \(formats.format) writes several files: give --out DIR, or --format with "
                        + "one of \(single) for stdout"
                )
                throw ExitCode(2)
            }
            try writeStandardOutput([UInt8](data))
            return
        }
        let folder = URL(fileURLWithPath: out, isDirectory: true)
        do {
            try AtomicFile.makeFolders(folder)
        } catch {
            printError("egressmap: \(error)")
            throw ExitCode(2)
        }
        for (name, data) in files.sorted(by: { $0.key < $1.key }) {
            try AtomicFile.write(data, to: folder.appendingPathComponent(name))
        }
    }

    private func readSnapshot() throws -> Snapshot {
        let fromInput = snapshot == Manifest.standardInput.path
        let file = fromInput ? Manifest.standardInput.name : snapshot
        guard let data = fromInput ? FileHandle.standardInput.readDataToEndOfFile()
                : FileManager.default.contents(atPath: snapshot) else {
            printError("egressmap: \(snapshot): no such file, or not readable")
            throw ExitCode(2)
        }
        do {
            return try SnapshotCoding.decodeSnapshot(data, file: file)
        } catch {
            printError("egressmap: \(error.description)")
            throw ExitCode(2)
        }
    }
}
