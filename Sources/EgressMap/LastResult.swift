/// `make` of the input it was last asked about, made again only when the next input differs: consecutive
/// records of a run nearly always share their servers, services or ports, and making the texts or the
/// port list for every record cost more than the rest of its work.
struct LastResult<Input: Equatable, Output> {
    private let make: (Input) -> Output
    private var input: Input?
    private var output: Output?

    init(_ make: @escaping (Input) -> Output) { self.make = make }

    mutating func callAsFunction(_ next: Input) -> Output {
        if next != input || output == nil {
            input = next
            output = make(next)
        }
        return output!
    }
}
