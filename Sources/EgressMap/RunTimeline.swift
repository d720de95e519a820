import Foundation

/// When each step of a run began and ended, counted from the start of the command: `run --verbose` prints
/// it, and the resolver bench reads it to show where a run spends the time that DNS does not.
///
/// Steps overlap (the history is written while the snapshot is encoded), so each has a span of its own,
/// not a share of a total. Reading the clock twice per step costs nothing a run would notice, so every run
/// keeps one.
public final class RunTimeline: @unchecked Sendable {
    /// One step: its name, and when it began and ended after the timeline's origin.
    public struct Span: Sendable, Equatable {
        public var step: String
        public var start: Duration
        public var end: Duration
    }

    private let origin: ContinuousClock.Instant
    // `@unchecked Sendable`: `recorded` is read and written only while `lock` is held.
    private let lock = NSLock()
    private var recorded: [Span] = []

    public init(origin: ContinuousClock.Instant = .now) {
        self.origin = origin
    }

    /// Records `step` as running from `start` to `end`.
    public func record(_ step: String, from start: ContinuousClock.Instant, to end: ContinuousClock.Instant = .now) {
        let span = Span(step: step, start: start - origin, end: end - origin)
        lock.withLock { recorded.append(span) }
    }

    /// Runs `body` and records its span as `step`, also when it throws.
    public func measure<Result>(_ step: String, _ body: () throws -> Result) rethrows -> Result {
        let start = ContinuousClock.now
        defer { record(step, from: start) }
        return try body()
    }

    /// Runs `body` and records its span as `step`, also when it throws.
    public func measure<Result>(
        _ step: String, _ body: () async throws -> Result
    ) async rethrows -> Result {
        let start = ContinuousClock.now
        defer { record(step, from: start) }
        return try await body()
    }

    /// Every span so far, by start (the order they were recorded in for equal starts).
    public var spans: [Span] {
        lock.withLock { recorded }.enumerated()
            .sorted { ($0.element.start, $0.offset) < ($1.element.start, $1.offset) }
            .map(\.element)
    }

    /// `manifest 0.2–41.0, expand 41.0–50.3, …`: each span in milliseconds from the origin, by start.
    public var summary: String {
        spans.map { "\($0.step) \(Self.milliseconds($0.start))–\(Self.milliseconds($0.end))" }
            .joined(separator: ", ")
    }

    /// A duration in milliseconds with one decimal.
    private static func milliseconds(_ duration: Duration) -> String {
        String(format: "%.1f", duration.milliseconds)
    }
}
