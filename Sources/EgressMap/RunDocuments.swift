import Drift
import Foundation

/// The documents a run writes beside its allowlists, each written and synced under a temporary name before
/// any of them is put in place, so that putting them in place is a rename each.
struct RunDocuments: Sendable {
    var snapshot: StagedSnapshot
    var reports: StagedReports

    /// Every file, in the order they are put in place: the folder's own (`matrix.md`, `latest.json`,
    /// `diff.json`, `diff.md`), then the run's (`diffs/<id>.json` and `.md`), and its snapshot last. So while
    /// any is still staged, the snapshot is too, and its temporary name (`snapshots/.<id>.json.tmp-<pid>-<n>`)
    /// says which run and which process staged them: a run killed after it published is finished by the next
    /// (see `OutputFolder.removeLeftovers`).
    var files: [AtomicFile.Staged] {
        [reports.matrix, snapshot.latest] + reports.copies + reports.stored + [snapshot.file]
    }

    /// Renames each into place, in order.
    func commit() throws(AtomicFile.WriteError) {
        for file in files { try file.commit() }
    }

    /// Throws what would stop a rename into place that can be seen ahead: a folder where a file goes. Checked
    /// before the allowlists are published, so that a run that publishes also puts its diff in place.
    func checkPlaces() throws(AtomicFile.WriteError) {
        for file in files {
            var isFolder: ObjCBool = false
            let path = file.destination.path
            if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue {
                throw AtomicFile.WriteError(path: file.destination.path, reason: "a folder is in the way")
            }
        }
    }
}

/// `matrix.md`, and the diff as JSON and markdown (`diffs/<id>.json` and `.md`, and their copies `diff.json`
/// and `diff.md`), written and synced, not yet in place.
struct StagedReports: Sendable {
    var matrix: AtomicFile.Staged
    /// `diffs/<id>.json`, `diffs/<id>.md`.
    var stored: [AtomicFile.Staged]
    /// `diff.json`, `diff.md`.
    var copies: [AtomicFile.Staged]

    /// Removes those not yet in place, for a run that stopped before they were due.
    func discard() {
        for file in [matrix] + stored + copies { file.discard() }
    }
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

    /// Writes the run's diff and `matrix.md`, synced, under temporary names beside their places. `diff.json`
    /// and `diff.md` are copies of `diffs/<id>.*`, files of their own as `latest.json` is: editing one in place
    /// leaves the stored diff as it was.
    /// - Throws: `AtomicFile.WriteError`; what was staged is removed then.
    func stageReports(runID: String, diffJSON: Data, diffMarkdown: Data, matrix: Data) throws -> StagedReports {
        var staged = [AtomicFile.Staged]()
        var stored = [AtomicFile.Staged](), copies = [AtomicFile.Staged]()
        do {
            try AtomicFile.makeFolders(diffs)
            staged += try AtomicFile.stage(matrix, for: [self.matrix])
            for (data, suffix) in [(diffJSON, "json"), (diffMarkdown, "md")] {
                let pair = try AtomicFile.stage(data, for: [
                    diffs.appendingPathComponent("\(runID).\(suffix)"), root.appendingPathComponent("diff.\(suffix)"),
                ])
                staged += pair
                stored.append(pair[0])
                copies.append(pair[1])
            }
        } catch {
            for file in staged { file.discard() }
            throw error
        }
        return StagedReports(matrix: staged[0], stored: stored, copies: copies)
    }
}
