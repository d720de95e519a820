#if canImport(Glibc)
import Glibc
#endif
import IPNet

/// An errno value as the probe saw it, with its symbolic name for reports (`ECONNREFUSED`).
public struct Errno: Error, Hashable, Sendable, CustomStringConvertible {
    public var code: Int32

    public init(_ code: Int32) { self.code = code }

    /// The symbolic name for the codes a connect can end with, else `errno N`.
    public var name: String {
        switch code {
        case ECONNREFUSED: "ECONNREFUSED"
        case ECONNRESET: "ECONNRESET"
        case ENETUNREACH: "ENETUNREACH"
        case EHOSTUNREACH: "EHOSTUNREACH"
        case EHOSTDOWN: "EHOSTDOWN"
        case ENONET: "ENONET"
        case EACCES: "EACCES"
        case EPERM: "EPERM"
        case ETIMEDOUT: "ETIMEDOUT"
        case EADDRNOTAVAIL: "EADDRNOTAVAIL"
        case EAFNOSUPPORT: "EAFNOSUPPORT"
        case EMFILE: "EMFILE"
        case ENFILE: "ENFILE"
        case ENOBUFS: "ENOBUFS"
        case EINVAL: "EINVAL"
        default: "errno \(code)"
        }
    }

    public var description: String { "\(name) (\(String(cString: strerror(code))))" }
}

/// The syscalls the prober makes, in one place: each returns its errno as a value, so errno is read
/// right after the call that set it and nowhere else.
enum Sys {
    /// A non-blocking, close-on-exec TCP socket of `family`.
    static func tcpSocket(_ family: IPFamily) -> Result<Int32, Errno> {
        let domain = family == .v4 ? AF_INET : AF_INET6
        let type = Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
        let fd = socket(domain, type, 0)
        return fd >= 0 ? .success(fd) : .failure(Errno(errno))
    }

    /// Starts a connect; nil when it completed at once, `EINPROGRESS` while it is under way.
    static func connect(_ fd: Int32, to address: IPAddress, port: UInt16) -> Errno? {
        let status: Int32
        switch address {
        case .v4(let v4):
            var socketAddress = sockaddr_in()
            socketAddress.sin_family = sa_family_t(AF_INET)
            socketAddress.sin_port = port.bigEndian
            socketAddress.sin_addr.s_addr = v4.value.bigEndian
            status = withUnsafePointer(to: &socketAddress) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
        case .v6(let v6):
            var socketAddress = sockaddr_in6()
            socketAddress.sin6_family = sa_family_t(AF_INET6)
            socketAddress.sin6_port = port.bigEndian
            withUnsafeMutableBytes(of: &socketAddress.sin6_addr) { bytes in
                for index in 0..<8 {
                    bytes[index] = UInt8(truncatingIfNeeded: v6.high >> (56 - 8 * index))
                    bytes[8 + index] = UInt8(truncatingIfNeeded: v6.low >> (56 - 8 * index))
                }
            }
            status = withUnsafePointer(to: &socketAddress) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in6>.size))
                }
            }
        }
        return status == 0 ? nil : Errno(errno)
    }

    /// How a connect under way ended, once the socket is writable: nil when it connected.
    static func pendingError(_ fd: Int32) -> Errno? {
        var value: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        guard getsockopt(fd, SOL_SOCKET, SO_ERROR, &value, &length) == 0 else { return Errno(errno) }
        return value == 0 ? nil : Errno(value)
    }

    /// Closes with a reset rather than a FIN: a probe leaves no TIME_WAIT behind and frees the peer at once.
    static func closeAbortively(_ fd: Int32) {
        var linger = Glibc.linger(l_onoff: 1, l_linger: 0)
        _ = setsockopt(fd, SOL_SOCKET, SO_LINGER, &linger, socklen_t(MemoryLayout<Glibc.linger>.size))
        close(fd)
    }

    /// Waits until one of `fds` is ready or the timeout passes (-1: no timeout); `fds` get their `revents`.
    /// An EINTR counts as nothing ready.
    static func poll(_ fds: inout [pollfd], timeoutMilliseconds: Int32) {
        _ = fds.withUnsafeMutableBufferPointer { buffer in
            Glibc.poll(buffer.baseAddress, nfds_t(buffer.count), timeoutMilliseconds)
        }
    }

    /// A non-blocking, close-on-exec pipe: (read end, write end).
    static func pipe() -> Result<(Int32, Int32), Errno> {
        // pipe2 is not exported by Swift's Glibc module: pipe, then the flags on each end.
        var ends: [Int32] = [-1, -1]
        guard Glibc.pipe(&ends) == 0 else { return .failure(Errno(errno)) }
        for fd in ends {
            guard fcntl(fd, F_SETFL, O_NONBLOCK) == 0, fcntl(fd, F_SETFD, FD_CLOEXEC) == 0 else {
                let failure = Errno(errno)
                ends.forEach { Sys.close($0) }
                return .failure(failure)
            }
        }
        return .success((ends[0], ends[1]))
    }

    /// Wakes whoever polls the read end of a pipe (a full pipe already wakes it).
    static func signal(_ writeEnd: Int32) {
        var byte: UInt8 = 1
        _ = write(writeEnd, &byte, 1)
    }

    /// Empties the read end of a pipe.
    static func drain(_ readEnd: Int32) {
        var bytes = [UInt8](repeating: 0, count: 64)
        while read(readEnd, &bytes, bytes.count) > 0 {}
    }

    static func close(_ fd: Int32) { _ = Glibc.close(fd) }
}
