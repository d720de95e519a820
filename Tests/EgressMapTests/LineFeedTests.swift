import Foundation
import Synchronization
import Testing
import TestSupport

@testable import EgressMap

/// `LineFeed`: lines read on a thread of their own, taken without waiting.
@Suite("Line feed", .timeLimit(.minutes(2)))
struct LineFeedTests {
    @Test("a line is there as soon as it is written, with its number; before it, and between lines, not yet")
    func linesAsTheyCome() async throws {
        let pipe = Pipe()
        let reader = try LineReader(path: "/dev/fd/\(pipe.fileHandleForReading.fileDescriptor)")
        let arrivals = Atomic(0)
        let feed = LineFeed(reader) { arrivals.add(1, ordering: .relaxed) }
        defer { feed.stop() }
        #expect(feed.next() == .notYet)

        pipe.fileHandleForWriting.write(Data("first\n".utf8))
        #expect(try await Self.awaitLine(feed) == .line("first", number: 1))
        #expect(feed.next() == .notYet)
        #expect(arrivals.load(ordering: .relaxed) >= 1)

        // A line without its line break yet is not a line.
        pipe.fileHandleForWriting.write(Data("sec".utf8))
        try await Task.sleep(for: .milliseconds(200))
        #expect(feed.next() == .notYet)
        pipe.fileHandleForWriting.write(Data("ond\r\n\nthird".utf8))
        #expect(try await Self.awaitLine(feed) == .line("second", number: 2))
        #expect(try await Self.awaitLine(feed) == .line("", number: 3))
        try pipe.fileHandleForWriting.close()
        #expect(try await Self.awaitLine(feed) == .line("third", number: 4), "the last line needs no line break")
        #expect(try await Self.awaitLine(feed) == .end)
        #expect(feed.next() == .end)
    }

    @Test("a window of 3 still hands over 1,000 lines in order: the reading thread waits for room, not forever")
    func window() async throws {
        let folder = try makeTemporaryFolder()
        let file = folder.appendingPathComponent("lines.txt")
        try Data((1...1000).map { "n\($0)\n" }.joined().utf8).write(to: file)
        let feed = LineFeed(try LineReader(path: file.path), window: 3) {}
        var taken: [LineFeed.Next] = []
        while true {
            let next = try await Self.awaitLine(feed)
            if next == .end { break }
            taken.append(next)
        }
        #expect(taken == (1...1000).map { .line("n\($0)", number: $0) })
    }

    /// The feed's next line or end, polled for up to 10 s (a line that never comes fails the test, not hangs).
    /// Polled with `Task.sleep`: a test that blocks holds one of the few threads every test's tasks share.
    static func awaitLine(_ feed: LineFeed) async throws -> LineFeed.Next {
        let limit = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < limit {
            let next = feed.next()
            if next != .notYet { return next }
            try await Task.sleep(for: .milliseconds(2))
        }
        throw NoLine()
    }

    struct NoLine: Error, CustomStringConvertible {
        var description: String { "no line within 10 s" }
    }
}
