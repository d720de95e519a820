import Foundation
import IPNet

extension ProbeTarget {
    /// Parses `192.0.2.1:443` or `[2001:db8::1]:443`, spaces around it ignored.
    /// - Throws: `ProbeTargetError` saying what is wrong with the text and what was expected.
    public init(parsing text: String) throws(ProbeTargetError) {
        let pair = text.trimmingCharacters(in: .whitespaces)
        let host: Substring
        let port: Substring
        if pair.hasPrefix("[") {
            guard let close = pair.firstIndex(of: "]") else {
                throw ProbeTargetError(text: pair, problem: "no closing bracket", expected: "[ADDRESS]:PORT")
            }
            guard pair[close...].hasPrefix("]:") else {
                throw ProbeTargetError(text: pair, problem: "no port after the bracket", expected: "[ADDRESS]:PORT")
            }
            host = pair[pair.index(after: pair.startIndex)..<close]
            port = pair[pair.index(close, offsetBy: 2)...]
        } else {
            guard let colon = pair.lastIndex(of: ":") else {
                throw ProbeTargetError(text: pair, problem: "no port", expected: Self.expected)
            }
            host = pair[..<colon]
            port = pair[pair.index(after: colon)...]
            if host.contains(":") {
                throw ProbeTargetError(
                    text: pair, problem: "an IPv6 address without brackets",
                    expected: "[ADDRESS]:PORT, such as [2001:db8::1]:443"
                )
            }
        }
        guard let address = IPAddress(String(host)) else {
            throw ProbeTargetError(
                text: pair, problem: "\"\(host)\" is not an IP address",
                expected: "an address (probe connects to addresses, not names: egressmap resolve gives a name's)"
            )
        }
        guard let number = UInt16(port), number > 0 else {
            throw ProbeTargetError(text: pair, problem: "port \"\(port)\"", expected: "a port from 1 to 65535")
        }
        self.init(address, number)
    }

    private static let expected = "ADDRESS:PORT, such as 192.0.2.1:443 or [2001:db8::1]:443"
}

/// Why a text is not an `ADDRESS:PORT` pair.
public struct ProbeTargetError: Error, Sendable, Equatable, CustomStringConvertible {
    public var text: String
    public var problem: String
    public var expected: String

    public var description: String { "\"\(text)\": \(problem); expected \(expected)" }
}
