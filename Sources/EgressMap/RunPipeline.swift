import Allowlist
import DNS
import Drift
import Foundation
import Hostnames
import IPNet
import Logging
import Manifest
import Probe

/// Everything `egressmap run` was asked to do, already validated.
public struct RunRequest: Sendable {
    public var manifest: Manifest
    /// The manifest file as given, or `bundled:iru`.
    public var manifestSource: String
    /// The manifest's bytes, for the hash the snapshot records.
    public var manifestBytes: [UInt8]
    public var variables: [String: String]
    public var filter: ExpansionFilter
    public var profile: ResolverProfile
    public var configuration: ResolverConfiguration
    public var rounds: Int
    public var roundInterval: Duration
    public var deadline: Duration
    public var output: OutputFolder
    public var allowSpecial: [IPPrefix]
    public var safety: Safety
    /// The run's clock; tests and simulations set it, everything else uses now.
    public var now: Date?
    /// `output.readLatest()`, started while the manifest loaded; nil to read `latest.json` during the run.
    public var latestReadEarly: Task<LatestRead, Never>?
    /// Where the run records when each of its steps began and ended (`--verbose` prints it).
    public var timeline: RunTimeline

    /// Retention, the guards and the lock (DESIGN.md, "Safety rules").
    public struct Safety: Sendable {
        public var retain: Duration = .seconds(7 * 86400)
        public var staleLimit: Duration = .seconds(30 * 86400)
        public var maxShrinkPercent: Double = 25
        public var force = false
        public var waitForLock = false
        public var keepRuns = 1000
        /// `--exit-code`: the exit status says whether a published allowlist changed, so this run reports the
        /// publications no exit status has yet (see `OutputFolder.unreportedRun()`); a run without it leaves
        /// them, and its own, to the next that does.
        public var reportsChanges = false

        public init() {}
    }

    /// The extra allowlist formats and their options (`--format`, `--set-prefix`, …), already checked.
    public var formats: RenderOptions
    /// How to probe reachability (`--probe-timeout`, `--probe-concurrency`); nil for `--no-probe`.
    public var probe: ProbeSettings?

    public init(
        manifest: Manifest, manifestSource: String, manifestBytes: [UInt8], variables: [String: String],
        filter: ExpansionFilter, profile: ResolverProfile, configuration: ResolverConfiguration, rounds: Int,
        roundInterval: Duration, deadline: Duration, output: OutputFolder, allowSpecial: [IPPrefix],
        formats: RenderOptions = RenderOptions(), probe: ProbeSettings? = ProbeSettings(),
        safety: Safety = Safety(), now: Date? = nil, latestReadEarly: Task<LatestRead, Never>? = nil,
        timeline: RunTimeline = RunTimeline()
    ) {
        self.manifest = manifest
        self.manifestSource = manifestSource
        self.manifestBytes = manifestBytes
        self.variables = variables
        self.filter = filter
        self.profile = profile
        self.configuration = configuration
        self.rounds = rounds
        self.roundInterval = roundInterval
        self.deadline = deadline
        self.output = output
        self.allowSpecial = allowSpecial
        self.formats = formats
        self.probe = probe
        self.safety = safety
        self.now = now
        self.latestReadEarly = latestReadEarly
        self.timeline = timeline
    }
}

/// How a run ended: the snapshot it wrote, its diff against the previous run, and the exit status.
public struct RunOutcome: Sendable {
    public var snapshot: Snapshot
    public var diff: SnapshotDiff
    /// Whether this run published allowlists that differ from those published before it (`--exit-code`).
    public var allowlistChanged: Bool
    /// 0 published; 3 a guard refused to publish; 4 every lookup failed (nothing published).
    public var exitCode: Int32
    /// What went wrong beside the run without stopping it (an unreadable `latest.json`, pruning that
    /// failed), in sentences for standard error.
    public var warnings: [String] = []
    /// The folder's lock, and the mark of a publication not yet reported, until `reported()`.
    public var publication: Publication
}

