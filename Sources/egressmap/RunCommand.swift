import ArgumentParser
import DNS
import Drift
import EgressMap
import Foundation
import Logging
import IPNet
import Manifest

struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Resolve a manifest's endpoints and publish IP allowlists, a snapshot and a summary.",
        discussion: """
            With no arguments: the bundled Iru/Kandji manifest, the system resolvers, ./Output/. \
            Exit status: 0 done; 1 done, --exit-code was given and a published allowlist changed; 2 bad input \
            (nothing written), or an output folder or history that cannot be used, or a failed write (nothing \
            published); 3 a guard refused to publish (the snapshot and history record the attempt); 4 every \
            lookup failed (nothing published).
            """
    )

    @Option(help: """
        The manifest: a YAML/JSON file (- reads standard input), or the name of a bundled one \
        (\(Manifest.bundledNames.joined(separator: ", "))).
        """)
    var manifest: String = "iru"

    @OptionGroup var resolver: ResolverOptions

    @OptionGroup var expansion: ExpansionOptions

    @Option(
        name: .customLong("round-interval"), help: "Pause between rounds: 30s, 5m (not counted against --deadline)."
    )
    var roundInterval: String = "0"

    @Option(help: "The output folder.")
    var out: String = "Output"

    @OptionGroup var formats: FormatOptions

    @Option(name: .customLong("allow-special"), help: "Emit addresses of this special-purpose block anyway (a prefix).")
    var allowSpecial: [String] = []

    @Option(help: "Keep an address while it was seen within this long by a name still in the manifest (0: this run only).")
    var retain: String = "7d"

    @Option(name: .customLong("stale-limit"), help: "While a name's lookups fail, keep its addresses this long after last seen.")
    var staleLimit: String = "30d"

    @Option(name: .customLong("max-shrink"), help: "Refuse to publish when a list of 8+ prefixes would lose more than this percent.")
    var maxShrink: Double = 25

    @Flag(help: "Publish even when the shrink guard or the set-name guard objects (the failure guard has no override).")
    var force = false

    @Flag(help: "Wait for another run on the same folder to finish instead of refusing.")
    var wait = false

    @Option(name: .customLong("keep-runs"), help: "Snapshots, diffs and history runs kept.")
    var keepRuns: Int = 1000

    @Flag(name: .customLong("no-probe"), help: "Do not probe reachability.")
    var noProbe = false

    @OptionGroup var probing: ProbeOptions

    @Flag(name: .customLong("exit-code"), help: "Exit 1 when a published allowlist changed (for cron and CI).")
    var exitCode = false

    @Flag(help: "Print only problems.")
    var quiet = false

    @Flag(help: "Print more detail: every name, and on stderr when each step of the run began and ended.")
    var verbose = false

    mutating func run() async throws {
        let timeline = RunTimeline()
        if quiet && verbose { throw ValidationError("--quiet and --verbose exclude each other") }
        let allowSpecial = try allowSpecial.map { text in
            do { return try IPPrefix(parsing: text, allowingBareAddress: true) } catch {
                throw ValidationError("--allow-special \(text): \(error)")
            }
        }
        // What the diff needs of the previous run is read on the other core while the manifest loads.
        let folder = OutputFolder(out)
        let latestReadEarly = Task.detached { timeline.measure("read latest") { folder.readLatest() } }
        let (loaded, source, bytes) = try timeline.measure("manifest") { try loadManifest() }
        let optionsStart = ContinuousClock.now
        let formatOptions = try formats.options(for: loaded)
        let settings = try resolver.resolve()
        let interval = try parseDuration(roundInterval, option: "--round-interval")
        var safety = RunRequest.Safety()
        safety.retain = try parseDuration(retain, option: "--retain")
        safety.staleLimit = try parseDuration(staleLimit, option: "--stale-limit")
        guard (0...100).contains(maxShrink) else { throw ValidationError("--max-shrink must be from 0 to 100; found \(maxShrink)") }
        guard (1...1_000_000).contains(keepRuns) else { throw ValidationError("--keep-runs must be from 1; found \(keepRuns)") }
        safety.maxShrinkPercent = maxShrink
        safety.force = force
        safety.waitForLock = wait
        safety.keepRuns = keepRuns
        safety.reportsChanges = exitCode
        let request = RunRequest(
            manifest: loaded, manifestSource: source, manifestBytes: bytes, variables: try expansion.variables(),
            filter: try expansion.filter(), profile: settings.profile, configuration: settings.configuration,
            rounds: settings.profile.rounds, roundInterval: interval, deadline: settings.deadline,
            output: folder, allowSpecial: allowSpecial, formats: formatOptions,
            probe: try probing.settings(disabled: noProbe), safety: safety, now: try fixedClock(),
            latestReadEarly: latestReadEarly, timeline: timeline
        )
        timeline.record("options", from: optionsStart)
        let errors = EgressMap.OutputStream(fd: 2)
        let bar = ProgressLine(stream: errors, enabled: errors.isTerminal && !quiet)
        let outcome: RunOutcome
        do {
            var logger = Logger(label: "egressmap.run")
            logger.logLevel = verbose ? .debug : .info
            outcome = try await RunPipeline.run(
                request, logger: logger,
                progress: { done, total in bar.update(done: done, total: total) },
                probeProgress: { done, total in bar.update(done: done, total: total, doing: "probing") }
            )
        } catch let error as RunInputError {
            bar.finish()
            printError("egressmap: \(error.description)")
            throw ExitCode(2)
        }
        bar.finish()
        for warning in outcome.warnings { printError("egressmap: warning: \(warning)") }
        if outcome.exitCode == 0 { FormatOptions.printWarnings(outcome.snapshot, formatOptions) }
        let output = EgressMap.OutputStream(fd: 1)
        let colors = colorsAllowed(on: output, environment: ProcessInfo.processInfo.environment)
        if verbose { output.writeLine(RunSummary.names(outcome.snapshot, colors: colors)) }
        // A large manifest's table and changes would run to tens of thousands of lines: the summary shows the
        // first of each, and says where the rest are (all of them with --verbose).
        let limit = verbose ? nil : 25
        let summary = RunSummary.render(outcome.snapshot, output: out, colors: colors, quiet: quiet, rowLimit: limit)
        if !summary.isEmpty { output.writeLine(summary) }  // --quiet with nothing to say: nothing, for cron's mail
        // Not even rendered under --quiet: a first run's diff lists every name.
        if !quiet {
            let changes = DiffReport.terminal(outcome.diff, paint: Paint(enabled: colors), limit: limit)
            // Nothing changed is said too: the summary's end otherwise leaves it to be guessed.
            let headline = outcome.diff.headline == "no change" ? "" : " (\(outcome.diff.headline))"
            output.writeLine(
                changes.isEmpty ? "changes since \(outcome.diff.oldRun ?? "(no earlier run)"): none\(headline)" : changes
            )
        }
        output.flush()
        if let refusal = RunSummary.refusal(outcome.snapshot) { printError("egressmap: \(refusal)") }
        let status = outcome.exitCode != 0 ? outcome.exitCode : (exitCode && outcome.allowlistChanged ? 1 : 0)
        outcome.publication.reported()  // the status below says what the run did
        // The outcome holds the whole run (for 10,000 names, hundreds of thousands of small values): the process
        // ends here, with the status ExitCode would give, instead of freeing them one by one (a twentieth of a
        // second, after every file was written).
        withExtendedLifetime(outcome) { exitChecked(status) }
    }

    /// `EGRESSMAP_NOW` (Unix milliseconds) fixes the run's clock: for tests and simulations of many runs.
    private func fixedClock() throws -> Date? {
        guard let text = ProcessInfo.processInfo.environment["EGRESSMAP_NOW"], !text.isEmpty else { return nil }
        guard let milliseconds = Int64(text), milliseconds > 0 else {
            throw ValidationError("EGRESSMAP_NOW must be Unix time in milliseconds; found \(text)")
        }
        return Date(timeIntervalSince1970: Double(milliseconds) / 1000)
    }

    /// The manifest, where it came from, and its bytes; bad manifests print every error and exit 2.
    private func loadManifest() throws -> (Manifest, String, [UInt8]) {
        do {
            if !FileManager.default.fileExists(atPath: manifest), let text = Manifest.bundledText(manifest) {
                return (try Manifest.bundled(manifest), "bundled:\(manifest)", Array(text.utf8))
            }
            let bytes = manifest == Manifest.standardInput.path ? try Manifest.readFile(manifest)
                : try readManifestBytes(manifest)
            let name = Manifest.fileName(manifest)
            return (try Manifest(bytes: bytes, file: name), name, bytes)
        } catch let error as ManifestErrors {
            printError(error.description)
            printError(
                "\(error.errors.count) error\(error.errors.count == 1 ? "" : "s") in \(Manifest.fileName(manifest)); "
                    + "nothing was written"
            )
            throw ExitCode(2)
        }
    }

    /// The file's bytes; directories, link loops and oversized files fail as `ManifestErrors` at `path:1:1`.
    private func readManifestBytes(_ path: String) throws -> [UInt8] {
        // Nothing at all there (not even a link): perhaps a mistyped bundled name.
        guard (try? FileManager.default.attributesOfItem(atPath: path)) != nil else {
            printError("egressmap: \(path): no such file, and no bundled manifest of that name (\(Manifest.bundledNames.joined(separator: ", ")))")
            throw ExitCode(2)
        }
        return try Manifest.readFile(path)
    }
}

