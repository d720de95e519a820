import DNS
import Drift

extension Classifier {
    /// Makes the lookup records of one name after another (one per server and record type), sharing what
    /// nearly every name has alike: the count of rounds per outcome.
    struct LookupRecords {
        /// The `rounds` of a record whose rounds all ended alike, made once per outcome and count: nearly
        /// every record has one, and a dictionary per record cost about a fifth of classifying a name.
        private var uniformCounts: [(outcome: Outcome, rounds: Int, counts: [String: Int])] = []

        /// What the rounds of one server and record type add up to, as positions in the rounds (a copy of
        /// an answer per round retained a dozen references).
        private struct Group {
            var last: Int
            var rounds = 1
            /// Set once the rounds' outcomes differ (rare): then the count of each.
            var mixed: [String: Int]?
            /// The last round that had a chain.
            var chain: Int?
        }

        /// One record per server and type, sorted by type and server. A name has a couple of groups: they are
        /// found by a scan, not a dictionary.
        mutating func records(of rounds: [RoundLookup]) -> [LookupRecord] {
            var groups: [Group] = []
            for position in rounds.indices {
                let answer = (type: rounds[position].answer.type, outcome: rounds[position].answer.outcome)
                let chain = rounds[position].answer.chain.isEmpty ? nil : position
                guard let index = groups.firstIndex(where: {
                    rounds[$0.last].answer.type == answer.type
                        && rounds[$0.last].answer.server == rounds[position].answer.server
                }) else {
                    groups.append(Group(last: position, chain: chain))
                    continue
                }
                let previous = rounds[groups[index].last].answer.outcome
                if groups[index].mixed == nil, previous != answer.outcome {
                    groups[index].mixed = [previous.rawValue: groups[index].rounds]
                }
                groups[index].mixed?[answer.outcome.rawValue, default: 0] += 1
                groups[index].rounds += 1
                groups[index].last = position
                if let chain { groups[index].chain = chain }
            }
            // Sorted before the records are made, so the records are not copied to be sorted. Two groups (A and
            // AAAA of one server) are the usual case: put in order by one comparison, as `sort` set up a buffer
            // for them that cost a third of making the records.
            func inOrder(_ left: Group, _ right: Group) -> Bool {
                (rounds[left.last].answer.type.rawValue, rounds[left.last].answer.server.description)
                    < (rounds[right.last].answer.type.rawValue, rounds[right.last].answer.server.description)
            }
            if groups.count == 2 {
                if inOrder(groups[1], groups[0]) { groups.swapAt(0, 1) }
            } else if groups.count > 2 {
                groups.sort(by: inOrder)
            }
            return groups.map { group in
                // Fields read in place: a copy of the answer retained every reference in it.
                let outcome = rounds[group.last].answer.outcome
                return LookupRecord(
                    server: rounds[group.last].answer.server.description, type: rounds[group.last].answer.type.rawValue,
                    outcome: outcome.rawValue, rounds: group.mixed ?? counts(outcome, group.rounds),
                    chain: group.chain.map { position in
                        rounds[position].answer.chain.map { ChainLink(name: $0.name, target: $0.target, ttl: $0.ttl) }
                    } ?? [],
                    ttl: rounds[group.last].answer.ttl, negativeTTL: rounds[group.last].answer.negativeTTL,
                    detail: outcome.isAnswer ? nil : rounds[group.last].answer.detail
                )
            }
        }

        /// `[outcome: rounds]`, shared with every earlier record of the same outcome and count.
        private mutating func counts(_ outcome: Outcome, _ rounds: Int) -> [String: Int] {
            if let made = uniformCounts.first(where: { $0.outcome == outcome && $0.rounds == rounds }) {
                return made.counts
            }
            let counts = [outcome.rawValue: rounds]
            uniformCounts.append((outcome, rounds, counts))
            return counts
        }
    }
}