/// A run's hold on its output folder after the pipeline: its lock, and, when it published with
/// `--exit-code`, the mark of publications not yet reported (`OutputFolder.unreportedMarker`), both let go by
/// `reported()` once the exit status has said what the run did. A run that ends otherwise after publishing
/// (killed, or failing), or publishes without `--exit-code`, leaves the mark, and the next run with it
/// reports the change: the exit status a pipeline pushes on is never lost.
public final class Publication: @unchecked Sendable {
    private var lock: RunLock?
    private let marker: URL?

    init(lock: RunLock, marker: URL?) {
        self.lock = lock
        self.marker = marker
    }

    /// Removes this run's mark, if it published, and releases the folder's lock. Call it once, as the exit
    /// status is given.
    public func reported() {
        if let marker { unlink(marker.path) }
        lock = nil
    }
}

/// Why a run stopped, in one sentence, exit 2: bad input or a busy folder (nothing written), or a history
/// it cannot use (nothing published).
public struct RunInputError: Error, Sendable, CustomStringConvertible {
    public var description: String

    /// The history at `path` could not be used: opened, read or written.
    static func history(_ path: String, _ error: any Error) -> Self {
        Self(description: "\(path): \(HistoryStore.trouble(error)); nothing was published")
    }
}

/// The pipeline of `egressmap run`: expand → resolve → classify (with the history) → guard → record →
/// snapshot → publish.
public enum RunPipeline {
    /// Runs it all. Progress is reported as (names done, names in all rounds) while DNS works, then as (probes
    /// with a verdict, probes in all) to `probeProgress`, from the probes' own thread.
    /// - Throws: `RunInputError` before anything is written; write and database errors after.
    public static func run(
        _ request: RunRequest, logger: Logger = Logger(label: "egressmap.run"),
        progress: @escaping @Sendable (Int, Int) -> Void = { _, _ in },
        probeProgress: @escaping @Sendable (Int, Int) -> Void = { _, _ in }
    ) async throws -> RunOutcome {
        let output = request.output
        let timeline = request.timeline
        let expandStart = ContinuousClock.now
        // Recorded in the history and the snapshot.
        let manifestSHA256 = SHA256.hex(request.manifestBytes)
        let expansion: Expansion
        let lock: RunLock
        let leftovers: Leftovers
        let unreported: String?
        do {
            try output.validate()
            expansion = try request.manifest.expand(variables: request.variables, filter: request.filter)
            try output.prepare()
            timeline.record("expand", from: expandStart)
            lock = try timeline.measure("lock") {
                try RunLock(path: output.lock.path, wait: request.safety.waitForLock)
            }
            leftovers = output.removeLeftovers()
            unreported = output.unreportedRun()
        } catch let error as ExpansionError {
            throw RunInputError(description: "\(request.manifestSource): \(error)")
        } catch {
            throw RunInputError(description: "\(error)")
        }
        defer { withExtendedLifetime(lock) {} }

        let started = request.now ?? Date()
        let clockStart = ContinuousClock.now
        // What does not depend on this run's answers is read while DNS works: what the diff needs of the
        // previous snapshot (this run holds the lock, so it is the one before this run; read while the manifest
        // loaded when the file is still the one in place) and what the history knows of the names (for
        // retention). Each took a tenth of a 10,000-name run when read after.
        async let previous = output.previousRun(readEarly: await request.latestReadEarly?.value)
        async let known = timeline.measure("open history") {
            try Self.openHistory(output.history.path, names: expansion.targets.map(\.name.text))
        }
        // Names are classified once DNS is done, on every core. Classifying them in batches while DNS worked
        // made a 10,000-name run no faster on two cores (medians of five sets of 6-10 interleaved runs: 0.85 to
        // 1.0 s with it, 0.87 to 0.95 s without): DNS keeps both cores busy (the loop thread, the batch and the
        // server), so the classifier only took from them.
        let lookups = try await timeline.measure("resolve") {
            try await resolve(expansion.targets.map(\.name), request, logger: logger, progress: progress)
        }

        let (history, priors) = try await known
        let nowMs = Timestamp.milliseconds(started)
        let safety = request.safety
        let classifyStart = ContinuousClock.now
        let classified = await Classifier(
            expansion: expansion, allowSpecial: request.allowSpecial,
            priors: priors,
            retention: .init(
                nowMs: nowMs, retainMs: Int64(safety.retain.milliseconds), staleLimitMs: Int64(safety.staleLimit.milliseconds)
            ),
            union: request.configuration.mode == .union
        ).classify(rounds: lookups, parts: ProcessInfo.processInfo.activeProcessorCount)
        timeline.record("classify", from: classifyStart)
        // What the run saw goes into the history's transaction at once, on the database's queue, and the run's
        // row follows once its counts and verdict are known (see HistoryStore.record). The history records every
        // run, published or not; then the allowlists are published; then the snapshot, so a snapshot that says
        // "published" always is. A run killed between two steps leaves each file whole, and the next run starts
        // from what is there.
        let runID = output.runID(startingAt: started)
        let (runRow, runRowKnown) = AsyncStream.makeStream(of: RunRow.self)
        async let recorded: Void = timeline.measure("history") {
            try await history.record(runID: runID, startedMs: nowMs, seen: observations(classified.names), row: runRow)
        }
        defer { runRowKnown.finish() }  // without a row, as when this throws first, the history is left as it was
        // The endpoints' records and the probes (or, with --no-probe, their plan and matrix) need nothing of the
        // allowlists, nor they of them.
        let endpointsStep = request.probe == nil ? "endpoints" : "endpoints and probes"
        async let endpointsAndReachability = timeline.measure(endpointsStep) {
            await Self.endpointsAndReachability(request, expansion, classified.names, probeProgress: probeProgress)
        }
        let allowlistsStart = ContinuousClock.now
        let publishedBefore = output.publishedLists()
        let (files, all) = AllowlistBuilder.build(
            classified.contributions, listed: listedServices(request.manifest, published: publishedBefore)
        )
        let tally = Tally(classified.names)
        // Read while DNS worked; the run the diff is against is the one whose allowlists are in place.
        let previousRun = await previous
        let setPrefix = request.formats.prefixInEffect(manifestName: request.manifest.name)
        let setNamesChange = previousRun.side?.setPrefix.map { $0 != setPrefix && setPrefix != nil } ?? false
        var proposed = ["all": all]
        for file in files { proposed[file.name] = file.prefixes.map(\.prefix) }
        // What the firewall gets that differs from what it has: new lists, or new set names.
        let changes = proposed != publishedBefore || setNamesChange
        let verdict = Guards.judge(
            names: classified.names.count, failed: tally.failed, files: files, all: all,
            published: publishedBefore, safety: safety, commonFailure: tally.commonFailure,
            setPrefixes: (previousRun.side?.setPrefix, setPrefix)
        )
        timeline.record("allowlists", from: allowlistsStart)
        runRowKnown.yield(
            RunRow(
                id: runID, startedMs: nowMs, manifestName: request.manifest.name, manifestSHA256: manifestSHA256,
                resolvers: request.configuration.servers.map(\.description).joined(separator: ","),
                names: classified.names.count, namesOK: tally.ok, namesFailed: tally.failed,
                prefixes: all.count, published: verdict.publish, note: verdict.note
            )
        )
        runRowKnown.finish()
        let (endpoints, probed) = await endpointsAndReachability  // before the clock is read for finished_at
        let snapshot = Snapshot(
            runID: runID, startedAt: Timestamp.iso8601(started),
            finishedAt: Timestamp.iso8601(started.addingTimeInterval((ContinuousClock.now - clockStart).milliseconds / 1000)),
            durationMs: Int((ContinuousClock.now - clockStart).milliseconds.rounded()),
            manifest: ManifestInfo(
                name: request.manifest.name, source: request.manifestSource,
                sha256: manifestSHA256, variables: request.variables,
                region: request.filter.region, os: request.filter.platform?.rawValue
            ),
            resolvers: ResolverInfo(
                profile: request.profile.name, mode: request.configuration.mode.rawValue,
                servers: request.configuration.servers.map(\.description),
                timeoutMs: Int(request.configuration.timeout.milliseconds), tries: request.configuration.tries,
                rounds: request.rounds
            ),
            endpoints: endpoints,
            names: classified.names, findings: classified.findings,
            counts: Counts(
                endpoints: request.manifest.endpoints.count, names: classified.names.count,
                namesOK: tally.ok, namesFailed: tally.failed, addresses: tally.addresses, prefixes: all.count
            ),
            allowlists: files, all: all, published: verdict.publish, publishNote: verdict.note,
            policy: Policy(
                retainMs: Int64(safety.retain.milliseconds), staleLimitMs: Int64(safety.staleLimit.milliseconds),
                maxShrinkPercent: safety.maxShrinkPercent, forced: safety.force,
                // Carried over by a run that writes no set format: the firewall's sets keep their names.
                setPrefix: setPrefix ?? previousRun.side?.setPrefix
            ),
            reachability: probed
        )

        // The snapshot is encoded, written and synced under a temporary name in a task of its own (a piece at a
        // time: see stageSnapshot), and everything is rendered while the history writes; nothing is put in
        // place before the history commits.
        async let stagedSnapshot = onOwnThread {
            try timeline.measure("snapshot") { try output.stageSnapshot(snapshot) }
        }
        let diff: SnapshotDiff
        var reports: StagedReports?
        var warnings: [String] = []
        if let finished = leftovers.finishedRun {
            warnings.append(
                "run \(finished) was stopped after it published its allowlists, before its snapshot and diff were "
                    + "all in place: they are now"
            )
        }
        if let unreported, safety.reportsChanges {
            warnings.append(
                "run \(unreported) published its allowlists and no exit status has said so (killed, say): this "
                    + (verdict.publish
                        ? "run reports the change" : "run publishes nothing, so the next one that does reports it")
            )
        }
        do {
            let renderStart = ContinuousClock.now
            let allowlistFiles = verdict.publish ? try AllowlistDocuments.render(snapshot, formats: request.formats) : nil
            if let warning = previousRun.warning { warnings.append(warning) }
            diff = SnapshotDiff(old: previousRun.side, new: DiffSide(snapshot))
            // Rendered before the staged snapshot is awaited: an argument list evaluates in order, and waiting
            // first left these to run after the snapshot was written.
            let diffJSON = try SnapshotCoding.encode(diff)
            let diffMarkdown = DiffReport.markdownData(diff)
            let matrix = Data(ReachabilityReport.markdown(snapshot).utf8)
            timeline.record("render", from: renderStart)
            // Written and synced while the history commits and the snapshot is written, so that publishing is
            // renames.
            let staged = try timeline.measure("stage") {
                try output.stageReports(runID: runID, diffJSON: diffJSON, diffMarkdown: diffMarkdown, matrix: matrix)
            }
            reports = staged
            let documents = RunDocuments(snapshot: try await stagedSnapshot, reports: staged)
            do {
                try await recorded
            } catch where !(error is CancellationError) {
                throw RunInputError.history(output.history.path, error)
            }
            try timeline.measure("publish") {
                try documents.checkPlaces()
                if let allowlistFiles {
                    // Until this run's exit status has said so (`Publication.reported()`): see `unreportedRun()`.
                    // Without --exit-code, only a change is marked: the next run that reports one has it.
                    if safety.reportsChanges || changes || unreported != nil {
                        try output.markUnreported(runID, carrying: unreported)
                    }
                    try output.publish(allowlistFiles, runID: runID)
                }
                try documents.commit()
            }
        } catch {
            // Written ahead, never (or not all) put in place.
            (try? await stagedSnapshot)?.discard()
            reports?.discard()
            throw error
        }
        // The run is recorded and published by now: pruning that fails (a full disk) is said, not the run's end.
        do {
            try timeline.measure("prune") {
                let removed = try history.prune(
                    keepRuns: safety.keepRuns, keeping: Set([output.publishedGeneration].compactMap { $0 }),
                    windowMs: Int64(max(safety.retain, safety.staleLimit).milliseconds), nowMs: nowMs
                )
                output.removeSnapshots(removed)
            }
        } catch {
            warnings.append("\(output.history.path): old runs were not pruned: \(HistoryStore.trouble(error))")
        }
        logger.debug("run finished", metadata: ["run": "\(runID)", "published": "\(verdict.publish)"])
        logger.debug("steps (ms from the start): \(timeline.summary)")
        return RunOutcome(
            // New set names are a change for the firewall too, whatever the addresses did; and so is what a run
            // that published and was stopped (exit 137, say) put in place and could not report.
            snapshot: snapshot, diff: diff,
            allowlistChanged: verdict.publish && (changes || unreported != nil),
            exitCode: verdict.exitCode, warnings: warnings,
            publication: Publication(
                lock: lock, marker: verdict.publish && safety.reportsChanges ? output.unreportedMarker : nil
            )
        )
    }

