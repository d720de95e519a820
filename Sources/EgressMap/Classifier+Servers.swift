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

    /// A `server-disagrees` finding for each server of a union that, for more than half of the lookups another
    /// server answered with addresses, said the name does not exist or has none (NXDOMAIN, NODATA): a filtering
    /// resolver, or another view of DNS (split horizon). The names' outcomes do not show it, since the other
    /// server's answer counts, and for whoever tracks drift it is the server, not DNS, that differs.
    static func disagreementFindings(_ lookups: [[RoundLookup]]) -> [Finding] {
        var tallies: [(server: ServerAddress, compared: Int, denied: Int)] = []
        func tally(_ server: ServerAddress, denied: Bool) {
            if let index = tallies.firstIndex(where: { $0.server == server }) {
                tallies[index].compared += 1
                if denied { tallies[index].denied += 1 }
            } else {
                tallies.append((server, 1, denied ? 1 : 0))
            }
        }
        for rounds in lookups {
            // Nearly every name has one server, or one answer per server: compared only where there are two.
            guard rounds.indices.contains(where: { rounds[$0].answer.server != rounds[0].answer.server }) else { continue }
            for type in [RecordType.a, .aaaa] {
                let answers = rounds.indices.map { rounds[$0].answer }.filter { $0.type == type }
                var servers: [ServerAddress] = []
                for answer in answers where !servers.contains(answer.server) { servers.append(answer.server) }
                for server in servers {
                    let mine = answers.filter { $0.server == server }
                    // A server that failed is `server-failed`'s; one whose name others give no address, nobody's.
                    guard mine.contains(where: { $0.outcome.isAnswer }),
                          answers.contains(where: { $0.server != server && !$0.addresses.isEmpty })
                    else { continue }
                    let denied = !mine.contains { !$0.addresses.isEmpty }
                        && mine.contains { $0.outcome == .nxdomain || $0.outcome == .nodata }
                    tally(server, denied: denied)
                }
            }
        }
        return tallies.compactMap { tally in
            guard tally.denied * 2 > tally.compared else { return nil }
            return Finding(
                kind: "server-disagrees", severity: "warning", endpoint: nil, name: nil, address: nil,
                message: "server \(tally.server) said there was no such name or no address (NXDOMAIN, NODATA) for "
                    + "\(tally.denied) of the \(tally.compared) lookups another server answered with addresses: it "
                    + "filters, or sees another view of DNS"
            )
        }
    }
}
