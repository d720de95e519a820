import DNS
import Foundation
import Yams

/// A resolver profile (`Resolvers/*.yaml`): which servers to ask and how.
///
/// ```yaml
/// profile: 1
/// description: Cloudflare, Google and Quad9, every one asked
/// mode: union            # or failover
/// servers: ["1.1.1.1", "[2606:4700:4700::1111]:53"]   # or: system (reads /etc/resolv.conf)
/// timeout: 2s            # per attempt; c-ares doubles it on each further try
/// tries: 2
/// rounds: 1
/// window: 50             # queries in flight per channel
/// channels: 1            # channels (UDP sockets) per server
/// ```
/// A server entry may be `${VARIABLE}`, taken from the environment (the test world's profile uses this).
public struct ResolverProfile: Sendable, Equatable {
    public var name: String
    public var description: String
    public var servers: ServerList
    public var mode: ResolverConfiguration.Mode
    public var timeout: Duration
    public var tries: Int
    public var rounds: Int
    public var window: Int
    public var channels: Int

    public enum ServerList: Sendable, Equatable {
        case system
        case listed([ServerAddress])
    }

    /// The resolver configuration this profile gives, reading `/etc/resolv.conf` for `system`.
    /// - Throws: `ProfileError` when the system has no usable nameserver line.
    public func configuration(resolvConf: String = "/etc/resolv.conf") throws(ProfileError) -> ResolverConfiguration {
        let servers: [ServerAddress]
        switch self.servers {
        case .listed(let listed): servers = listed
        case .system: servers = try SystemResolvers.read(resolvConf)
        }
        return ResolverConfiguration(
            servers: servers, mode: mode, timeout: timeout, tries: tries, window: window, channelsPerServer: channels
        )
    }
}

/// A profile that cannot be used, with where and why.
public struct ProfileError: Error, Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    public var column: Int?
    public var message: String
    /// The file's other errors, after this one, reported with it (every error of a file at once).
    public var also: [ProfileError] = []

    public init(file: String, line: Int? = nil, column: Int? = nil, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    /// One line per error: `file:line:column: message`.
    public var description: String {
        var place = file
        if let line { place += ":\(line)" }
        if let column { place += ":\(column)" }
        return (["\(place): \(message)"] + also.map(\.description)).joined(separator: "\n")
    }
}

/// The nameservers of `/etc/resolv.conf`, for the `system` profile.
enum SystemResolvers {
    static func read(_ path: String) throws(ProfileError) -> [ServerAddress] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ProfileError(file: path, message: "cannot read the system resolver configuration; give --server HOST:PORT")
        }
        var servers: [ServerAddress] = []
        for line in String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline) {
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard fields.count >= 2, fields[0] == "nameserver" else { continue }
            // A link-local IPv6 nameserver carries a zone (%eth0) that c-ares's CSV form cannot take.
            if let server = try? ServerAddress(parsing: String(fields[1])) { servers.append(server) }
        }
        guard !servers.isEmpty else {
            throw ProfileError(file: path, message: "no usable nameserver line; give --server HOST:PORT")
        }
        return servers
    }
}
