import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A buffered writer to standard output or standard error that flushes at 64 KiB and on `flush()`.
public final class OutputStream {
    private let fd: Int32
    /// Unchecked exclusivity: no method calls back into the stream while it changes the buffer, so no two
    /// accesses overlap, and the dynamic check was a `swift_beginAccess` call per line written.
    @exclusivity(unchecked) private var buffer: [UInt8] = []

    public static let standardOutput = 1
    public static let standardError = 2

    /// The errno of the first write to standard output that failed (a full disk under `> out.jsonl`), 0 while
    /// none has: the command's output is then incomplete, and its exit status must say so.
    public static var standardOutputFailure: Int32 { outputFailure.load(ordering: .relaxed) }
    private static let outputFailure = Atomic<Int32>(0)

    public init(fd: Int32) {
        self.fd = fd
        buffer.reserveCapacity(1 << 16)
    }

    deinit { flush() }

    public func write(_ text: String) {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= 1 << 16 { flush() }
    }

    /// Writes UTF-8 bytes and a line break.
    public func writeLine(bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { writeLine(bytes: $0) }
    }

    /// Writes UTF-8 bytes as they are.
    public func write(bytes: UnsafeBufferPointer<UInt8>) {
        buffer.append(contentsOf: bytes)
        if buffer.count >= 1 << 16 { flush() }
    }

    /// Writes UTF-8 bytes and a line break.
    public func writeLine(bytes: UnsafeBufferPointer<UInt8>) {
        buffer.append(contentsOf: bytes)
        buffer.append(UInt8(ascii: "\n"))
        if buffer.count >= 1 << 16 { flush() }
    }

    public func writeLine(_ text: String) {
        write(text)
        buffer.append(UInt8(ascii: "\n"))
        if buffer.count >= 1 << 16 { flush() }
    }

    public func flush() {
        var offset = 0
        while offset < buffer.count {
            let written = buffer.withUnsafeBytes { raw in Glibc.write(fd, raw.baseAddress! + offset, raw.count - offset) }
            if written < 0 {
                if errno == EINTR { continue }
                if fd == Self.standardOutput {
                    _ = Self.outputFailure.compareExchange(expected: 0, desired: errno, ordering: .relaxed)
                }
                break
            }
            offset += written
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Whether the descriptor is a terminal (colours and progress only then).
    public var isTerminal: Bool { isatty(fd) == 1 }

    /// Whether a write can wait on another process (see `descriptorMayWait`).
    public var mayWait: Bool { descriptorMayWait(fd) }
}

/// Whether reading or writing `fd` can wait on another process: a pipe, a socket or a terminal can (a
/// reader or writer at the other end that is slow or gone quiet, a paused terminal); a regular file or a
/// device such as /dev/null cannot.
func descriptorMayWait(_ fd: Int32) -> Bool {
    var info = stat()
    guard fstat(fd, &info) == 0 else { return true }
    switch info.st_mode & S_IFMT {
    case S_IFREG: return false
    case S_IFCHR: return isatty(fd) == 1
    default: return true
    }
}

/// Whether colours may be used on `stream`: a terminal, and `NO_COLOR` unset or empty.
public func colorsAllowed(on stream: OutputStream, environment: [String: String]) -> Bool {
    stream.isTerminal && (environment["NO_COLOR"] ?? "").isEmpty
}
