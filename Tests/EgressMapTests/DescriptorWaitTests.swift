import Foundation
import Testing
import TestSupport

@testable import EgressMap

/// Which ends of `egressmap resolve` can wait on another process (and so keep its batch off the loop thread).
@Suite("Descriptors that can wait")
struct DescriptorWaitTests {
    @Test("a regular file and /dev/null never wait; a pipe can, at either end")
    func kinds() throws {
        let file = try makeTemporaryFolder().appendingPathComponent("names.txt")
        try Data("v4.world.test\n".utf8).write(to: file)
        #expect(try LineReader(path: file.path).mayWait == false)
        let null = open("/dev/null", O_WRONLY | O_CLOEXEC)
        try #require(null >= 0)
        defer { close(null) }
        #expect(descriptorMayWait(null) == false)
        let pipe = Pipe()
        #expect(descriptorMayWait(pipe.fileHandleForReading.fileDescriptor))
        #expect(descriptorMayWait(pipe.fileHandleForWriting.fileDescriptor))
        #expect(descriptorMayWait(-1), "a descriptor fstat refuses is taken to wait")
    }
}