/// `--var`, `--region` and `--os`: shared by `run` and `manifest expand`.
struct ExpansionOptions: ParsableArguments {
    @Option(name: .customLong("var"), help: ArgumentHelp("A variable's value, such as subdomain=acme.", valueName: "name=value"))
    var values: [String] = []

    @Option(help: "Keep endpoints of this region and those without one.")
    var region: String?

    @Option(help: ArgumentHelp(
        "Keep endpoints for this platform and those for all; all keeps every one (\(Platform.spellings)).",
        valueName: "os"
    ))
    var os: String?

    /// `NAME=VALUE` pairs, each name once.
    func variables() throws -> [String: String] {
        var result: [String: String] = [:]
        for item in values {
            guard let equals = item.firstIndex(of: "="), equals != item.startIndex else {
                throw ValidationError("--var \(item): expected NAME=VALUE, such as --var subdomain=acme")
            }
            let name = String(item[..<equals])
            guard result[name] == nil else { throw ValidationError("--var \(name) is given twice; expected each variable once") }
            result[name] = String(item[item.index(after: equals)...])
        }
        return result
    }

    func filter() throws -> ExpansionFilter {
        var platform: Platform? = nil
        if let os {
            guard let parsed = Platform(rawValue: os.lowercased()) else {
                throw ValidationError("--os \(os): expected one of \(Platform.spellings)")
            }
            // `--os all`: every platform, as the endpoints' own `all` means (not only the endpoints marked so).
            platform = parsed == .all ? nil : parsed
        }
        return ExpansionFilter(region: region?.lowercased(), platform: platform)
    }
}
