import Hostnames

/// One problem in a manifest: where, what was found there, and what was expected instead.
public struct ManifestError: Error, Hashable, Comparable, Sendable, CustomStringConvertible {
    public var location: SourceLocation
    /// What was found, such as `unknown key 'prots'` or `port 65536`.
    public var found: String
    /// What would have been accepted.
    public var expected: String

    public init(location: SourceLocation, found: String, expected: String) {
        self.location = location
        self.found = found
        self.expected = expected
    }

    /// `file:line:column: <found>; expected <expected>`.
    public var description: String { "\(location): \(found); expected \(expected)" }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.location < rhs.location }
}

/// Every problem found in one manifest, in file order: decoding does not stop at the first.
public struct ManifestErrors: Error, Hashable, Sendable, CustomStringConvertible {
    public var errors: [ManifestError]

    public init(_ errors: [ManifestError]) { self.errors = errors }

    /// One error a line.
    public var description: String { errors.map(\.description).joined(separator: "\n") }
}

/// Why a manifest could not be expanded with the variables and filters given.
public enum ExpansionError: Error, Hashable, Sendable, CustomStringConvertible {
    /// `--var NAME=…` for a variable the manifest does not declare.
    case unknownVariable(name: String, declared: [String])
    /// A variable's value is not one or more host-name labels.
    case invalidValue(name: String, error: NameError)
    /// A name produced with the given values is not a valid host name (too long, say).
    case invalidName(endpoint: EndpointReference, error: NameError)
    /// `--region R` where no endpoint has region R.
    case unknownRegion(String, known: [String])
    /// A variable's value is a whole host where a part was meant: `--var subdomain=acme.iru.com` for
    /// `{subdomain}.iru.com`.
    case valueRepeatsName(name: String, value: String, endpoint: EndpointReference, meant: String)

    public var description: String {
        switch self {
        case .unknownVariable(let name, let declared):
            let list = declared.isEmpty ? "none" : declared.joined(separator: ", ")
            return "--var \(name): the manifest declares no variable '\(name)'; expected one of: \(list)"
        case .invalidValue(let name, let error):
            return "--var \(name)=\(error.printableInput): \(error.problem) at column \(error.column); "
                + "expected \(error.expected)" + (error.suggestion.map { "; did you mean \(name)=\($0)?" } ?? "")
        case .invalidName(let endpoint, let error):
            return "\(endpoint.location): \(endpoint.label) gives \(error.message)"
        case .valueRepeatsName(let name, let value, let endpoint, let meant):
            return "--var \(name)=\(value): \(endpoint.label) (\(endpoint.location)) would give a name that repeats its "
                + "end; expected the part that goes in place of {\(name)}; did you mean \(name)=\(meant)?"
        case .unknownRegion(let region, let known):
            return "--region \(region): no endpoint has region '\(region)'; expected one of: "
                + (known.isEmpty ? "none" : known.joined(separator: ", "))
        }
    }
}
