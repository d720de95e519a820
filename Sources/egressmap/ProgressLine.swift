import EgressMap

/// A progress line on a terminal's stderr, redrawn at most about ten times a second: a bar when the total
/// is known (`run`: its names, then its probes), names done and the rate when it is not (`resolve --input`,
/// a stream).
///
/// `@unchecked Sendable`: updates come one after another, from the task that drives the batch, then from the
/// probes' thread once DNS is done.
final class ProgressLine: @unchecked Sendable {
    private let stream: EgressMap.OutputStream
    private let enabled: Bool
    private let started = ContinuousClock.now
    private var lastDrawn = ContinuousClock.now - .seconds(1)

    init(stream: EgressMap.OutputStream, enabled: Bool) {
        self.stream = stream
        self.enabled = enabled
    }

    func update(done: Int, total: Int? = nil, doing: String = "resolving") {
        guard enabled else { return }
        let now = ContinuousClock.now
        guard now - lastDrawn > .milliseconds(100) || done == total else { return }
        lastDrawn = now
        if let total, total > 0 {
            let width = 30
            let filled = width * min(done, total) / total
            stream.write("\r\u{1B}[K\(doing) [" + String(repeating: "#", count: filled)
                + String(repeating: ".", count: width - filled) + "] \(done)/\(total)")
        } else {
            let seconds = max(0.001, (now - started).milliseconds / 1000)
            stream.write("\r\u{1B}[Kresolved \(done) name\(done == 1 ? "" : "s") (\(Int(Double(done) / seconds))/s)")
        }
        stream.flush()
    }

    func finish() {
        guard enabled else { return }
        stream.write("\r\u{1B}[K")
        stream.flush()
    }
}
