/// The queries one channel's c-ares holds, each in a numbered slot; c-ares gets the slot number (plus one,
/// so it is never a null pointer) as its callback argument instead of a retained object.
///
/// A slot is reused only after c-ares has called back for it. A query given up early (abandoned by its
/// caller, or past its deadline) leaves its slot held but empty until then, so a late reply can never be
/// taken for the slot's next query. Owned by the channel's loop thread.
struct SentQueries {
    private struct Slot {
        /// nil while the slot is free, or held for a query that was given up.
        var query: PendingQuery?
        var sentAt: ContinuousClock.Instant
    }

    private var slots: [Slot] = []
    private var free: [Int] = []
    /// Queries still waited for: what the channel's window counts.
    private(set) var count = 0

    /// Puts `query` in a free slot and returns the argument to give c-ares for it.
    mutating func insert(_ query: consuming PendingQuery, at sentAt: ContinuousClock.Instant) -> Int {
        count += 1
        if let slot = free.popLast() {
            slots[slot] = Slot(query: query, sentAt: sentAt)
            return slot + 1
        }
        slots.append(Slot(query: query, sentAt: sentAt))
        return slots.count
    }

    /// c-ares has called back with `ticket`: frees its slot and returns its query, unless it was given up.
    mutating func complete(_ ticket: Int) -> (query: PendingQuery, sentAt: ContinuousClock.Instant)? {
        let slot = ticket - 1
        free.append(slot)
        guard let query = slots[slot].query.take() else { return nil }
        count -= 1
        return (query, slots[slot].sentAt)
    }

    /// Stops waiting for `query` (its caller has gone); its slot stays held until c-ares calls back.
    mutating func giveUp(_ query: PendingQuery) {
        guard let slot = slots.firstIndex(where: { $0.query === query }) else { return }
        slots[slot].query = nil
        count -= 1
    }

    /// Gives up every query whose deadline is at or before `now` and returns them with their send times.
    mutating func giveUp(deadlineAtOrBefore now: ContinuousClock.Instant)
        -> [(query: PendingQuery, sentAt: ContinuousClock.Instant)]
    {
        var expired: [(query: PendingQuery, sentAt: ContinuousClock.Instant)] = []
        for slot in slots.indices {
            guard let query = slots[slot].query, let deadline = query.deadline, deadline <= now else { continue }
            expired.append((query, slots[slot].sentAt))
            slots[slot].query = nil
            count -= 1
        }
        return expired
    }

    /// The earliest deadline among the queries still waited for.
    var earliestDeadline: ContinuousClock.Instant? {
        var earliest: ContinuousClock.Instant? = nil
        for slot in slots {
            guard let deadline = slot.query?.deadline else { continue }
            if earliest.map({ deadline < $0 }) ?? true { earliest = deadline }
        }
        return earliest
    }
}
