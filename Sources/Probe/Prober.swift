import IPNet

/// TCP connect probes: is something listening at an (address, port), and how long did the handshake take.
///
/// A probe is a plain non-blocking `connect`; an open connection is closed at once with a reset. Only the
/// targets given are touched (the caller decides what may be probed), at most `settings.concurrency` at a
/// time, each attempt bounded by `settings.timeout`, with `settings.retries` more attempts after a timeout.
public enum Prober {
    /// Probes every target and returns one result per target, in the order given.
    ///
    /// Duplicates are probed once and share their result. Cancelling the task ends the batch at once: what
    /// had not finished comes back as `error` with the detail `cancelled`; what has not finished when the
    /// batch's deadline comes, as `error` with the detail `deadline`.
    /// - Parameters:
    ///   - targets: the (address, port) pairs to connect to.
    ///   - settings: concurrency, per-attempt timeout, retries, the batch's deadline.
    ///   - progress: called on the batch's thread as each distinct target gets its verdict, with how many
    ///     have one and how many there are.
    /// - Returns: the results, `results[i].target == targets[i]`.
    public static func probe(
        _ targets: [ProbeTarget], settings: ProbeSettings = ProbeSettings(),
        progress: @escaping @Sendable (_ done: Int, _ total: Int) -> Void = { _, _ in }
    ) async -> [ProbeResult] {
        guard !targets.isEmpty else { return [] }
        var unique: [ProbeTarget] = []
        var position: [ProbeTarget: Int] = [:]
        for target in targets where position[target] == nil {
            position[target] = unique.count
            unique.append(target)
        }
        let batch: ProbeBatch
        do {
            batch = try ProbeBatch(unique, settings, progress: progress)
        } catch {
            return targets.map {
                ProbeResult(target: $0, verdict: .error, attempts: 0, elapsed: .zero, detail: error.name)
            }
        }
        let results = await withTaskCancellationHandler {
            await batch.run()
        } onCancel: {
            batch.cancel()
        }
        return targets.map { results[position[$0]!] }
    }
}
