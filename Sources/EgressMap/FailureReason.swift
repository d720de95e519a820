/// How a failed lookup is told, the same everywhere it is told: a lookup-failed finding, a failure guard's
/// verdict, `resolve`'s last word when nothing was answered.
public enum FailureReason {
    /// `timeout from 192.0.2.53:53: no reply within the timeout and tries`.
    public static func text(outcome: String, server: String, detail: String?) -> String {
        "\(outcome) from \(server)" + (detail.map { ": \($0)" } ?? "")
    }

    /// The reason given most often in `counts` (of equals, the first in text order) and how many times.
    public static func commonest(_ counts: [String: Int]) -> (reason: String, names: Int)? {
        counts.max { ($0.value, $1.key) < ($1.value, $0.key) }.map { ($0.key, $0.value) }
    }
}