    /// The names that are ok and that failed, and the distinct addresses of them all: one pass, no copies.
    struct Tally {
        var ok = 0
        var failed = 0
        var addresses = 0
        /// The commonest first failure of the failed names (`timeout from 192.0.2.53:53: no reply …`), and how
        /// many names failed so; nil when none failed.
        var commonFailure: (reason: String, names: Int)?

        init(_ names: [NameRecord]) {
            var distinct = Set<String>()
            distinct.reserveCapacity(2 * names.count)
            var reasons: [String: Int] = [:]
            // By index: `for name in names` copies every record.
            for index in names.indices {
                switch names[index].outcome {
                case "ok": ok += 1
                case "nodata", "nxdomain": break
                default:
                    failed += 1
                    reasons[Self.firstFailure(names[index]), default: 0] += 1
                }
                for position in names[index].addresses.indices {
                    distinct.insert(names[index].addresses[position].address)
                }
            }
            addresses = distinct.count
            commonFailure = FailureReason.commonest(reasons)
        }

        /// `timeout from 192.0.2.53:53: no reply within the timeout and tries`: a failed name's first failed
        /// lookup, as the lookup-failed finding says it.
        static func firstFailure(_ name: NameRecord) -> String {
            guard let lookup = name.lookups.first(where: { !["ok", "nodata", "nxdomain"].contains($0.outcome) })
            else { return "not resolved" }
            return FailureReason.text(outcome: lookup.outcome, server: lookup.server, detail: lookup.detail)
        }
    }

