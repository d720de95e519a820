/// An inclusive run of address integers `first...last` of one family (`UInt32` or `UInt128`).
struct Span<Bits: FixedWidthInteger & UnsignedInteger & Sendable>: Hashable, Sendable {
    var first: Bits
    var last: Bits
}

/// Calls `body(start, length)` for each prefix of the fewest CIDR prefixes that cover `first...last`, in order.
///
/// Each step takes the largest block that starts at `start` (bounded by its alignment) and ends by `last`.
@inline(__always)
func forEachCIDR<Bits: FixedWidthInteger & UnsignedInteger>(
    from first: Bits, through last: Bits, _ body: (Bits, Int) -> Void
) {
    var start = first
    while true {
        let alignment = start == 0 ? Bits.bitWidth : start.trailingZeroBitCount
        let span = last &- start  // one less than the number of addresses left
        // floor(log2(span + 1)): the largest block size (as a power of two) that fits in what is left.
        let fit = span == Bits.max ? Bits.bitWidth : Bits.bitWidth - 1 - (span &+ 1).leadingZeroBitCount
        let sizeBits = min(alignment, fit)
        body(start, Bits.bitWidth - sizeBits)
        if sizeBits == Bits.bitWidth { return }
        let blockLast = start &+ ((1 << sizeBits) &- 1)
        if blockLast == last { return }
        start = blockLast &+ 1
    }
}

extension Array {
    /// Sorts spans by their first address and merges overlapping and adjacent ones, in place.
    mutating func normalizeSpans<Bits>() where Element == Span<Bits> {
        guard count > 1 else { return }
        sort { $0.first < $1.first }
        coalesceSortedSpans()
    }

    /// Merges overlapping and adjacent spans of an array already sorted by first address, in place.
    mutating func coalesceSortedSpans<Bits>() where Element == Span<Bits> {
        guard count > 1 else { return }
        let kept = withUnsafeMutableBufferPointer { spans in
            var kept = 0
            for index in 1..<spans.count {
                let next = spans[index]
                if spans[kept].last == Bits.max || next.first <= spans[kept].last &+ 1 {
                    if next.last > spans[kept].last { spans[kept].last = next.last }
                } else {
                    kept += 1
                    spans[kept] = next
                }
            }
            return kept + 1
        }
        removeLast(count - kept)
    }
}
