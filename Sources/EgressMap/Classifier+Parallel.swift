import DNS
import Hostnames
import Manifest

extension Classifier {
    /// `classify(_:)` over `parts` slices of the targets at once, with the same result: each target is
    /// classified alone, and the slices are put together in order. Classifying 10,000 names took a tenth of
    /// a run on one core while the other waited.
    public func classify(_ lookups: [DomainName: [RoundLookup]], parts: Int) async -> Result {
        await classify(rounds: aligned(lookups), parts: parts)
    }

    /// `classify(rounds:)` over `parts` slices of the targets at once; `rounds` in the order of the targets.
    public func classify(rounds lookups: [[RoundLookup]], parts: Int) async -> Result {
        await classify(rounds: lookups, after: [], parts: parts)
    }

    /// The targets that `early` (classified while DNS worked, in order from the first target) does not
    /// cover, over `parts` slices at once; then the result of them all, as `classify(rounds:)` gives it.
    func classify(rounds lookups: [[RoundLookup]], after early: [SettledPart], parts: Int) async -> Result {
        let count = expansion.targets.count
        let first = early.last?.positions.upperBound ?? 0
        let size = max(1, (count - first + max(1, parts) - 1) / max(1, parts))
        let starts = Array(stride(from: first, to: count, by: size))
        guard starts.count > 1 else {
            return assemble(early.map(\.part) + [classifyTargets(first..<count, lookups)], lookups)
        }
        let classified = await withTaskGroup(of: (Int, Part).self) { group in
            for (slot, start) in starts.enumerated() {
                group.addTask { (slot, classifyTargets(start..<min(start + size, count), lookups)) }
            }
            var classified = [Part](repeating: Part(), count: starts.count)
            for await (slot, part) in group { classified[slot] = part }
            return classified
        }
        return assemble(early.map(\.part) + classified, lookups)
    }

    /// Some targets' lookups, complete (every round), from the first of `positions` on.
    struct Settled: Sendable {
        var positions: Range<Int>
        var lookups: [[RoundLookup]]
    }

    /// What classifying some settled targets gave.
    struct SettledPart: Sendable {
        var positions: Range<Int>
        var part: Part
    }

    /// Classifies settled targets as they come, one batch at a time (DNS keeps the other core); the batches
    /// must come in order and without gaps from the first target.
    static func classifyAsSettled(
        _ batches: AsyncStream<Settled>, classifier: @Sendable () async -> Classifier?
    ) async -> [SettledPart] {
        var parts: [SettledPart] = []
        var made: Classifier?? = nil
        for await batch in batches {
            if made == nil { made = .some(await classifier()) }
            // Without a classifier (the history could not be read), everything is left to the caller, which
            // reports the error.
            guard let classifier = made ?? nil else { continue }
            let part = classifier.classifyTargets(batch.positions, batch.lookups, offset: batch.positions.lowerBound)
            parts.append(SettledPart(positions: batch.positions, part: part))
        }
        return parts
    }
}
