import ArgumentParser
import DNS
import EgressMap

/// Where and how to ask DNS: shared by `resolve` and `run`.
struct ResolverOptions: ParsableArguments {
    @Option(name: .customLong("resolvers"), help: "A bundled resolver profile (system, public, testworld) or a YAML file.")
    var profile: String = "system"

    @Option(name: .customLong("server"), help: "HOST:PORT of a DNS server; repeat to ask every one (overrides the profile).")
    var servers: [String] = []

    @Option(help: "Passes over every name (catches round-robin rotation).")
    var rounds: Int?

    @Option(help: "Per-attempt timeout: 2s, 500ms, 1.5 (seconds). c-ares doubles it on each further try.")
    var timeout: String?

    @Option(help: "Attempts per query at one server.")
    var tries: Int?

    @Option(help: """
        Bound on the whole lookup phase (the pauses of run's --round-interval do not count); what is \
        unfinished then is reported as timeout. For resolve reading a pipe or a terminal, a bound on each name \
        from when its line is read.
        """)
    var deadline: String = "60s"

    @Option(help: "Queries in flight per channel (the in-flight window).")
    var concurrency: Int?

    /// The profile with command-line overrides applied, and the deadline. A profile that cannot be used (no
    /// such file or bundled name, a bad line in it, no nameserver in /etc/resolv.conf) is reported with
    /// exit 2, as bad input.
    func resolve() throws -> (profile: ResolverProfile, configuration: ResolverConfiguration, deadline: Duration) {
        do {
            return try resolveProfile()
        } catch let error as ProfileError {
            printError("egressmap: \(error)")
            throw ExitCode(2)
        }
    }

    private func resolveProfile() throws -> (
        profile: ResolverProfile, configuration: ResolverConfiguration, deadline: Duration
    ) {
        var profile = try ResolverProfile.load(self.profile)
        if !servers.isEmpty {
            profile.servers = .listed(try servers.map { text in
                do { return try ServerAddress(parsing: text) } catch { throw ValidationError("\(error)") }
            })
            profile.mode = .union
            profile.name += ", servers from --server"  // the snapshot says whose servers were asked
        }
        if let rounds {
            guard (1...100).contains(rounds) else { throw ValidationError("--rounds must be from 1 to 100; found \(rounds)") }
            profile.rounds = rounds
        }
        if let tries {
            guard (1...20).contains(tries) else { throw ValidationError("--tries must be from 1 to 20; found \(tries)") }
            profile.tries = tries
        }
        if let concurrency {
            guard (1...10_000).contains(concurrency) else {
                throw ValidationError("--concurrency must be from 1 to 10000; found \(concurrency)")
            }
            profile.window = concurrency
        }
        if let timeout {
            let value = try parseDuration(timeout, option: "--timeout")
            guard value > .zero else { throw ValidationError("--timeout must be above zero") }
            profile.timeout = value
        }
        let deadline = try parseDuration(deadline, option: "--deadline")
        guard deadline > .zero else { throw ValidationError("--deadline must be above zero") }
        return (profile, try profile.configuration(), deadline)
    }
}

/// Parses a duration option, turning a bad value into a usage error that names the option.
func parseDuration(_ text: String, option: String) throws -> Duration {
    do {
        return try DurationText.parse(text)
    } catch {
        throw ValidationError("\(option): \(error.description)")
    }
}
