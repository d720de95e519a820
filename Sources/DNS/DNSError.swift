/// Why the resolver could not be set up.
public enum DNSError: Error, Sendable, CustomStringConvertible {
    /// A channel for `server` could not be created.
    case channel(server: ServerAddress, reason: String)
    /// The configuration names no server.
    case noServers

    public var description: String {
        switch self {
        case .channel(let server, let reason): "cannot set up a c-ares channel for \(server): \(reason)"
        case .noServers: "no DNS server to ask: give --server HOST:PORT or a resolver profile with servers"
        }
    }
}
