import Foundation
import IPNet
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// One batch of probes and the event-loop thread that runs it.
///
/// The thread keeps up to `settings.concurrency` non-blocking connects on the wire, sleeps in `poll`
/// until a socket turns writable (connected, refused, unreachable) or the oldest attempt's deadline comes,
/// and starts the next attempt as each one ends. Every attempt gets the same timeout and attempts start in
/// order, so their deadlines arrive in the order they were set: a FIFO is the whole timer structure.
/// Cancellation writes to a pipe the loop also watches; the batch's own deadline, if any, bounds every sleep.
///
/// `poll`, not `epoll`: Swift's Glibc module does not export `<sys/epoll.h>` (the DNS engine reaches it
/// through the c-ares shim, and C stays in that one target). With the set bounded by the concurrency, the
/// O(n) scan per wake-up costs microseconds next to a connect.
///
/// `@unchecked Sendable`: everything mutable (`loop`) is touched only by the batch's own thread; other
/// threads only set `cancelled` (an atomic) and write to `wakeWrite`, which lives as long as the batch.
final class ProbeBatch: @unchecked Sendable {
    private let targets: [ProbeTarget]
    private let settings: ProbeSettings
    private let progress: @Sendable (_ done: Int, _ total: Int) -> Void
    private let wakeRead: Int32
    private let wakeWrite: Int32
    private let cancelled = Atomic<Bool>(false)
    private var loop = LoopState()

    /// One connect attempt on the wire.
    private struct Attempt {
        var index: Int
        /// 1 for the first attempt, 2 for the retry after a timeout.
        var number: Int
        var serial: UInt64
        var started: ContinuousClock.Instant
    }

    /// State owned by the loop thread.
    private struct LoopState {
        var results: [ProbeResult?] = []
        var next = 0
        /// Targets whose attempt timed out and that have a retry left: (index, attempt number).
        var retries: [(index: Int, number: Int)] = []
        var retriesHead = 0
        var inFlight: [Int32: Attempt] = [:]
        /// Deadlines in the order they were set, hence in time order; entries of finished attempts are stale.
        var deadlines: [(fd: Int32, serial: UInt64, at: ContinuousClock.Instant)] = []
        var deadlinesHead = 0
        var serial: UInt64 = 0
        var finished = 0
    }

    /// Creates the batch and the pipe that wakes its loop.
    init(
        _ targets: [ProbeTarget], _ settings: ProbeSettings,
        progress: @escaping @Sendable (_ done: Int, _ total: Int) -> Void = { _, _ in }
    ) throws(Errno) {
        self.targets = targets
        self.settings = settings
        self.progress = progress
        (wakeRead, wakeWrite) = try Sys.pipe().get()
        loop.results = Array(repeating: nil, count: targets.count)
    }

    deinit {
        Sys.close(wakeRead)
        Sys.close(wakeWrite)
    }

    /// Runs the batch on a new thread and returns its results in the order of `targets`.
    func run() async -> [ProbeResult] {
        await withCheckedContinuation { (continuation: CheckedContinuation<[ProbeResult], Never>) in
            let thread = Thread { [self] in continuation.resume(returning: runLoop()) }
            thread.name = "egressmap-probe"
            thread.start()
        }
    }

    /// Ends the batch soon: attempts on the wire are closed and unfinished targets end as errors.
    func cancel() {
        cancelled.store(true, ordering: .sequentiallyConsistent)
        Sys.signal(wakeWrite)
    }

    // MARK: The loop thread

