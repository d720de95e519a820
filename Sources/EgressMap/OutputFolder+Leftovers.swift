import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// What `OutputFolder.removeLeftovers()` did.
struct Leftovers: Sendable, Equatable {
    /// Temporary files removed.
    var removed = 0
    /// The run killed after it published, whose documents were put in place: its id.
    var finishedRun: String?
}

extension OutputFolder {
    /// Clears what runs killed mid-way left under temporary names: the run's documents (`latest.json`,
    /// `diff.*`, `matrix.md`, the files of `snapshots/` and `diffs/`, `.latest.json.tmp-<pid>-<n>` and so on)
    /// and the symlink being swapped in (`.allowlist.tmp-<pid>`), which only a run writes, holding the lock
    /// this run holds now: so whatever the pid in their names (in a container every run is pid 1). Other
    /// temporary files only where no process of that id is alive: a live process's (an `emit --out` into this
    /// folder) are left to it.
    ///
    /// One run's documents are put in place instead: the run whose generation `allowlist` links to, killed
    /// after that swap (the moment it published) and before its snapshot, `latest.json` and diff were all
    /// renamed into place. They were written and synced before the swap, and its snapshot is the last renamed
    /// (`RunDocuments.files`, and here too), so its temporary name, `snapshots/.<id>.json.tmp-<pid>-<n>`,
    /// tells that run's files by their pid. Removed, they left `latest.json` and `diff.*` a run behind the
    /// allowlists in place, and the published generation without a snapshot.
    func removeLeftovers() -> Leftovers {
        var result = Leftovers()
        var orphans: [(folder: URL, name: String, pid: pid_t)] = []
        for folder in [root, snapshots, diffs] {
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { continue }
            for name in names {
                guard let pid = Self.writer(ofTemporary: name) else { continue }
                let runs = folder != root || name.hasPrefix(".allowlist.tmp-")
                    || Self.place(ofTemporary: name).map(Self.runDocuments.contains) == true
                guard runs || (kill(pid, 0) != 0 && errno == ESRCH) else { continue }
                orphans.append((folder, name, pid))
            }
        }
        let generation = publishedGeneration
        let publisher = generation.flatMap { id in
            orphans.first { $0.folder == snapshots && $0.name.hasPrefix(".\(id).json.tmp-") }?.pid
        }
        // The snapshot last, as the run would have: a run killed while finishing leaves it to the next.
        orphans.sort { ($0.folder == snapshots ? 1 : 0) < ($1.folder == snapshots ? 1 : 0) }
        for file in orphans {
            let path = file.folder.appendingPathComponent(file.name).path
            if file.pid == publisher, let place = Self.place(ofTemporary: file.name), Self.isRegularFile(path),
               rename(path, file.folder.appendingPathComponent(place).path) == 0 {
                AtomicFile.syncFolder(file.folder)
                continue
            }
            if unlink(path) == 0 { result.removed += 1 }
        }
        if publisher != nil { result.finishedRun = generation }
        return result
    }

    /// The documents of the folder's root that only a run writes.
    static let runDocuments: Set<String> = ["latest.json", "diff.json", "diff.md", "matrix.md", ".unreported"]

    /// The name a staged file goes to: `latest.json` for `.latest.json.tmp-<pid>-<n>`; nil for other names.
    static func place(ofTemporary name: String) -> String? {
        guard writer(ofTemporary: name) != nil, let range = name.range(of: ".tmp-", options: .backwards) else {
            return nil
        }
        let place = name[name.index(after: name.startIndex)..<range.lowerBound]
        return place.isEmpty ? nil : String(place)
    }

    private static func isRegularFile(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFREG
    }

    /// The process id in a temporary name egressmap gives: `.<name>.tmp-<pid>-<n>`, `.<name>.tmp-<pid>` or
    /// `.<name>.link-<pid>`; nil for any other name.
    static func writer(ofTemporary name: String) -> pid_t? {
        guard name.hasPrefix(".") else { return nil }
        for marker in [".tmp-", ".link-"] {
            guard let range = name.range(of: marker, options: .backwards) else { continue }
            let parts = name[range.upperBound...].split(separator: "-", omittingEmptySubsequences: false)
            let digits = { (part: Substring) in !part.isEmpty && part.utf8.allSatisfy { (0x30...0x39).contains($0) } }
            guard (1...2).contains(parts.count), parts.allSatisfy(digits),
                  let pid = pid_t(parts[0]), pid > 0
            else { continue }
            return pid
        }
        return nil
    }
}
