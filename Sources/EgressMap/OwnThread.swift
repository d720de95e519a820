import Foundation

/// Runs `body` on a thread of its own and returns what it gives: for long work that blocks (encoding a
/// 25 MB snapshot, writing and syncing it), which on one of the few threads tasks share kept the run's other
/// work waiting for a free one.
func onOwnThread<Value: Sendable>(_ body: @escaping @Sendable () throws -> Value) async throws -> Value {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Result { try body() }) }.start()
    }
}
