import Foundation
import Testing

@testable import EgressMap

@Suite("run timeline")
struct RunTimelineTests {
    struct Boom: Error {}

    @Test("a step's span is the time its body ran, from the origin, also when the body throws")
    func spans() throws {
        let origin = ContinuousClock.now - .milliseconds(100)
        let timeline = RunTimeline(origin: origin)
        let value = timeline.measure("first") { () -> Int in
            Thread.sleep(forTimeInterval: 0.02)
            return 7
        }
        #expect(value == 7)
        #expect(throws: Boom.self) { try timeline.measure("second") { throw Boom() } }
        let spans = timeline.spans
        #expect(spans.map(\.step) == ["first", "second"])
        #expect(spans[0].start >= .milliseconds(100))
        #expect(spans[0].end - spans[0].start >= .milliseconds(20))
        #expect(spans[1].start >= spans[0].end)
        #expect(spans[1].end >= spans[1].start)
    }

    @Test("the summary lists the spans by start, in milliseconds with one decimal")
    func summary() {
        let origin = ContinuousClock.now
        let timeline = RunTimeline(origin: origin)
        timeline.record("late", from: origin + .microseconds(40_260), to: origin + .milliseconds(41))
        timeline.record("early", from: origin + .microseconds(1_500), to: origin + .microseconds(12_340))
        timeline.record("beside", from: origin + .microseconds(1_500), to: origin + .milliseconds(3))
        #expect(timeline.summary == "early 1.5–12.3, beside 1.5–3.0, late 40.3–41.0")
    }
}