    /// The services whose lists a run publishes even when nothing is in them: each the manifest declares (its
    /// filters aside), and each published with prefixes before. A list that lost its last address, or whose
    /// port left the manifest, is published empty, so that the firewall's set is emptied rather than kept as
    /// it was (a file that vanished changes nothing on an appliance); once published empty, a list the
    /// manifest no longer declares is dropped.
    static func listedServices(_ manifest: Manifest, published: [String: [String]]) -> Set<String> {
        var services = Set<String>()
        for endpoint in manifest.endpoints { services.formUnion(endpoint.common.services.map(\.description)) }
        for (name, prefixes) in published where !prefixes.isEmpty {
            if let service = AllowlistBuilder.service(ofFileName: name) { services.insert(service) }
        }
        return services
    }

    /// The history at `path`, and every sighting it has of `names`.
    /// - Throws: `RunInputError` naming the file and what is wrong when SQLite cannot use it (not a
    ///   database, a full disk, locked past the busy timeout).
    static func openHistory(_ path: String, names: [String]) throws -> (HistoryStore, [String: [Sighting]]) {
        do {
            let history = try HistoryStore(path: path)
            return (history, try history.sightings(of: names))
        } catch where !(error is CancellationError) {
            throw RunInputError.history(path, error)
        }
    }

