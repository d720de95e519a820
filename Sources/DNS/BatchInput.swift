/// What a batch's input gives when asked for its next name (`Resolver.resolveAll(…arrival:next:…)`).
public enum NextName: Sendable {
    case name(NameJob)
    /// No name yet, but more may come: the batch goes on with the names it has, and asks again once the
    /// batch's `InputArrival` is signalled.
    case notYet
    /// No more names.
    case end
}

/// Wakes a batch that waits for replies when input arrives that its `next` said was not there yet: the
/// thread that reads the input signals it.
public final class InputArrival: Sendable {
    /// The inbox of the batch that runs with this arrival, while it runs.
    private let inbox = Locked<BatchInbox?>(nil)

    public init() {}

    /// Input has arrived: the batch, if it waits, asks `next` again. Call it after the input is where `next`
    /// finds it; a signal while the batch is busy is kept until the batch would wait.
    public func signal() {
        let batch = inbox.withLock { $0 }
        batch?.inputArrived()
    }

    /// Connects the arrival to a batch's inbox, or (nil) disconnects it.
    func attach(_ batch: BatchInbox?) {
        inbox.withLock { $0 = batch }
    }
}
