/// The record types egressmap asks for: addresses only; CNAMEs come along in the answers.
public enum RecordType: String, Sendable, Hashable, Codable, CaseIterable, CustomStringConvertible {
    case a = "A"
    case aaaa = "AAAA"

    /// The type's number on the wire (RFC 1035, RFC 3596).
    public var code: UInt16 {
        switch self {
        case .a: 1
        case .aaaa: 28
        }
    }

    public var description: String { rawValue }

    /// Parses `A` or `AAAA`, in any case.
    public init?(text: String) {
        self.init(rawValue: text.uppercased())
    }
}

/// Record types met while reading an answer.
enum WireType {
    static let a: UInt16 = 1
    static let cname: UInt16 = 5
    static let soa: UInt16 = 6
    static let aaaa: UInt16 = 28
    static let classIN: UInt16 = 1
}
