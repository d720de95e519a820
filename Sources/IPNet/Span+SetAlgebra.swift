/// Set algebra over arrays of spans that are sorted, disjoint and non-adjacent ("normal"); every result is normal.
extension Array {
    /// The index of the span holding `value`, found by binary search.
    func spanIndex<Bits>(containing value: Bits) -> Int? where Element == Span<Bits> {
        // The first span whose last address is at or after `value`.
        var low = 0
        var high = count
        while low < high {
            let middle = (low + high) / 2
            if self[middle].last < value { low = middle + 1 } else { high = middle }
        }
        return low < count && self[low].first <= value ? low : nil
    }

    /// Whether one span of this normal array holds all of `span`.
    func containsSpan<Bits>(_ span: Span<Bits>) -> Bool where Element == Span<Bits> {
        guard let index = spanIndex(containing: span.first) else { return false }
        return self[index].last >= span.last
    }

    /// Adds `span` to this normal array, merging it with the spans it overlaps or touches.
    mutating func insertSpan<Bits>(_ span: Span<Bits>) where Element == Span<Bits> {
        // The first span that ends at or after the address just before `span` (so it may touch it).
        let touchFrom = span.first == 0 ? 0 : span.first - 1
        var low = 0
        var high = count
        while low < high {
            let middle = (low + high) / 2
            if self[middle].last < touchFrom { low = middle + 1 } else { high = middle }
        }
        var merged = span
        var end = low
        while end < count, span.last == Bits.max || self[end].first <= span.last + 1 {
            merged.first = Swift.min(merged.first, self[end].first)
            merged.last = Swift.max(merged.last, self[end].last)
            end += 1
        }
        replaceSubrange(low..<end, with: CollectionOfOne(merged))
    }

    /// The union of two normal arrays, by a linear merge.
    func unionSpans<Bits>(_ other: [Span<Bits>]) -> [Span<Bits>] where Element == Span<Bits> {
        var result = [Span<Bits>]()
        result.reserveCapacity(count + other.count)
        var left = 0
        var right = 0
        while left < count || right < other.count {
            let next: Span<Bits>
            if right == other.count || (left < count && self[left].first <= other[right].first) {
                next = self[left]
                left += 1
            } else {
                next = other[right]
                right += 1
            }
            if let previous = result.last, previous.last == Bits.max || next.first <= previous.last + 1 {
                if next.last > previous.last { result[result.count - 1].last = next.last }
            } else {
                result.append(next)
            }
        }
        return result
    }

    /// The intersection of two normal arrays, by a linear sweep.
    func intersectSpans<Bits>(_ other: [Span<Bits>]) -> [Span<Bits>] where Element == Span<Bits> {
        var result = [Span<Bits>]()
        var left = 0
        var right = 0
        while left < count, right < other.count {
            let first = Swift.max(self[left].first, other[right].first)
            let last = Swift.min(self[left].last, other[right].last)
            if first <= last { result.append(Span(first: first, last: last)) }
            if self[left].last < other[right].last { left += 1 } else { right += 1 }
        }
        return result
    }

    /// The spans of this normal array less every address of `other`, by a linear sweep.
    func subtractSpans<Bits>(_ other: [Span<Bits>]) -> [Span<Bits>] where Element == Span<Bits> {
        var result = [Span<Bits>]()
        var right = 0
        for var span in self {
            // Skip holes that end before this span starts.
            while right < other.count, other[right].last < span.first { right += 1 }
            var hole = right
            var remains = true
            while hole < other.count, other[hole].first <= span.last {
                if other[hole].first > span.first {
                    result.append(Span(first: span.first, last: other[hole].first - 1))
                }
                if other[hole].last >= span.last {
                    remains = false
                    break
                }
                span.first = other[hole].last + 1
                hole += 1
            }
            if remains { result.append(span) }
            right = hole
        }
        return result
    }
}
