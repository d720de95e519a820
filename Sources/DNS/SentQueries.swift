/// The queries one channel's c-ares holds, each in a numbered slot; c-ares gets the slot's number (plus one,
/// so it is never a null pointer) as its callback argument instead of a retained object.
///
/// A slot is freed only when c-ares calls back for it. A query given up early (abandoned by its caller, or
/// past its deadline) leaves its slot held but empty until then, so a late reply can never be taken for the
/// slot's next query. Owned by the channel's loop thread.
///
/// Two plain arrays, not a `Slots` of a struct with an optional query: taking a slot out of the generic
/// table went through the struct's value witnesses and retained the query (`complete` was about 3.5% of
/// the loop thread's samples at 100,000 names, now under 0.5%); here each query is moved out of its slot.
struct SentQueries {
    /// Per slot, the query waited for: nil where the slot is free or its query was given up.
    private var queries: [PendingQuery?] = []
    /// Per slot, when its query was sent.
    private var sentAt: [ContinuousClock.Instant] = []
    /// Slots c-ares has called back for, to reuse.
    private var free: [Int] = []
    /// Queries still waited for: what the channel's window counts.
    private(set) var count = 0

    /// Puts `query` in a free slot and returns the argument to give c-ares for it.
    mutating func insert(_ query: consuming PendingQuery, at sentAt: ContinuousClock.Instant) -> Int {
        count += 1
        if let slot = free.popLast() {
            queries[slot] = consume query  // moved in: no retain here, no release of a copy
            self.sentAt[slot] = sentAt
            return slot + 1
        }
        queries.append(consume query)
        self.sentAt.append(sentAt)
        return queries.count
    }

    /// c-ares has called back with `ticket`: frees its slot and returns its query, unless it was given up.
    mutating func complete(_ ticket: Int) -> (query: PendingQuery, sentAt: ContinuousClock.Instant)? {
        let slot = ticket - 1
        free.append(slot)
        guard let query = queries[slot].take() else { return nil }  // moved out, not copied
        count -= 1
        return (query, sentAt[slot])
    }

    /// Stops waiting for `query` (its caller has gone); its slot stays held until c-ares calls back.
    mutating func giveUp(_ query: PendingQuery) {
        guard let slot = queries.firstIndex(where: { $0 === query }) else { return }
        queries[slot] = nil
        count -= 1
    }

    /// Gives up every query whose deadline is at or before `now` and returns them with their send times.
    mutating func giveUp(deadlineAtOrBefore now: ContinuousClock.Instant)
        -> [(query: PendingQuery, sentAt: ContinuousClock.Instant)]
    {
        var expired: [(query: PendingQuery, sentAt: ContinuousClock.Instant)] = []
        for slot in queries.indices {
            guard let query = queries[slot], let deadline = query.deadline, deadline <= now else { continue }
            expired.append((query, sentAt[slot]))
            queries[slot] = nil
            count -= 1
        }
        return expired
    }

    /// The earliest deadline among the queries still waited for.
    var earliestDeadline: ContinuousClock.Instant? {
        queries.compactMap { $0?.deadline }.min()
    }
}
