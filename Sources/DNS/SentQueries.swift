/// The queries one channel's c-ares holds, each in a slot of a `Slots` table; c-ares gets the slot's index
/// (plus one, so it is never a null pointer) as its callback argument instead of a retained object.
///
/// A slot is freed only when c-ares calls back for it. A query given up early (abandoned by its caller, or
/// past its deadline) leaves its slot held but empty until then, so a late reply can never be taken for the
/// slot's next query. Owned by the channel's loop thread.
struct SentQueries {
    private struct Sent {
        /// nil once the query was given up.
        var query: PendingQuery?
        var sentAt: ContinuousClock.Instant
    }

    private var slots = Slots<Sent>()
    /// Queries still waited for: what the channel's window counts.
    private(set) var count = 0

    /// Puts `query` in a free slot and returns the argument to give c-ares for it.
    mutating func insert(_ query: consuming PendingQuery, at sentAt: ContinuousClock.Instant) -> Int {
        count += 1
        return slots.insert(Sent(query: query, sentAt: sentAt)) + 1
    }

    /// c-ares has called back with `ticket`: frees its slot and returns its query, unless it was given up.
    mutating func complete(_ ticket: Int) -> (query: PendingQuery, sentAt: ContinuousClock.Instant)? {
        guard let sent = slots.remove(at: ticket - 1), let query = sent.query else { return nil }
        count -= 1
        return (query, sent.sentAt)
    }

    /// Stops waiting for `query` (its caller has gone); its slot stays held until c-ares calls back.
    mutating func giveUp(_ query: PendingQuery) {
        guard let slot = slots.all.firstIndex(where: { $0?.query === query }) else { return }
        slots[slot]!.query = nil
        count -= 1
    }

    /// Gives up every query whose deadline is at or before `now` and returns them with their send times.
    mutating func giveUp(deadlineAtOrBefore now: ContinuousClock.Instant)
        -> [(query: PendingQuery, sentAt: ContinuousClock.Instant)]
    {
        var expired: [(query: PendingQuery, sentAt: ContinuousClock.Instant)] = []
        for slot in slots.all.indices {
            guard let sent = slots[slot], let query = sent.query, let deadline = query.deadline, deadline <= now
            else { continue }
            expired.append((query, sent.sentAt))
            slots[slot]!.query = nil
            count -= 1
        }
        return expired
    }

    /// The earliest deadline among the queries still waited for.
    var earliestDeadline: ContinuousClock.Instant? {
        slots.all.compactMap { $0?.query?.deadline }.min()
    }
}
