import DNS
import Drift

extension Classifier {
    /// A `server-failed` finding for each server that failed more than half of the lookups it was asked, in a
    /// run that asked more than one. No name's outcome shows it while another server answered: in a union,
    /// what that server would have answered (another region's addresses) is missing from the run; in a
    /// failover, every name waited for it to fail first.
    static func serverFindings(_ lookups: [[RoundLookup]]) -> [Finding] {
        // A run has a few servers: found by a scan from the last one, not by hashing every lookup's server.
        var tallies: [(server: ServerAddress, asked: Int, failed: Int, reasons: [String: Int])] = []
        var last = 0
        for rounds in lookups {
            for lookup in rounds {
                let answer = lookup.answer
                if !tallies.indices.contains(last) || tallies[last].server != answer.server {
                    if let found = tallies.firstIndex(where: { $0.server == answer.server }) {
                        last = found
                    } else {
                        tallies.append((answer.server, 0, 0, [:]))
                        last = tallies.count - 1
                    }
                }
                tallies[last].asked += 1
                guard !answer.outcome.isAnswer else { continue }
                tallies[last].failed += 1
                tallies[last].reasons["\(answer.outcome)" + (answer.detail.map { ": \($0)" } ?? ""), default: 0] += 1
            }
        }
        guard tallies.count > 1 else { return [] }
        return tallies.compactMap { tally in
            guard tally.failed * 2 > tally.asked, let commonest = FailureReason.commonest(tally.reasons) else {
                return nil
            }
            let lookups = tally.asked == 1 ? "lookup" : "lookups"
            return Finding(
                kind: "server-failed", severity: "warning", endpoint: nil, name: nil, address: nil,
                message: "server \(tally.server) failed \(tally.failed) of the \(tally.asked) \(lookups) it was asked "
                    + "(\(commonest.names) of them: \(commonest.reason))"
            )
        }
    }
}
