import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Times as egressmap writes them: ISO 8601 in UTC with milliseconds (`2026-11-29T04:30:00.123Z`), and run
/// ids (`20261129T043000.123Z`). Formatted with `gmtime_r`: a snapshot holds two times per address, and
/// creating a Foundation date formatter for each was a third of a large run's CPU.
public enum Timestamp {
    public static func iso8601(_ date: Date) -> String {
        iso8601(milliseconds: milliseconds(date))
    }

    public static func iso8601(milliseconds: Int64) -> String {
        let (date, time, fraction) = parts(milliseconds)
        return "\(date.year)-\(two(date.month))-\(two(date.day))T\(two(time.hour)):\(two(time.minute)):\(two(time.second)).\(fraction)Z"
    }

    /// The run id for a start at `milliseconds`.
    public static func runID(milliseconds: Int64) -> String {
        let (date, time, fraction) = parts(milliseconds)
        return "\(date.year)\(two(date.month))\(two(date.day))T\(two(time.hour))\(two(time.minute))\(two(time.second)).\(fraction)Z"
    }

    public static func milliseconds(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
    }

    private static func parts(
        _ milliseconds: Int64
    ) -> ((year: Int32, month: Int32, day: Int32), (hour: Int32, minute: Int32, second: Int32), String) {
        var seconds = time_t(milliseconds.quotientAndRemainder(dividingBy: 1000).quotient)
        var remainder = milliseconds % 1000
        if remainder < 0 {
            remainder += 1000
            seconds -= 1
        }
        var fields = tm()
        gmtime_r(&seconds, &fields)
        let fraction = String(remainder)
        return (
            (fields.tm_year + 1900, fields.tm_mon + 1, fields.tm_mday), (fields.tm_hour, fields.tm_min, fields.tm_sec),
            String(repeating: "0", count: 3 - fraction.count) + fraction
        )
    }

    private static func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
}
