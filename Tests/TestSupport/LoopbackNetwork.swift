import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Loopback addresses with a fixed behaviour for the probe tests, set up by nftables rules inside the
/// test's own network namespace (never the machine's): the suite runs in `unshare -n`.
public enum LoopbackNetwork {
    /// Every packet to it is dropped on input: a connect gets no answer and times out.
    public static let dropped = "127.0.0.77"
    /// A connect to it is answered with ICMP host-unreachable: the probe says unreachable.
    public static let rejected = "127.0.0.99"
    /// UDP to port 53 there is dropped on output, as a firewall on this host would: a send fails with EPERM.
    public static let blockedHere = "127.0.0.88"
    /// UDP to port 53 there is answered with ICMP admin-prohibited on input, as a firewall on the way would:
    /// the socket gets EHOSTUNREACH.
    public static let prohibitedOnTheWay = "127.0.0.89"
    /// UDP to port 53 there is answered with ICMP host-unreachable on input, as a router that cannot reach
    /// it would: Linux reports that on a UDP socket only when the socket asked with IP_RECVERR.
    public static let hostUnreachableOnTheWay = "127.0.0.90"
    /// The same with ICMP net-unreachable, as a router with no route to it would.
    public static let networkUnreachableOnTheWay = "127.0.0.91"
    /// This host's own routes reject it (an `unreachable` route): a connect fails with EHOSTUNREACH, and
    /// nothing is sent.
    public static let unreachableRoute = "127.0.0.92"
    /// This host's own routes forbid it (a `prohibit` route): a connect fails with EACCES.
    public static let prohibitedRoute = "127.0.0.93"
    /// The nftables table the tests own.
    static let table = "egressmap_probe_tests"

    /// Why the rules were not installed.
    public struct NotIsolated: Error, CustomStringConvertible {
        public var description: String
    }

    /// Installs the rules once per test process.
    /// - Throws: `NotIsolated` unless the process is in a network namespace of its own with only `lo`, or
    ///   when `nft` fails.
    public static func prepare() throws { try installed.get() }

    /// Drops TCP to `[::1]:port` (for an IPv6 timeout); the caller holds the port so nothing else uses it.
    public static func dropIPv6(port: UInt16) throws {
        try prepare()
        try nft("add rule inet \(table) input ip6 daddr ::1 tcp dport \(port) drop\n")
    }

    /// Answers TCP connects to `[::1]:port` with ICMPv6 address-unreachable; the caller holds the port.
    public static func rejectIPv6(port: UInt16) throws {
        try prepare()
        try nft("add rule inet \(table) output ip6 daddr ::1 tcp dport \(port) tcp flags syn reject with icmpv6 type addr-unreachable\n")
    }

    /// Answers UDP to `[::1]:port` with an ICMPv6 error of `type` (an nft name: `addr-unreachable`,
    /// `admin-prohibited`, ...) on input; the caller holds the port.
    public static func rejectIPv6UDP(port: UInt16, with type: String) throws {
        try prepare()
        try nft("add rule inet \(table) input ip6 daddr ::1 udp dport \(port) reject with icmpv6 type \(type)\n")
    }

    private static let installed: Result<Void, any Error> = Result {
        try checkIsolated()
        // In the local table, where they come before its 127.0.0.0/8.
        try run(["ip", "route", "add", "unreachable", "\(unreachableRoute)/32", "table", "local"])
        try run(["ip", "route", "add", "prohibit", "\(prohibitedRoute)/32", "table", "local"])
        try nft("""
            table inet \(table) {
                chain input {
                    type filter hook input priority 0; policy accept;
                    ip daddr \(dropped) drop
                    ip daddr \(prohibitedOnTheWay) udp dport 53 reject with icmp type admin-prohibited
                    ip daddr \(hostUnreachableOnTheWay) udp dport 53 reject with icmp type host-unreachable
                    ip daddr \(networkUnreachableOnTheWay) udp dport 53 reject with icmp type net-unreachable
                }
                chain output {
                    type filter hook output priority 0; policy accept;
                    ip daddr \(rejected) tcp flags syn reject with icmp type host-unreachable
                    ip daddr \(blockedHere) udp dport 53 drop
                }
            }

            """)
    }

    /// Refuses to touch nftables outside a private namespace holding only loopback.
    private static func checkIsolated() throws {
        // PID 1's namespace is unreadable from inside `unshare -n` (permission denied); when it is readable,
        // it must differ from ours.
        let own = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/ns/net")
        let initial = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/1/ns/net")
        if let own, own == initial {
            throw NotIsolated(description: "in the machine's own network namespace (\(own)): run the suite with "
                + "scripts/test.sh (unshare -n)")
        }
        let devices = try String(contentsOfFile: "/proc/self/net/dev", encoding: .utf8)
            .split(separator: "\n").dropFirst(2)
            .compactMap { $0.split(separator: ":").first?.trimmingCharacters(in: .whitespaces) }
        guard devices == ["lo"] else {
            throw NotIsolated(description: "the namespace has interfaces besides lo (\(devices)): run inside unshare -n")
        }
    }

    private static func nft(_ script: String) throws { try run(["nft", "-f", "-"], stdin: script) }

    private static func run(_ command: [String], stdin: String = "") throws {
        let result = try runProcess(URL(fileURLWithPath: "/usr/bin/env"), command, stdin: stdin)
        guard result.status == 0 else {
            throw NotIsolated(description: "\(command.joined(separator: " ")) failed (\(result.status)): "
                + "\(result.stderr)\(stdin.isEmpty ? "" : "\ninput:\n\(stdin)")")
        }
    }
}

/// A TCP socket bound on a loopback address: listening (connects succeed) or only bound (connects are
/// refused, and the port stays reserved). Closed when released.
public final class LoopbackSocket {
    public let fd: Int32
    public let address: String
    public let port: UInt16

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// Binds `address:port` (port 0: a free one) and listens unless `listening` is false.
    public init(_ address: String, port: UInt16 = 0, listening: Bool = true) throws {
        let v6 = address.contains(":")
        let fd = socket(v6 ? AF_INET6 : AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket: errno \(errno)") }
        var status: Int32
        if v6 {
            var socketAddress = sockaddr_in6()
            socketAddress.sin6_family = sa_family_t(AF_INET6)
            socketAddress.sin6_port = port.bigEndian
            inet_pton(AF_INET6, address, &socketAddress.sin6_addr)
            status = withUnsafePointer(to: &socketAddress) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in6>.size))
                }
            }
        } else {
            var socketAddress = sockaddr_in()
            socketAddress.sin_family = sa_family_t(AF_INET)
            socketAddress.sin_port = port.bigEndian
            inet_pton(AF_INET, address, &socketAddress.sin_addr)
            status = withUnsafePointer(to: &socketAddress) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
        }
        if status == 0 && listening { status = listen(fd, 1024) }
        guard status == 0 else {
            let code = errno
            close(fd)
            throw Failure(description: "bind/listen \(address):\(port): \(String(cString: strerror(code)))")
        }
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        _ = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        let boundPort = withUnsafeBytes(of: &storage) { bytes in
            UInt16(bytes[2]) << 8 | UInt16(bytes[3])  // sin_port and sin6_port sit at offset 2, big-endian
        }
        self.fd = fd
        self.address = address
        self.port = boundPort
    }

    deinit { close(fd) }
}
