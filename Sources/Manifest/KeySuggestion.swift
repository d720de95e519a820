/// The known key an unknown one was probably meant to be: `ports` for `port` or `prots`, `host` for
/// `hostname`. Nil when none is close, so that a suggestion is never a guess.
public enum KeySuggestion {
    public static func closest(to name: String, among known: [String]) -> String? {
        let typed = Array(name.lowercased().utf8)
        guard typed.count >= 3 else { return nil }
        var best: (key: String, distance: Int)?
        for key in known {
            let candidate = Array(key.utf8)
            // One is the other with more at its end: `hostname`, `ports`.
            let extended = candidate.count >= 3
                && (typed.starts(with: candidate) || candidate.starts(with: typed))
            let distance = extended ? 1 : editDistance(typed, candidate)
            if distance <= (candidate.count > 4 ? 2 : 1), distance < best?.distance ?? .max {
                best = (key, distance)
            }
        }
        return best?.key
    }

    /// Levenshtein distance, with a swap of two neighbours counting one (`prots` is one from `ports`).
    static func editDistance(_ a: [UInt8], _ b: [UInt8]) -> Int {
        guard !a.isEmpty, !b.isEmpty else { return max(a.count, b.count) }
        var before = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    current[j] = min(current[j], before[j - 2] + 1)
                }
            }
            (before, previous, current) = (previous, current, before)
        }
        return previous[b.count]
    }
}
