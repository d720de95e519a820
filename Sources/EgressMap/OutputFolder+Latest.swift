import Drift
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// What a run's diff needs of the run before it, read from `latest.json` as soon as the run starts, before it
/// holds the folder's lock: while the manifest loads on one core, the other has nothing else to do, and read
/// later it took a tenth of a second of CPU from DNS. The run checks, once it holds the lock, that the file
/// read is still the one in place (see `OutputFolder.previousRun(readEarly:)`).
public struct LatestRead: Sendable {
    /// Which file was read: its device, inode, size and change time (an inode freed by one run could be
    /// reused by a later one), or none when there was no `latest.json`.
    enum Source: Equatable, Sendable {
        case none
        case file(device: UInt64, inode: UInt64, size: Int64, changedNanoseconds: Int64)
        /// Could not tell (not opened for another reason, or not read): never taken as current.
        case unknown
    }

    let source: Source
    let side: DiffSide?
    /// Why a `latest.json` that is there gave no side: unreadable, or not a snapshot.
    let problem: String?
    /// Said beside a side that is not the one wanted (see `OutputFolder.previousRun(readEarly:)`), in a sentence.
    var warning: String?

    init(source: Source, side: DiffSide?, problem: String? = nil, warning: String? = nil) {
        self.source = source
        self.side = side
        self.problem = problem
        self.warning = warning
    }
}

extension OutputFolder {
    /// `latest.json`'s diff side (nil when there is none or it cannot be read, with why), and the file it was
    /// read from (one descriptor for both, so they agree).
    public func readLatest() -> LatestRead {
        let descriptor = open(latest.path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            let error = errno
            return error == ENOENT
                ? LatestRead(source: .none, side: nil)
                : LatestRead(source: .unknown, side: nil, problem: "\(latest.path): \(String(cString: strerror(error)))")
        }
        let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        var info = stat()
        guard fstat(descriptor, &info) == 0, let data = try? handle.readToEnd() else {
            return LatestRead(source: .unknown, side: nil, problem: "\(latest.path): cannot be read")
        }
        do {
            return LatestRead(source: .file(info), side: try SnapshotCoding.decodeDiffSide(data, file: latest.path))
        } catch {
            return LatestRead(source: .file(info), side: nil, problem: error.description)
        }
    }

    /// What the diff needs of the run to compare with: the latest run before this one, or, when that run
    /// published nothing (a guard refused it, or every lookup failed) or `latest.json` is gone or unreadable,
    /// the run whose allowlists are published now (none: the diff lists everything as added). So the diff of a
    /// run that publishes says what changes on the firewall, as `--exit-code` does, and the diffs of refused
    /// runs each show the whole change they propose. `warning` says when the side is not the one wanted.
    /// Call it holding the folder's lock.
    ///
    /// The latest run is `readEarly`'s when it read the `latest.json` in place now (a run replaces it with a
    /// new file, so a run that finished meanwhile shows as another file), else read again.
    func previousRun(readEarly: LatestRead?) -> LatestRead {
        var latest: LatestRead
        if let readEarly, readEarly.source != .unknown, readEarly.source == currentLatest() {
            latest = readEarly
        } else {
            latest = readLatest()
        }
        if let side = latest.side, side.published { return latest }
        let inPlace = publishedGeneration
        // Why latest.json's run is not the one: nil when it published nothing, which needs no word.
        let missing = latest.side == nil && latest.problem == nil && inPlace != nil
        let trouble = latest.problem ?? (missing ? "\(self.latest.path) is missing" : nil)
        let allAdded = "this run's diff lists everything as added (its allowlists come from the history, and are "
            + "not affected)"
        guard let published = inPlace, published != latest.side?.runID else {
            return LatestRead(source: latest.source, side: nil, warning: trouble.map { "\($0); \(allAdded)" })
        }
        let file = snapshots.appendingPathComponent("\(published).json")
        let why: String
        if let data = FileManager.default.contents(atPath: file.path) {
            do {
                let side = try SnapshotCoding.decodeDiffSide(data, file: file.path)
                let against = "this run's diff is against run \(published), whose allowlists are in place"
                return LatestRead(source: latest.source, side: side, warning: trouble.map { "\($0); \(against)" })
            } catch {
                why = error.description
            }
        } else {
            why = "\(file.path): no such file, or not readable"
        }
        if let side = latest.side {
            latest.warning = "\(why); this run's diff is against run \(side.runID), which published nothing, not "
                + "against run \(published), whose allowlists are in place"
            return latest
        }
        let warning = (trouble.map { [$0] } ?? []) + [why, allAdded]
        return LatestRead(source: latest.source, side: nil, warning: warning.joined(separator: "; "))
    }

    /// Which `latest.json` is in place now.
    private func currentLatest() -> LatestRead.Source {
        var info = stat()
        guard stat(latest.path, &info) == 0 else { return errno == ENOENT ? .none : .unknown }
        return .file(info)
    }
}

extension LatestRead.Source {
    static func file(_ info: stat) -> Self {
        .file(
            device: UInt64(info.st_dev), inode: UInt64(info.st_ino), size: Int64(info.st_size),
            changedNanoseconds: Int64(info.st_ctim.tv_sec) * 1_000_000_000 + Int64(info.st_ctim.tv_nsec)
        )
    }
}