    /// What this run saw, per name, for the history: this run's answers only.
    static func observations(_ names: [NameRecord]) -> [NameObservation] {
        names.indices.map { NameObservation($0, of: names) }
    }

    /// Resolves every name in every round, `roundInterval` apart; the deadline bounds the lookups of the whole
    /// phase, and the pauses between rounds, which the user asked for, do not count against it.
    /// - Returns: the lookups of each name, in the order of `names` (empty for a name never answered).
    static func resolve(
        _ names: [DomainName], _ request: RunRequest, logger: Logger,
        progress: @escaping @Sendable (Int, Int) -> Void
    ) async throws -> [[RoundLookup]] {
        guard !names.isEmpty else { return [] }
        var deadline = ContinuousClock.now + request.deadline
        // By position, carried as the job's line: no dictionary of names to hash while DNS works.
        var lookups = [[RoundLookup]](repeating: [], count: names.count)
        let total = names.count * request.rounds
        var done = 0
        // Without a pause between rounds, each name is asked its rounds back to back (as `resolve --rounds`
        // does): one pass over the names, not one per round, each with its own drain of the window at the end.
        let passes = request.roundInterval > .zero ? request.rounds : 1
        let roundsPerPass = request.rounds / passes
        try await Resolver.withResolver(request.configuration, logger: logger) { dns in
            for pass in 1...passes {
                if pass > 1 {
                    // A pause that counted against the deadline was skipped once it did not fit, and the rounds
                    // ran back to back: `--round-interval 5m` with the default 60 s deadline caught no rotation.
                    let paused = ContinuousClock.now
                    try await Task.sleep(until: paused + request.roundInterval, clock: .continuous)
                    deadline += ContinuousClock.now - paused
                }
                var index = 0
                try await dns.resolveAll(
                    types: [.a, .aaaa], rounds: roundsPerPass, deadline: deadline,
                    next: {
                        guard index < names.count else { return nil }
                        defer { index += 1 }
                        return NameJob(name: names[index], line: index)
                    },
                    each: { resolution in
                        guard let position = resolution.job.line else { return }
                        if lookups[position].isEmpty {
                            lookups[position].reserveCapacity(resolution.lookups.count * passes)
                        }
                        for lookup in resolution.lookups {
                            lookups[position].append(RoundLookup(round: pass - 1 + lookup.round, answer: lookup.answer))
                        }
                        done += roundsPerPass
                        progress(done, total)
                    }
                )
            }
        }
        return lookups
    }

