/// How one lookup of one name and type at one server ended.
public enum Outcome: String, Sendable, Hashable, Codable, CaseIterable, CustomStringConvertible {
    /// The server answered with at least one address of the asked type.
    case ok
    /// The name exists but has no record of the asked type (NOERROR, no answer).
    case nodata
    /// The name does not exist (NXDOMAIN).
    case nxdomain
    /// The server said SERVFAIL.
    case servfail
    /// The server said REFUSED.
    case refused
    /// No usable reply came within the tries, or the batch deadline passed first.
    case timeout
    /// A reply came but could not be trusted: malformed, a CNAME loop, a chain over the cap.
    case badresponse
    /// Anything else: FORMERR, NOTIMP, other rcodes, a refused connection, a local failure.
    case error

    public var description: String { rawValue }

    /// Whether the server gave an answer about the name (as opposed to failing to answer).
    ///
    /// NXDOMAIN and NODATA are answers: addresses they replace age out through retention. Failures keep
    /// earlier addresses, marked stale (DESIGN.md, "Failure is not removal").
    public var isAnswer: Bool {
        switch self {
        case .ok, .nodata, .nxdomain: true
        case .servfail, .refused, .timeout, .badresponse, .error: false
        }
    }
}
