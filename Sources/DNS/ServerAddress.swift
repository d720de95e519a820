#if canImport(Glibc)
import Glibc
#endif

/// A DNS server to ask: an IPv4 or IPv6 address and a port (53 unless given).
///
/// Accepted forms: `1.1.1.1`, `1.1.1.1:5353`, `2606:4700:4700::1111`, `[2606:4700:4700::1111]:53`.
public struct ServerAddress: Hashable, Sendable, CustomStringConvertible {
    public enum Family: Sendable, Hashable { case v4, v6 }

    public let family: Family
    public let port: UInt16

    /// The address without port or brackets, e.g. `2606:4700:4700::1111`.
    public var host: Substring {
        family == .v6 ? description.dropFirst().prefix { $0 != "]" } : description.prefix { $0 != ":" }
    }

    public init(parsing text: String) throws(ServerAddressError) {
        var host = Substring(text)
        var port: UInt16 = 53
        if host.hasPrefix("[") {
            guard let close = host.firstIndex(of: "]") else {
                throw ServerAddressError(input: text, problem: "an opening '[' without a closing ']'")
            }
            let rest = host[host.index(after: close)...]
            host = host[host.index(after: host.startIndex)..<close]
            if !rest.isEmpty {
                guard rest.hasPrefix(":") else { throw ServerAddressError(input: text, problem: "text after ']'") }
                port = try Self.port(rest.dropFirst(), in: text)
            }
        } else if host.filter({ $0 == ":" }).count == 1, let colon = host.firstIndex(of: ":") {
            port = try Self.port(host[host.index(after: colon)...], in: text)
            host = host[..<colon]
        }
        guard let family = Self.family(of: String(host)) else {
            throw ServerAddressError(input: text, problem: "'\(host)' is not an IPv4 or IPv6 address")
        }
        self.init(host: String(host), family: family, port: port)
    }

    private init(host: String, family: Family, port: UInt16) {
        self.family = family
        self.port = port
        self.description = family == .v6 ? "[\(host)]:\(port)" : "\(host):\(port)"
    }

    /// `host:port`, with brackets around an IPv6 host: the form c-ares and people read. Made once and the
    /// only text held (a server is copied into every answer of a bulk resolve).
    public let description: String

    private static func port(_ text: Substring, in input: String) throws(ServerAddressError) -> UInt16 {
        guard let value = UInt16(text), value > 0 else {
            throw ServerAddressError(input: input, problem: "port '\(text)' is not a number from 1 to 65535")
        }
        return value
    }

    private static func family(of host: String) -> Family? {
        var buffer = (UInt64(0), UInt64(0))
        return withUnsafeMutableBytes(of: &buffer) { raw in
            if inet_pton(AF_INET, host, raw.baseAddress) == 1 { return .v4 }
            if inet_pton(AF_INET6, host, raw.baseAddress) == 1 { return .v6 }
            return nil
        }
    }
}

/// A server address that could not be read.
public struct ServerAddressError: Error, Sendable, Equatable, CustomStringConvertible {
    public var input: String
    public var problem: String

    public var description: String {
        "bad server \"\(input)\": \(problem); expected an address with an optional port, like 127.0.0.1:5353 or [::1]:53"
    }
}
