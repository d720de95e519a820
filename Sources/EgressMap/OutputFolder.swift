import Drift
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The output folder of runs (`./Output/` by default) and how things are published in it.
///
/// Layout: `allowlist` is a symlink to `generations/<run id>/`; a run writes a new generation folder,
/// syncs it, and swaps the symlink with one rename, so a reader sees all-old or all-new allowlists.
/// `snapshots/<run id>.json` and `latest.json` are replaced atomically.
public struct OutputFolder: Sendable {
    public let root: URL
    /// Generations kept besides the published one (older ones are removed after a publish).
    public static let keptGenerations = 2

    public init(_ path: String) {
        root = URL(fileURLWithPath: path, isDirectory: true).standardizedFileURL
    }

    public var snapshots: URL { root.appendingPathComponent("snapshots", isDirectory: true) }
    public var generations: URL { root.appendingPathComponent("generations", isDirectory: true) }
    public var allowlist: URL { root.appendingPathComponent("allowlist") }
    public var latest: URL { root.appendingPathComponent("latest.json") }
    public var history: URL { root.appendingPathComponent("history.sqlite") }
    public var lock: URL { root.appendingPathComponent("run.lock") }

    /// Checks the folder can be used before anything is resolved or written.
    /// - Throws: a sentence saying what is wrong, e.g. `allowlist` is a real folder.
    public func validate() throws(AtomicFile.WriteError) {
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: root.path, isDirectory: &isFolder), !isFolder.boolValue {
            throw AtomicFile.WriteError(path: root.path, reason: "it exists and is not a folder")
        }
        var info = stat()
        if lstat(allowlist.path, &info) == 0, info.st_mode & S_IFMT != S_IFLNK {
            throw AtomicFile.WriteError(
                path: allowlist.path,
                reason: "it is not the symlink egressmap publishes through; move it away or choose another --out"
            )
        }
        // A run replaces these files whole; a folder in the place of one would stop it once its history had
        // recorded the run. (The run checks again before it publishes.)
        for file in [latest, matrix, root.appendingPathComponent("diff.json"), root.appendingPathComponent("diff.md")] {
            if FileManager.default.fileExists(atPath: file.path, isDirectory: &isFolder), isFolder.boolValue {
                throw AtomicFile.WriteError(path: file.path, reason: "a folder is in the way")
            }
        }
    }

    /// Creates the folders a run writes into.
    public func prepare() throws(AtomicFile.WriteError) {
        for folder in [root, snapshots, generations] { try AtomicFile.makeFolders(folder) }
    }

    /// A run id for a run starting at `date`: UTC to the millisecond (`20261129T043000.123Z`), moved on by a
    /// millisecond while a snapshot of that id exists, so ids are unique within the folder.
    public func runID(startingAt date: Date) -> String {
        var milliseconds = Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
        while true {
            let id = Self.runID(milliseconds: milliseconds)
            let taken = FileManager.default.fileExists(atPath: snapshots.appendingPathComponent("\(id).json").path)
                || FileManager.default.fileExists(atPath: generations.appendingPathComponent(id).path)
            if !taken { return id }
            milliseconds += 1
        }
    }

    static func runID(milliseconds: Int64) -> String { Timestamp.runID(milliseconds: milliseconds) }

    /// Publishes `files` as the new `allowlist/`: a new generation folder, synced, then the symlink swap.
    public func publish(_ files: [String: Data], runID: String) throws {
        let staging = generations.appendingPathComponent(".\(runID).partial")
        let final = generations.appendingPathComponent(runID)
        try? FileManager.default.removeItem(at: staging)
        try AtomicFile.makeFolders(staging)
        for (name, data) in files.sorted(by: { $0.key < $1.key }) {
            try AtomicFile.write(data, to: staging.appendingPathComponent(name))
        }
        AtomicFile.syncFolder(staging)
        guard rename(staging.path, final.path) == 0 else {
            throw AtomicFile.WriteError(path: final.path, reason: String(cString: strerror(errno)))
        }
        AtomicFile.syncFolder(generations)
        let link = root.appendingPathComponent(".allowlist.tmp-\(getpid())")
        unlink(link.path)
        guard symlink("generations/\(runID)", link.path) == 0 else {
            throw AtomicFile.WriteError(path: link.path, reason: String(cString: strerror(errno)))
        }
        guard rename(link.path, allowlist.path) == 0 else {
            unlink(link.path)
            throw AtomicFile.WriteError(path: allowlist.path, reason: String(cString: strerror(errno)))
        }
        AtomicFile.syncFolder(root)
        removeOldGenerations(keeping: runID)
    }

    /// The lists now published, by file name without `.txt` (`all`, `tcp-443`…); empty before the first.
    public func publishedLists() -> [String: [String]] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: allowlist.path) else { return [:] }
        var lists: [String: [String]] = [:]
        for name in names where name.hasSuffix(".txt") {
            guard let data = FileManager.default.contents(atPath: allowlist.appendingPathComponent(name).path) else {
                continue
            }
            lists[String(name.dropLast(4))] = String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
        }
        return lists
    }

    public var diffs: URL { root.appendingPathComponent("diffs", isDirectory: true) }

    /// Removes the snapshots (and per-run diffs) of pruned runs.
    public func removeSnapshots(_ runIDs: [String]) {
        for id in runIDs {
            try? FileManager.default.removeItem(at: snapshots.appendingPathComponent("\(id).json"))
            for suffix in ["json", "md"] {
                try? FileManager.default.removeItem(at: root.appendingPathComponent("diffs/\(id).\(suffix)"))
            }
        }
    }

    /// The generation the `allowlist` symlink points at, if any.
    public var publishedGeneration: String? {
        guard let target = try? FileManager.default.destinationOfSymbolicLink(atPath: allowlist.path) else { return nil }
        return URL(fileURLWithPath: target).lastPathComponent
    }

    private func removeOldGenerations(keeping current: String) {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: generations.path) else { return }
        let finished = entries.filter { !$0.hasPrefix(".") && $0 != current }.sorted()
        for old in finished.dropLast(Self.keptGenerations) {
            try? FileManager.default.removeItem(at: generations.appendingPathComponent(old))
        }
        for partial in entries where partial.hasPrefix(".") && partial.hasSuffix(".partial") {
            try? FileManager.default.removeItem(at: generations.appendingPathComponent(partial))
        }
    }
}
