import IPNet

/// `allowlist.ipset`, for `ipset restore`: each live set is created once (`-exist`), then on every load a
/// temporary set is filled and swapped in with one `swap`, so rules that match the set never see it half
/// full, and the temporary set is destroyed.
enum IPSetFormat {
    /// ipset keeps comments of up to 255 bytes.
    static let commentLimit = 255

    static func render(_ plan: FormatPlan) -> String {
        var lines = plan.header.map { "# " + $0 }
        lines += [
            "# Load: ipset restore < allowlist.ipset (first load and every reload: each set is filled aside",
            "# and swapped in atomically; nothing is left behind).",
        ]
        for set in plan.sets {
            let type = "hash:net family \(set.isV4 ? "inet" : "inet6") comment"
            let scratch = temporaryName(set.name)
            lines.append("create \(set.name) \(type) -exist")
            lines.append("create \(scratch) \(type) -exist")
            lines.append("flush \(scratch)")
            for entry in set.entries {
                let comment = CommentText.sanitise(entry.comment, limit: commentLimit)
                lines.append("add \(scratch) \(entry.prefix)" + (comment.isEmpty ? "" : " comment \"\(comment)\""))
            }
            lines.append("swap \(scratch) \(set.name)")
            lines.append("destroy \(scratch)")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// `egressmap_tmp_` and 8 hex digits of the live name's FNV-1a hash: 22 characters, so a live name may
    /// use ipset's whole 31, and a load that failed half way is cleaned up by the next (`-exist`, `flush`).
    static func temporaryName(_ name: String) -> String {
        var hash: UInt32 = 0x811C_9DC5
        for byte in name.utf8 {
            hash ^= UInt32(byte)
            hash = hash &* 0x0100_0193
        }
        let hex = String(hash, radix: 16)
        return "egressmap_tmp_" + String(repeating: "0", count: 8 - hex.count) + hex
    }
}
