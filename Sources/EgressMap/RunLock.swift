import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The output folder's lock: one writer at a time. `flock` is released by the kernel when the process
/// dies, so a run killed mid-way never leaves the folder locked.
public final class RunLock {
    private let fd: Int32
    private let path: String

    public struct Busy: Error, Sendable, CustomStringConvertible {
        public var path: String
        public var description: String {
            "another egressmap run holds \(path); wait for it to finish, or give --wait to queue behind it"
        }
    }

    /// Takes the lock at `path`, waiting for it when `wait` is true.
    /// - Throws: `Busy` when another run holds it and `wait` is false; `AtomicFile.WriteError` when the
    ///   lock file cannot be opened.
    public init(path: String, wait: Bool) throws {
        while true {
            let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
            guard fd >= 0 else { throw AtomicFile.WriteError(path: path, reason: String(cString: strerror(errno))) }
            var result: Int32
            repeat { result = flock(fd, LOCK_EX | (wait ? 0 : LOCK_NB)) } while result != 0 && errno == EINTR
            if result != 0 {
                close(fd)
                throw Busy(path: path)
            }
            // The previous holder unlinks the file when it is done; if that happened while we waited, the lock
            // we hold is on a file no one else can see: start again on the path's current file.
            var held = stat()
            var current = stat()
            if fstat(fd, &held) == 0, stat(path, &current) == 0, held.st_ino == current.st_ino, held.st_dev == current.st_dev {
                self.fd = fd
                self.path = path
                let pid = "\(getpid())\n"
                _ = ftruncate(fd, 0)
                _ = pid.withCString { write(fd, $0, strlen($0)) }
                return
            }
            close(fd)
        }
    }

    deinit {
        unlink(path)
        close(fd)
    }
}