    private func runLoop() -> [ProbeResult] {
        var watched: [pollfd] = []
        let batchEnd = settings.deadline.map { ContinuousClock.now + $0 }
        // What ends the targets that have not finished when the loop stops: cancellation, or the batch's deadline.
        var unfinished = "cancelled"
        while !cancelled.load(ordering: .sequentiallyConsistent) {
            if let batchEnd, ContinuousClock.now >= batchEnd {
                unfinished = "deadline"
                break
            }
            startAttempts()
            if loop.inFlight.isEmpty && !hasWaitingAttempts { break }
            watched.removeAll(keepingCapacity: true)
            watched.append(pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0))
            for fd in loop.inFlight.keys { watched.append(pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)) }
            var sleep = millisecondsToNextDeadline()
            if let batchEnd {
                let toEnd = Self.millisecondsUntil(batchEnd)
                sleep = sleep < 0 ? toEnd : min(sleep, toEnd)
            }
            Sys.poll(&watched, timeoutMilliseconds: sleep)
            let now = ContinuousClock.now
            for entry in watched where entry.revents != 0 {
                let fd = entry.fd
                if fd == wakeRead {
                    Sys.drain(wakeRead)
                    continue
                }
                guard let attempt = loop.inFlight.removeValue(forKey: fd) else { continue }
                let failure = Sys.pendingError(fd)
                Sys.closeAbortively(fd)
                finish(attempt.index, ProbeVerdict(failure), attempts: attempt.number, elapsed: now - attempt.started,
                       detail: failure?.name)
            }
            expireAttempts(now: now)
        }
        for (fd, attempt) in loop.inFlight {
            Sys.closeAbortively(fd)
            finish(attempt.index, .error, attempts: attempt.number, elapsed: .zero, detail: unfinished)
        }
        loop.inFlight = [:]
        // A retry still waiting for its turn (its attempt timed out in the loop's last wake-up) made one attempt
        // fewer than its number.
        for (index, number) in loop.retries[loop.retriesHead...] {
            finish(index, .error, attempts: number - 1, elapsed: .zero, detail: unfinished)
        }
        return loop.results.enumerated().map { index, result in
            result ?? ProbeResult(target: targets[index], verdict: .error, attempts: 0, elapsed: .zero,
                                  detail: unfinished)
        }
    }

    private var hasWaitingAttempts: Bool {
        loop.retriesHead < loop.retries.count || loop.next < targets.count
    }

    /// Starts attempts (retries first, as their targets are older) until the concurrency bound is reached.
    private func startAttempts() {
        while loop.inFlight.count < settings.concurrency {
            let index: Int
            let number: Int
            if loop.retriesHead < loop.retries.count {
                (index, number) = loop.retries[loop.retriesHead]
                loop.retriesHead += 1
            } else if loop.next < targets.count {
                (index, number) = (loop.next, 1)
                loop.next += 1
            } else {
                return
            }
            if !start(index, number) {
                // Out of file descriptors while others are on the wire: try again once some have ended.
                if number == 1 { loop.next -= 1 } else { loop.retriesHead -= 1 }
                return
            }
        }
    }

    /// Starts one attempt; false when it should wait for descriptors to be freed.
    private func start(_ index: Int, _ number: Int) -> Bool {
        let target = targets[index]
        let started = ContinuousClock.now
        let fd: Int32
        switch Sys.tcpSocket(target.address.family) {
        case .success(let socket):
            fd = socket
        case .failure(let failure):
            if [EMFILE, ENFILE, ENOBUFS].contains(failure.code) && !loop.inFlight.isEmpty { return false }
            finish(index, .error, attempts: number, elapsed: .zero, detail: failure.name)
            return true
        }
        guard let failure = Sys.connect(fd, to: target.address, port: target.port) else {
            Sys.closeAbortively(fd)
            finish(index, .open, attempts: number, elapsed: ContinuousClock.now - started, detail: nil)
            return true
        }
        guard failure.code == EINPROGRESS else {
            Sys.closeAbortively(fd)
            finish(index, ProbeVerdict(failure), attempts: number, elapsed: ContinuousClock.now - started,
                   detail: failure.name)
            return true
        }
        loop.serial += 1
        loop.inFlight[fd] = Attempt(index: index, number: number, serial: loop.serial, started: started)
        loop.deadlines.append((fd, loop.serial, started + settings.timeout))
        return true
    }

    /// Ends every attempt whose deadline has come: a retry is queued, or the target times out.
    private func expireAttempts(now: ContinuousClock.Instant) {
        while loop.deadlinesHead < loop.deadlines.count, loop.deadlines[loop.deadlinesHead].at <= now {
            let entry = loop.deadlines[loop.deadlinesHead]
            loop.deadlinesHead += 1
            guard let attempt = loop.inFlight[entry.fd], attempt.serial == entry.serial else { continue }
            loop.inFlight[entry.fd] = nil
            Sys.closeAbortively(entry.fd)
            if attempt.number <= settings.retries {
                loop.retries.append((attempt.index, attempt.number + 1))
            } else {
                finish(attempt.index, .timeout, attempts: attempt.number, elapsed: settings.timeout, detail: nil)
            }
        }
        if loop.deadlinesHead > 1024 && loop.deadlinesHead * 2 > loop.deadlines.count {
            loop.deadlines.removeFirst(loop.deadlinesHead)
            loop.deadlinesHead = 0
        }
        if loop.retriesHead > 1024 && loop.retriesHead * 2 > loop.retries.count {
            loop.retries.removeFirst(loop.retriesHead)
            loop.retriesHead = 0
        }
    }

    /// Milliseconds until the oldest live deadline, rounded up; -1 (sleep until an event) when none.
    private func millisecondsToNextDeadline() -> Int32 {
        while loop.deadlinesHead < loop.deadlines.count {
            let entry = loop.deadlines[loop.deadlinesHead]
            if let attempt = loop.inFlight[entry.fd], attempt.serial == entry.serial {
                return Self.millisecondsUntil(entry.at)
            }
            loop.deadlinesHead += 1
        }
        return -1
    }

    /// Milliseconds from now until `instant`, rounded up; 0 once it has come.
    private static func millisecondsUntil(_ instant: ContinuousClock.Instant) -> Int32 {
        let remaining = instant - ContinuousClock.now
        guard remaining > .zero else { return 0 }
        let (seconds, attoseconds) = remaining.components
        return Int32(clamping: seconds * 1000 + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000)
    }

    private func finish(_ index: Int, _ verdict: ProbeVerdict, attempts: Int, elapsed: Duration, detail: String?) {
        loop.results[index] = ProbeResult(
            target: targets[index], verdict: verdict, attempts: attempts, elapsed: elapsed,
            detail: verdict == .open || verdict == .timeout ? nil : detail
        )
        loop.finished += 1
        progress(loop.finished, targets.count)
    }
}
