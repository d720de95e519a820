#if canImport(Glibc)
import Glibc
#endif

/// Reads a file or standard input line by line through a fixed buffer, so input of any size costs the
/// same memory; each line comes with its 1-based number.
public final class LineReader {
    private let fd: Int32
    private let ownsFD: Bool
    // Unchecked exclusivity: no method calls back into the reader while it changes these, so no two accesses
    // overlap, and the dynamic check on each was a `swift_beginAccess` call, two per line of a bulk input.
    @exclusivity(unchecked) private var buffer: [UInt8] = []
    @exclusivity(unchecked) private var start = 0
    @exclusivity(unchecked) private var atEnd = false
    @exclusivity(unchecked) public private(set) var lineNumber = 0

    /// Opens `path`, or standard input for `-`.
    /// - Throws: `LineReader.OpenError` with the reason when the file cannot be read.
    public init(path: String) throws(OpenError) {
        if path == "-" {
            fd = 0
            ownsFD = false
        } else {
            var info = stat()
            guard stat(path, &info) == 0 else { throw OpenError(path: path, reason: Self.reason(errno)) }
            guard info.st_mode & S_IFMT != S_IFDIR else { throw OpenError(path: path, reason: "it is a folder") }
            let opened = open(path, O_RDONLY | O_CLOEXEC)
            guard opened >= 0 else { throw OpenError(path: path, reason: Self.reason(errno)) }
            fd = opened
            ownsFD = true
        }
        buffer.reserveCapacity(1 << 16)
    }

    deinit {
        if ownsFD { close(fd) }
    }

    /// Whether a read can wait on another process: standard input from a pipe or a terminal, or a named
    /// pipe (see `descriptorMayWait`).
    public var mayWait: Bool { descriptorMayWait(fd) }

    /// The next line without its line break (a trailing `\r` is dropped too), or nil at the end. The first
    /// line also loses a UTF-8 byte order mark, which editors on Windows write at the start of a file: it is
    /// not part of the first name.
    public func next() -> String? {
        while true {
            if let newline = buffer[start...].firstIndex(of: UInt8(ascii: "\n")) {
                var end = newline
                if end > start, buffer[end - 1] == UInt8(ascii: "\r") { end -= 1 }
                let line = String(decoding: buffer[textStart(before: end)..<end], as: UTF8.self)
                start = newline + 1
                lineNumber += 1
                return line
            }
            if atEnd {
                guard start < buffer.count else { return nil }
                let line = String(decoding: buffer[textStart(before: buffer.count)...], as: UTF8.self)
                start = buffer.count
                lineNumber += 1
                return line
            }
            fill()
        }
    }

    /// Where the text of the line from `start` to `end` begins: past a byte order mark on the first line.
    private func textStart(before end: Int) -> Int {
        guard lineNumber == 0, end - start >= 3, buffer[start] == 0xEF, buffer[start + 1] == 0xBB,
            buffer[start + 2] == 0xBF
        else { return start }
        return start + 3
    }

    private func fill() {
        if start > 0 {
            buffer.removeFirst(start)
            start = 0
        }
        let chunk = 1 << 16
        let old = buffer.count
        buffer.append(contentsOf: repeatElement(0, count: chunk))
        let count = buffer.withUnsafeMutableBytes { raw in
            var result: Int
            repeat { result = read(fd, raw.baseAddress! + old, chunk) } while result < 0 && errno == EINTR
            return result
        }
        buffer.removeLast(chunk - max(0, count))
        if count <= 0 { atEnd = true }
    }

    private static func reason(_ code: Int32) -> String {
        String(cString: strerror(code))
    }

    public struct OpenError: Error, Sendable, CustomStringConvertible {
        public var path: String
        public var reason: String
        public var description: String { "cannot read \(path): \(reason)" }
    }
}