    /// The endpoints' records, then the probes of their names' addresses (or their plan alone).
    static func endpointsAndReachability(
        _ request: RunRequest, _ expansion: Expansion, _ names: [NameRecord],
        probeProgress: @escaping @Sendable (Int, Int) -> Void
    ) async -> ([EndpointRecord], Reachability) {
        let endpoints = endpointRecords(request.manifest, expansion, names)
        let reachability = await ReachabilityStage.run(
            manifest: request.manifest, endpoints: endpoints, names: names, settings: request.probe,
            progress: probeProgress
        )
        return (endpoints, reachability)
    }

    static func endpointRecords(_ manifest: Manifest, _ expansion: Expansion, _ names: [NameRecord]) -> [EndpointRecord] {
        // By the endpoint's index (its position in the manifest): a dictionary of 10,000 growing lists was
        // hashed and copied for every name.
        let slots = (manifest.endpoints.map(\.index).max() ?? -1) + 1
        var namesByEndpoint = [[String]](repeating: [], count: slots)
        for position in names.indices {
            for index in names[position].endpoints where namesByEndpoint.indices.contains(index) {
                namesByEndpoint[index].append(names[position].name)
            }
        }
        for index in namesByEndpoint.indices where namesByEndpoint[index].count > 1 { namesByEndpoint[index].sort() }
        let skipped = Dictionary(expansion.skipped.map { ($0.endpoint.index, $0) }, uniquingKeysWith: { a, _ in a })
        var serviceTexts = Classifier.serviceTexts()  // most endpoints share their services' texts
        return manifest.endpoints.map { endpoint in
            let common = endpoint.common
            var prefix: String? = nil
            if case .range(let range) = endpoint { prefix = range.prefix.description }
            return EndpointRecord(
                index: endpoint.index, label: endpoint.reference.label, kind: prefix == nil ? "host" : "range",
                location: endpoint.location.description, services: serviceTexts(common.services),
                purpose: common.purpose, region: common.region, os: common.platforms.map(\.rawValue),
                prefix: prefix, names: namesByEndpoint.indices.contains(endpoint.index) ? namesByEndpoint[endpoint.index] : [],
                skipped: skipped[endpoint.index].map { "needs \($0.flags.joined(separator: " "))" }
            )
        }
    }
}

