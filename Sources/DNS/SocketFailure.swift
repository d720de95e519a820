import CAres

#if canImport(Glibc)
    import Glibc
#endif

/// The latest hard failure of a channel's sockets, which c-ares 1.18.1 reports as ECONNREFUSED whatever it
/// was: the errno, and the ICMP error behind it when one came back. Which it was (a refused port, no route
/// here, a router or firewall on the way and which one) is what a firewall team acts on.
struct SocketFailure: Equatable {
    /// An ICMP (or ICMPv6) error a router, a firewall or the server sent back for a query.
    struct ICMPError: Equatable {
        var version6: Bool
        var type: Int32
        var code: Int32
        /// Who sent it ("" when the kernel did not say).
        var sender: String
    }

    var errno: Int32
    var icmp: ICMPError?

    /// The failure the batched sockets noted, if any since the last reply.
    init?(of io: OpaquePointer) {
        let error = egressmap_batched_io_socket_error(io)
        guard error != 0 else { return nil }
        var type: Int32 = 0
        var code: Int32 = 0
        var sender = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        let family = egressmap_batched_io_icmp_error(io, &type, &code, &sender, sender.count)
        self.init(
            errno: error,
            icmp: family == 0
                ? nil
                : ICMPError(
                    version6: family == AF_INET6, type: type, code: code,
                    sender: String(decoding: sender.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
                )
        )
    }

    init(errno: Int32, icmp: ICMPError? = nil) {
        self.errno = errno
        self.icmp = icmp
    }

    /// The failure in words, with the errno's name for a search and, when an ICMP error came back, what it
    /// said and who sent it: `host unreachable (EHOSTUNREACH: ICMP host unreachable from 192.0.2.1: a router
    /// or firewall on the way rejects it)`.
    var reason: String {
        let (what, name, here, onTheWay): (String, String, String, String) =
            switch errno {
            case ECONNREFUSED:
                ("connection refused", "ECONNREFUSED", Self.refusedWhy, Self.refusedWhy)
            case ENETUNREACH:
                (
                    "network unreachable", "ENETUNREACH", "no route to it from this host",
                    "a router on the way has no route to it"
                )
            case EHOSTUNREACH:
                (
                    "host unreachable", "EHOSTUNREACH", "this host's routes reject it",
                    "a router or firewall on the way rejects it"
                )
            case EPERM:
                ("not permitted", "EPERM", "a firewall on this host blocks it", "a firewall blocks it")
            case EACCES:
                (
                    "not permitted", "EACCES", "this host's routes or firewall forbid it",
                    "a router or firewall on the way prohibits it"
                )
            case ECONNRESET:
                (
                    "connection reset", "ECONNRESET", "the server closed the connection",
                    "the server closed the connection"
                )
            case EADDRNOTAVAIL:
                (
                    "no address to send from", "EADDRNOTAVAIL",
                    "this host has no address of that family up (::1 with IPv6 off, or the loopback down)", ""
                )
            case EAFNOSUPPORT:
                ("address family not supported", "EAFNOSUPPORT", "this host has IPv6 turned off", "")
            case EMFILE:
                ("out of file descriptors", "EMFILE", "egressmap's limit is reached (ulimit -n)", "")
            case ENFILE:
                ("out of file descriptors", "ENFILE", "the system's limit is reached", "")
            default:
                (String(cString: strerror(errno)), "errno \(errno)", "", "")
            }
        guard let icmp else { return here.isEmpty ? "\(what) (\(name))" : "\(what) (\(name): \(here))" }
        let from = icmp.sender.isEmpty ? "" : " from \(icmp.sender)"
        let why =
            icmp.isTimeExceeded
            ? ": a routing loop on the way, or a path longer than the hop limit"
            : onTheWay.isEmpty ? "" : ": \(onTheWay)"
        return "\(what) (\(name): \(icmp.description)\(from)\(why))"
    }

    private static let refusedWhy = "nothing listens on that port, or a firewall rejects"
}

extension SocketFailure.ICMPError: CustomStringConvertible {
    /// Time exceeded: the packet's hop limit ran out on the way, which no firewall rule says.
    var isTimeExceeded: Bool { version6 ? type == 3 : type == 11 }

    /// `ICMP host unreachable`, `ICMPv6 administratively prohibited`, `ICMP type 5 code 1`.
    var description: String {
        let protocolName = version6 ? "ICMPv6" : "ICMP"
        let meaning = version6 ? Self.meaning6[type]?[code] : Self.meaning4[type]?[code]
        return "\(protocolName) \(meaning ?? "type \(type) code \(code)")"
    }

    /// Destination unreachable (3) and time exceeded (11), by code (RFC 792, RFC 1812).
    private static let meaning4: [Int32: [Int32: String]] = [
        3: [
            0: "network unreachable", 1: "host unreachable", 2: "protocol unreachable", 3: "port unreachable",
            4: "fragmentation needed", 6: "destination network unknown", 7: "destination host unknown",
            9: "network administratively prohibited", 10: "host administratively prohibited",
            13: "communication administratively prohibited",
        ],
        11: [0: "time to live exceeded", 1: "fragment reassembly time exceeded"],
    ]
    /// Destination unreachable (1), packet too big (2) and time exceeded (3), by code (RFC 4443).
    private static let meaning6: [Int32: [Int32: String]] = [
        1: [
            0: "no route to destination", 1: "administratively prohibited", 3: "address unreachable",
            4: "port unreachable", 5: "source address failed policy", 6: "reject route to destination",
        ],
        2: [0: "packet too big"],
        3: [0: "hop limit exceeded", 1: "fragment reassembly time exceeded"],
    ]
}
