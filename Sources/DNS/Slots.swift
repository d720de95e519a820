/// Values kept at stable indices (handed out as tokens), with the indices of removed values reused, so a
/// batch's tables stay as large as the most it ever held at once.
struct Slots<Element> {
    /// Every slot, nil where free.
    private(set) var all: [Element?] = []
    private var free: [Int] = []

    /// Stores `value` and returns its index.
    mutating func insert(_ value: Element) -> Int {
        if let index = free.popLast() {
            all[index] = value
            return index
        }
        all.append(value)
        return all.count - 1
    }

    /// Takes the value at `index` out (nil if the slot was free) and frees the slot.
    mutating func remove(at index: Int) -> Element? {
        guard let value = all[index].take() else { return nil }  // moved out, not copied
        free.append(index)
        return value
    }

    /// The value at `index`, changed in place.
    subscript(index: Int) -> Element? {
        _read { yield all[index] }  // a read, not a copy: a batch reads fields of its names in place
        _modify { yield &all[index] }
    }

    mutating func removeAll() {
        all.removeAll()
        free.removeAll()
    }
}
