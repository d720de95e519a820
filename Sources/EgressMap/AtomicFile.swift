import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Writes files the way a firewall tool must: to a temporary file in the same folder, fsync, then one
/// rename, so a reader (an appliance polling the file) sees the old bytes or the new, never half.
public enum AtomicFile {
    public struct WriteError: Error, Sendable, CustomStringConvertible {
        public var path: String
        public var reason: String
        public var description: String { "cannot write \(path): \(reason)" }
    }

    /// Replaces `url` with `data` atomically, and syncs the folder so the rename survives a crash.
    public static func write(_ data: Data, to url: URL) throws(WriteError) {
        try stage(data, for: url).commit()
    }

    /// A file written and synced under a temporary name beside its destination, not yet in place: the slow
    /// part of `write` (a 25 MB snapshot's fsync) done ahead, so that putting it in place is one rename.
    public struct Staged: Sendable {
        public let temporary: URL
        public let destination: URL

        /// Moves it into place with one rename and syncs the folder.
        public func commit() throws(WriteError) {
            guard rename(temporary.path, destination.path) == 0 else {
                let reason = String(cString: strerror(errno))
                unlink(temporary.path)
                throw WriteError(path: destination.path, reason: reason)
            }
            syncFolder(destination.deletingLastPathComponent())
        }

        /// Removes it, for a run that stopped before it was due.
        public func discard() { unlink(temporary.path) }
    }

    /// Writes `data` to a new temporary file beside `url` and fsyncs it; `commit()` puts it in place.
    public static func stage(_ data: Data, for url: URL) throws(WriteError) -> Staged {
        let file = try TemporaryFile(beside: url)
        _ = data.withUnsafeBytes { file.write($0) }  // a failed write is kept, and thrown by `synced`
        return try file.synced()
    }

    /// `stage(_:for:)` into several files at once, each holding the same bytes.
    /// - Throws: `WriteError`; then nothing is left behind.
    public static func stage(_ data: Data, for urls: [URL]) throws -> [Staged] {
        try stage(for: urls) { write in _ = data.withUnsafeBytes { write($0) } }  // a failed write is thrown
    }

    /// `stage(_:for:)` of bytes made while they are written: `produce` hands them, piece by piece, to the
    /// function it is given, which writes them to the temporary file and returns false once a write failed
    /// (the failure is then thrown, as `WriteError`, when `produce` returns).
    /// - Throws: `WriteError`, or what `produce` throws (then nothing is left behind).
    public static func stage(
        for url: URL, producing produce: (_ write: @escaping (UnsafeRawBufferPointer) -> Bool) throws -> Void
    ) throws -> Staged {
        try stage(for: [url], producing: produce)[0]
    }

    /// `stage(for:producing:)` into several files at once, each piece written to every one: a copy that must
    /// hold the same bytes (`latest.json` beside `snapshots/<id>.json`) costs no second encoding, and is a
    /// file of its own (a second name for one file would be emptied with it by `jq … > latest.json`).
    /// - Throws: `WriteError`, or what `produce` throws; either way nothing is left behind.
    public static func stage(
        for urls: [URL], producing produce: (_ write: @escaping (UnsafeRawBufferPointer) -> Bool) throws -> Void
    ) throws -> [Staged] {
        var files: [TemporaryFile] = []
        do {
            for url in urls { files.append(try TemporaryFile(beside: url)) }
            try produce { piece in files.reduce(true) { $1.write(piece) && $0 } }
        } catch {
            for file in files { file.remove() }
            throw error
        }
        var staged: [Staged] = []
        for (index, file) in files.enumerated() {
            do {
                staged.append(try file.synced())
            } catch {
                for done in staged { done.discard() }
                for rest in files[(index + 1)...] { rest.remove() }
                throw error
            }
        }
        return staged
    }

    /// A new file under a temporary name beside its destination, being written; the first failure is kept.
    private final class TemporaryFile {
        let url: URL
        let destination: URL
        let fd: Int32
        private var failure: String?

        init(beside destination: URL) throws(WriteError) {
            let folder = destination.deletingLastPathComponent()
            url = folder.appendingPathComponent(
                ".\(destination.lastPathComponent).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
            )
            self.destination = destination
            fd = open(url.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
            guard fd >= 0 else { throw WriteError(path: destination.path, reason: String(cString: strerror(errno))) }
        }

        /// Writes all of `raw`; false (and nothing more written) once a write has failed.
        func write(_ raw: UnsafeRawBufferPointer) -> Bool {
            guard failure == nil else { return false }
            var offset = 0
            while offset < raw.count {
                let written = Glibc.write(fd, raw.baseAddress! + offset, raw.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    failure = String(cString: strerror(errno))
                    return false
                }
                offset += written
            }
            return true
        }

        /// fsyncs and closes it: staged, or removed and the first failure thrown.
        func synced() throws(WriteError) -> Staged {
            if failure == nil, fsync(fd) != 0 { failure = String(cString: strerror(errno)) }
            close(fd)
            if let failure {
                unlink(url.path)
                throw WriteError(path: destination.path, reason: failure)
            }
            return Staged(temporary: url, destination: destination)
        }

        /// Closes and removes it, for bytes that were never all made.
        func remove() {
            close(fd)
            unlink(url.path)
        }
    }

    /// fsyncs a folder, so renames and new entries in it are on disk.
    public static func syncFolder(_ folder: URL) {
        let fd = open(folder.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return }
        fsync(fd)
        close(fd)
    }
}
