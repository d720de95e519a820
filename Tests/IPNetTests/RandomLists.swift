import IPNet

/// SplitMix64: a small seeded generator, so every run of the property tests sees the same cases.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var mixed = state
        mixed = (mixed ^ (mixed >> 30)) &* 0xbf58_476d_1ce4_e5b9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94d0_49bb_1331_11eb
        return mixed ^ (mixed >> 31)
    }

    /// A number from 0 up to (not including) `bound`.
    mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
}

/// A random address list confined to one IPv4 /16 and one IPv6 /112, so entries collide (adjacent blocks,
/// overlaps, duplicates) and the exact set of addresses can be checked against a bitmap.
struct RandomList {
    /// The first address of the IPv4 /16 every IPv4 entry lies in.
    let v4Base: UInt32
    /// The first address of the IPv6 /112 every IPv6 entry lies in.
    let v6Base: UInt128
    /// The entries, one a line, as `egressmap cidr merge` reads them.
    var lines: [String] = []
    /// Which of the 65,536 offsets of each region the entries cover.
    var v4Covered = [Bool](repeating: false, count: 1 << 16)
    var v6Covered = [Bool](repeating: false, count: 1 << 16)

    /// IPv6 regions that exercise the special text forms: `::/112` (IPv4-compatible text in netaddr),
    /// IPv4-mapped, and the top of the space; the rest are random.
    static let v6Specials: [UInt128] = [0, 0xffff_0000_0000, UInt128.max << 16]

    init(seed: UInt64) {
        var random = SeededGenerator(seed: seed)
        let edgeV4: [UInt32] = [0, 0xffff_0000]
        v4Base = random.below(5) == 0
            ? edgeV4[random.below(2)]
            : UInt32(truncatingIfNeeded: random.next()) & 0xffff_0000
        v6Base = random.below(4) == 0
            ? Self.v6Specials[random.below(Self.v6Specials.count)]
            : (UInt128(random.next()) << 64 | UInt128(random.next())) & (UInt128.max << 16)
        let families = random.below(3)  // 0: both, 1: IPv4 only, 2: IPv6 only
        let count = random.below(80) + 1
        var previous: [(family: Int, first: UInt32, last: UInt32)] = []
        for _ in 0..<count {
            let family = families == 0 ? random.below(2) : families - 1
            var first: UInt32
            var last: UInt32
            let shape = random.below(10)
            if shape == 0, let earlier = previous.randomElement(using: &random) {
                (first, last) = (earlier.first, earlier.last)  // a duplicate
            } else if shape == 1, let earlier = previous.last, earlier.last < 0xffff {
                let size = earlier.last - earlier.first + 1  // the adjacent block of the same size, if aligned
                first = earlier.last + 1
                last = min(first &+ size &- 1, 0xffff)
            } else {
                // Mostly small blocks, sometimes large ones, aligned as prefixes or not (ranges, addresses).
                let bits = UInt32(random.below(random.below(4) == 0 ? 17 : 9))
                let size: UInt32 = 1 << bits
                first = UInt32(random.below(1 << 16)) & ~(size - 1)
                last = first + size - 1
                if random.below(3) == 0 {
                    first = UInt32(random.below(1 << 16))
                    last = min(first + UInt32(random.below(Int(size))), 0xffff)
                }
            }
            previous.append((family, first, last))
            lines.append(entryText(family: family, first: first, last: last, random: &random))
            for offset in Int(first)...Int(last) {
                if family == 0 { v4Covered[offset] = true } else { v6Covered[offset] = true }
            }
        }
    }

    /// The text of one entry: an address, a prefix when the block is aligned, or a range.
    private func entryText(family: Int, first: UInt32, last: UInt32, random: inout SeededGenerator) -> String {
        let size = last - first + 1
        let aligned = size & (size - 1) == 0 && first & (size - 1) == 0
        let bitWidth = family == 0 ? 32 : 128
        func text(_ offset: UInt32) -> String {
            family == 0
                ? IPv4Address(v4Base + offset).description
                : IPv6Address(bits: v6Base + UInt128(offset)).description
        }
        if size == 1, random.below(2) == 0 { return text(first) }
        if aligned, random.below(4) != 0 {
            return "\(text(first))/\(bitWidth - size.trailingZeroBitCount)"
        }
        return "\(text(first))-\(text(last))"
    }
}
