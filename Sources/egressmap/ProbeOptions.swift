import ArgumentParser
import EgressMap
import Probe

/// `--probe-timeout`, `--probe-deadline` and `--probe-concurrency`: shared by `run` and `probe`.
struct ProbeOptions: ParsableArguments {
    @Option(name: .customLong("probe-timeout"), help: "Per connect attempt; one retry follows a timeout: 3s, 500ms.")
    var timeout: String = "3s"

    @Option(
        name: .customLong("probe-deadline"),
        help: "Bound on all the probes; what is unfinished then is reported as an error, 'deadline'. 0: none."
    )
    var deadline: String = "60s"

    @Option(name: .customLong("probe-concurrency"), help: "Connects in flight at once (1-4096).")
    var concurrency: Int = ProbeSettings.defaultConcurrency

    /// The checked settings, or nil when probing is off (checked anyway, so a typo fails either way).
    /// - Throws: exit 2 (a usage mistake, nothing written) with a sentence on stderr.
    func settings(disabled: Bool = false) throws -> ProbeSettings? {
        let timeout: Duration
        do {
            timeout = try DurationText.parse(self.timeout)
        } catch {
            return try usage("--probe-timeout \(self.timeout): \(error.description)")
        }
        guard timeout > .zero else { return try usage("--probe-timeout \(self.timeout): expected a duration above zero") }
        let deadline: Duration
        do {
            deadline = try DurationText.parse(self.deadline)
        } catch {
            return try usage("--probe-deadline \(self.deadline): \(error.description)")
        }
        guard (1...4096).contains(concurrency) else {
            return try usage("--probe-concurrency \(concurrency): expected 1 to 4096")
        }
        return disabled
            ? nil
            : ProbeSettings(concurrency: concurrency, timeout: timeout, deadline: deadline > .zero ? deadline : nil)
    }

    private func usage(_ message: String) throws -> ProbeSettings? {
        printError("egressmap: \(message); nothing was written")
        throw ExitCode(2)
    }
}
