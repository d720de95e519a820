import ArgumentParser
import Drift
import EgressMap
import Foundation

struct DiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Compare two runs' snapshots: exit 0 same, 1 different, 2 trouble.",
        discussion: """
            OLD and NEW are snapshot files, or run ids looked up in --out DIR/snapshots/. "Same" means the same \
            allowlist prefixes, the same addresses per name, the same outcome per name and the same probe \
            verdicts; TTLs and timings never count.
            """
    )

    @Argument(help: "The older snapshot: a file or a run id.")
    var old: String

    @Argument(help: "The newer snapshot: a file or a run id.")
    var new: String

    @Flag(help: "Write the diff as JSON (Schemas/diff.schema.json).")
    var json = false

    @Flag(help: "Write the diff as markdown.")
    var markdown = false

    @Option(help: "The output folder whose snapshots run ids name.")
    var out: String = "Output"

    func run() throws {
        if json && markdown { throw ValidationError("--json and --markdown exclude each other") }
        let before = try load(old)
        let after = try load(new)
        let diff = SnapshotDiff(old: before, new: after)
        if json {
            try writeStandardOutput([UInt8](try SnapshotCoding.encode(diff)))
        } else if markdown {
            print(DiffReport.markdown(diff), terminator: "")
        } else {
            let colors = colorsAllowed(on: EgressMap.OutputStream(fd: 1), environment: ProcessInfo.processInfo.environment)
            let text = DiffReport.terminal(diff, paint: Paint(enabled: colors))
            print(text.isEmpty ? "no change between \(before.runID) and \(after.runID)" : text)
        }
        if !diff.same { throw ExitCode(1) }
    }

    private func load(_ reference: String) throws -> Snapshot {
        var path = reference
        if !FileManager.default.fileExists(atPath: path) {
            path = URL(fileURLWithPath: out).appendingPathComponent("snapshots/\(reference).json").path
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            printError("egressmap: \(reference): no such snapshot file, and no run \(reference) in \(out)/snapshots")
            throw ExitCode(2)
        }
        do {
            return try SnapshotCoding.decodeSnapshot(data, file: path)
        } catch {
            printError("egressmap: \(error)")
            throw ExitCode(2)
        }
    }
}
