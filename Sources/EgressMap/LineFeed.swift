import Foundation

/// Reads a `LineReader`'s lines on a thread of its own, up to `window` lines ahead of whoever takes them, so
/// that taking a line never waits: for input that arrives at its own pace (a pipe, a terminal), whose names
/// are to be asked as they come, not when a later line or the end of the input does.
///
/// `@unchecked Sendable`: the lines and flags are read and written only while `condition` is locked, and
/// the reader is used by the reading thread alone once the feed has started.
public final class LineFeed: @unchecked Sendable {
    public enum Next: Equatable, Sendable {
        /// A line, without its line break, and its 1-based number.
        case line(String, number: Int)
        /// No line has arrived since the last one was taken; `arrived` is called when one does.
        case notYet
        /// The input has ended and every line has been taken.
        case end
    }

    private let condition = NSCondition()
    private var lines: [(text: String, number: Int)] = []
    /// Where the next line to take is in `lines` (taken lines are dropped in bulk, not one at a time).
    private var head = 0
    private var ended = false
    private var stopped = false
    private let window: Int

    /// Starts reading `reader` on a new thread. `arrived` is called on that thread when a line comes while
    /// none was waiting to be taken, and when the input ends.
    public init(_ reader: LineReader, window: Int = 1024, arrived: @escaping @Sendable () -> Void) {
        self.window = max(1, window)
        // Handed over: from here on only the reading thread uses the reader.
        nonisolated(unsafe) let handedOver = reader
        let thread = Thread { [self] in read(handedOver, arrived: arrived) }
        thread.name = "egressmap input"
        thread.start()
    }

    /// The next line, without waiting for one.
    public func next() -> Next {
        condition.lock()
        defer { condition.unlock() }
        guard head < lines.count else { return ended ? .end : .notYet }
        let line = lines[head]
        head += 1
        if head == lines.count || head >= window {
            lines.removeFirst(head)
            head = 0
        }
        // A full window makes the reading thread wait; it is woken once half the window is free, not at every
        // line taken (a wake-up per line of a bulk input on standard input).
        if lines.count - head == window / 2 { condition.signal() }
        return .line(line.text, number: line.number)
    }

    /// Stops reading at the next line that arrives (a read already waiting on the input goes on waiting
    /// until then, or until the input ends): for a consumer that has stopped taking lines.
    public func stop() {
        condition.lock()
        stopped = true
        condition.signal()
        condition.unlock()
    }

    private func read(_ reader: LineReader, arrived: @Sendable () -> Void) {
        while true {
            let text = reader.next()
            condition.lock()
            while text != nil && !stopped && lines.count - head >= window { condition.wait() }
            if stopped {
                condition.unlock()
                return
            }
            let wasEmpty = head == lines.count
            if let text {
                lines.append((text, reader.lineNumber))
            } else {
                ended = true
            }
            condition.unlock()
            if wasEmpty || text == nil { arrived() }
            if text == nil { return }
        }
    }
}
