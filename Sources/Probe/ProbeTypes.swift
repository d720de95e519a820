#if canImport(Glibc)
import Glibc
#endif
import IPNet

/// One (address, port) pair to connect to over TCP.
public struct ProbeTarget: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var address: IPAddress
    public var port: UInt16

    public init(_ address: IPAddress, _ port: UInt16) {
        self.address = address
        self.port = port
    }

    public static func < (lhs: Self, rhs: Self) -> Bool { (lhs.address, lhs.port) < (rhs.address, rhs.port) }

    /// `127.0.0.1:443`, `[::1]:443`.
    public var description: String {
        switch address {
        case .v4: "\(address):\(port)"
        case .v6: "[\(address)]:\(port)"
        }
    }
}

/// What a TCP connect to a target ended with.
public enum ProbeVerdict: String, Hashable, Sendable, CaseIterable, Codable {
    /// The handshake completed: something listens.
    case open
    /// The peer answered with a reset: the host is there, nothing listens on the port.
    case refused
    /// No answer within the timeout, on every attempt: a filter drops the packets, or the host is gone.
    case timeout
    /// The network said no route: no route here, an ICMP unreachable, or a local firewall's prohibit.
    case unreachable
    /// Anything else, such as running out of file descriptors; the detail says which errno.
    case error

    /// The verdict of a connect that ended with `failure` (nil: it connected). The one place errno is mapped.
    public init(_ failure: Errno?) {
        guard let failure else {
            self = .open
            return
        }
        switch failure.code {
        case ECONNREFUSED, ECONNRESET: self = .refused
        case ETIMEDOUT: self = .timeout
        case ENETUNREACH, EHOSTUNREACH, EHOSTDOWN, ENONET, EACCES, EPERM: self = .unreachable
        default: self = .error
        }
    }
}

/// The outcome of probing one target.
public struct ProbeResult: Hashable, Sendable {
    public var target: ProbeTarget
    public var verdict: ProbeVerdict
    /// Connect attempts made: 2 when the first timed out and the retry ran.
    public var attempts: Int
    /// From the last attempt's connect call to its verdict (for a timeout, the timeout itself).
    public var elapsed: Duration
    /// The errno behind a verdict other than open and timeout (`ECONNREFUSED`), or why it did not run.
    public var detail: String?

    public init(target: ProbeTarget, verdict: ProbeVerdict, attempts: Int, elapsed: Duration, detail: String?) {
        self.target = target
        self.verdict = verdict
        self.attempts = attempts
        self.elapsed = elapsed
        self.detail = detail
    }
}

/// How to probe: at most `concurrency` connects at once, each attempt given `timeout`, and `retries` more
/// attempts for a target whose attempt timed out (a refused or unreachable verdict is final at once).
public struct ProbeSettings: Hashable, Sendable {
    public static let defaultConcurrency = 256
    public static let defaultTimeout = Duration.seconds(3)

    public var concurrency: Int
    public var timeout: Duration
    public var retries: Int
    /// A bound on the whole batch: what has not finished by then ends as `error`, detail `deadline` (nil: none).
    public var deadline: Duration?

    public init(
        concurrency: Int = defaultConcurrency, timeout: Duration = defaultTimeout, retries: Int = 1,
        deadline: Duration? = nil
    ) {
        precondition(concurrency >= 1, "at least one probe at a time")
        precondition(timeout > .zero, "a timeout above zero")
        precondition(retries >= 0, "no negative retries")
        precondition(deadline.map { $0 > .zero } ?? true, "a deadline above zero")
        self.concurrency = concurrency
        self.timeout = timeout
        self.retries = retries
        self.deadline = deadline
    }
}
