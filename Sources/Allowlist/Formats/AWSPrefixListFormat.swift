import Drift
import Foundation
import IPNet

/// `aws-prefix-list-v4.json` / `-v6.json`: one managed prefix list per port, with each entry's description,
/// the `MaxEntries` the list needs, and the API calls split into at most 100 entries each (the limit of
/// `CreateManagedPrefixList` `Entries` and of `ModifyManagedPrefixList` `AddEntries`).
enum AWSPrefixListFormat {
    static let descriptionLimit = 255
    static let entriesPerCall = 100

    static func render(_ plan: FormatPlan) throws -> [String: Data] {
        var files: [String: Data] = [:]
        for family in [IPFamily.v4, .v6] {
            let addressFamily = family == .v4 ? "IPv4" : "IPv6"
            let lists = plan.sets.filter { $0.family == family && !$0.entries.isEmpty }.map { set in
                let entries = set.entries.map {
                    Entry(
                        cidr: $0.prefix.description,
                        description: CommentText.sanitise($0.comment, limit: descriptionLimit))
                }
                var calls: [Call] = []
                for start in stride(from: 0, to: entries.count, by: entriesPerCall) {
                    let chunk = Array(entries[start..<min(start + entriesPerCall, entries.count)])
                    if start == 0 {
                        calls.append(
                            Call(
                                command: "aws ec2 create-managed-prefix-list --cli-input-json file://CALL.json",
                                input: Input(
                                    prefixListName: set.name, addressFamily: addressFamily, maxEntries: entries.count,
                                    entries: chunk, addEntries: nil
                                )
                            ))
                    } else {
                        calls.append(
                            Call(
                                command: "aws ec2 modify-managed-prefix-list --prefix-list-id PL_ID --current-version "
                                    + "VERSION --cli-input-json file://CALL.json",
                                input: Input(
                                    prefixListName: nil, addressFamily: nil, maxEntries: nil, entries: nil,
                                    addEntries: chunk
                                )
                            ))
                    }
                }
                return PrefixList(
                    name: set.name, service: set.service.description, addressFamily: addressFamily,
                    maxEntries: entries.count, entries: entries, calls: calls
                )
            }
            let document = Document(
                schema: "egressmap.aws-prefix-list/1", runID: plan.runID, manifest: plan.manifestName,
                addressFamily: addressFamily,
                note: "One managed prefix list per port. Create: the first call; a list over 100 entries "
                    + "takes modify calls after it. MaxEntries counts against each security group's rule quota.",
                prefixLists: lists
            )
            files["aws-prefix-list-\(family == .v4 ? "v4" : "v6").json"] = try SnapshotCoding.encode(document)
        }
        return files
    }

    struct Document: Codable {
        var schema: String
        var runID: String
        var manifest: String
        var addressFamily: String
        var note: String
        var prefixLists: [PrefixList]

        enum CodingKeys: String, CodingKey {
            case schema, manifest, note
            case runID = "run_id"
            case addressFamily = "address_family"
            case prefixLists = "prefix_lists"
        }
    }

    struct PrefixList: Codable {
        var name: String
        var service: String
        var addressFamily: String
        var maxEntries: Int
        var entries: [Entry]
        var calls: [Call]

        enum CodingKeys: String, CodingKey {
            case service, calls
            case name = "PrefixListName"
            case addressFamily = "AddressFamily"
            case maxEntries = "MaxEntries"
            case entries = "Entries"
        }
    }

    struct Entry: Codable {
        var cidr: String
        var description: String

        enum CodingKeys: String, CodingKey {
            case cidr = "Cidr"
            case description = "Description"
        }
    }

    struct Call: Codable {
        var command: String
        /// The `--cli-input-json` document of the call.
        var input: Input
    }

    struct Input: Codable {
        var prefixListName: String?
        var addressFamily: String?
        var maxEntries: Int?
        var entries: [Entry]?
        var addEntries: [Entry]?

        enum CodingKeys: String, CodingKey {
            case prefixListName = "PrefixListName"
            case addressFamily = "AddressFamily"
            case maxEntries = "MaxEntries"
            case entries = "Entries"
            case addEntries = "AddEntries"
        }
    }
}
