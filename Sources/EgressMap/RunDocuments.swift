import Drift
import Foundation

/// The documents a run writes beside its allowlists, ready before any of them is put in place: the snapshot
/// and its copy `latest.json` (already written and synced under temporary names), the diff as JSON and
/// markdown, and `matrix.md`.
struct RunDocuments: Sendable {
    var runID: String
    var snapshot: StagedSnapshot
    var diffJSON: Data
    var diffMarkdown: Data
    var matrix: Data
}

/// `snapshots/<id>.json` and `latest.json`, the same bytes in two files, written and synced, not yet in place.
struct StagedSnapshot: Sendable {
    var file: AtomicFile.Staged
    var latest: AtomicFile.Staged

    /// Removes both, for a run that stopped before they were due.
    func discard() {
        file.discard()
        latest.discard()
    }
}

extension OutputFolder {
    /// Encodes the snapshot and writes it, synced, under temporary names beside `snapshots/<id>.json` and
    /// `latest.json` (a copy, as the output folder's contract says): a piece at a time as it is encoded, from
    /// one buffer of a quarter of a megabyte (see `PrettyJSONWriter.init(handingOverEvery:to:)`), each piece
    /// to both files.
    func stageSnapshot(_ snapshot: Snapshot) throws -> StagedSnapshot {
        let staged = try AtomicFile.stage(
            for: [snapshots.appendingPathComponent("\(snapshot.runID).json"), latest]
        ) { write in
            _ = try SnapshotCoding.encode(snapshot, to: write)  // a refused piece is the staging's failure
        }
        return StagedSnapshot(file: staged[0], latest: staged[1])
    }

    /// Puts a run's documents in place, each atomically, in this order: `matrix.md`; `snapshots/<id>.json`
    /// and `latest.json`; `diffs/<id>.json` and `.md`, and `diff.json` and `diff.md`. The `diff.*` files are
    /// the run's own under a second name (a link; a copy where the file system has no links).
    func write(_ documents: RunDocuments) throws {
        try AtomicFile.write(documents.matrix, to: matrix)
        try documents.snapshot.file.commit()
        try documents.snapshot.latest.commit()
        try AtomicFile.makeFolders(diffs)
        for (data, suffix) in [(documents.diffJSON, "json"), (documents.diffMarkdown, "md")] {
            let file = diffs.appendingPathComponent("\(documents.runID).\(suffix)")
            try AtomicFile.write(data, to: file)
            try linkOrCopy(file, to: root.appendingPathComponent("diff.\(suffix)"))
        }
    }

    private func linkOrCopy(_ file: URL, to latest: URL) throws {
        if !AtomicFile.link(file, to: latest) { try AtomicFile.write(try Data(contentsOf: file), to: latest) }
    }
}
