/// How a `Resolver` asks: which servers, how patiently, how many queries at once.
public struct ResolverConfiguration: Sendable, Equatable {
    /// Whether every server is asked (`union`, to cover geo-DNS) or the next only when one fails.
    public enum Mode: String, Sendable, Equatable, Codable, CaseIterable {
        case union
        case failover
    }

    public var servers: [ServerAddress]
    public var mode: Mode
    /// The first attempt's timeout; c-ares doubles it on each further try.
    public var timeout: Duration
    /// Attempts per query at one server.
    public var tries: Int
    /// Queries each channel keeps on the wire at once, at most: a channel halves its window when replies
    /// come only after retries (the server dropped queries) and regrows it by one per window of clean
    /// replies. A window above `windowPerSocket` is spread over several channels (sockets).
    public var window: Int
    /// Channels (each its own UDP socket and thread) per server.
    public var channelsPerServer: Int

    /// The largest window one channel (one UDP socket) keeps: measured against knot on loopback, more
    /// than about 100 queries at once on one socket make the server drop some, and retries cost seconds.
    public static let windowPerSocket = 100

    public init(
        servers: [ServerAddress], mode: Mode = .union, timeout: Duration = .seconds(2), tries: Int = 2,
        window: Int = 50, channelsPerServer: Int = 1
    ) {
        self.servers = servers
        self.mode = mode
        self.timeout = timeout
        self.tries = tries
        self.window = window
        self.channelsPerServer = channelsPerServer
    }
}
