#if canImport(Glibc)
    import Glibc
#endif

/// A value guarded by a pthread mutex: the engine's lock, used where threads meet (a channel's inbox and
/// exit state, a query's completion).
///
/// Why not `Synchronization.Mutex`: on Linux it is a priority-inheritance futex, and when two threads
/// contend, the kernel hands the lock over without a user-space atomic that ThreadSanitizer can see, so
/// every contended `withLock` is reported as a race (scripts/sanitize.sh found this in the inbox; a
/// ten-line program with two threads and a `Mutex` shows the same). A pthread mutex is intercepted by
/// the sanitizer, so its reports stay meaningful — the reason swift-nio's `NIOLock` is one too.
///
/// The value and the mutex share one allocation (`Storage`: the value as the buffer's header, the mutex
/// as its one element): a query has one of these, and a bulk resolve makes 200,000 queries.
///
/// `@unchecked Sendable`: the value is read and written only inside `withLock`, between
/// `pthread_mutex_lock` and `pthread_mutex_unlock` on the mutex, which lives as long as the storage.
struct Locked<Value: Sendable>: @unchecked Sendable {
    private let storage: Storage

    init(_ value: Value) { storage = Storage.holding(value) }

    /// Runs `body` with the value while holding the lock; `body` must not block or take this lock again.
    func withLock<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
        try storage.withUnsafeMutablePointers { value, mutex in
            pthread_mutex_lock(mutex)
            defer { pthread_mutex_unlock(mutex) }
            return try body(&value.pointee)
        }
    }

    private final class Storage: ManagedBuffer<Value, pthread_mutex_t> {
        static func holding(_ value: Value) -> Storage {
            let storage = unsafeDowncast(create(minimumCapacity: 1) { _ in value }, to: Storage.self)
            storage.withUnsafeMutablePointerToElements { mutex in
                mutex.initialize(to: pthread_mutex_t())
                let status = pthread_mutex_init(mutex, nil)
                precondition(status == 0, "pthread_mutex_init failed: \(status)")
            }
            return storage
        }

        deinit {
            withUnsafeMutablePointerToElements { mutex in
                pthread_mutex_destroy(mutex)
                mutex.deinitialize(count: 1)
            }
        }
    }
}
