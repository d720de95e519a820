import GRDB

extension HistoryStore {
    /// What an error from the history's calls means for the person running egressmap, and what to do:
    /// SQLite's own message said "database or disk is full" and "file is not a database" alike, and advice
    /// for one (move the file away) is wrong for the other.
    public static func trouble(_ error: any Error) -> String {
        guard let error = error as? DatabaseError else { return "\(error)" }
        let said = "SQLite: \(error.message ?? "error \(error.resultCode.rawValue)")"
        switch error.resultCode.primaryResultCode {
        case .SQLITE_NOTADB, .SQLITE_CORRUPT:
            return "it is not a usable history (\(said)); move it away to start a new one"
        case .SQLITE_FULL:
            return "the disk is full (\(said))"
        case .SQLITE_BUSY, .SQLITE_LOCKED:
            return "another process holds it (\(said))"
        case .SQLITE_READONLY, .SQLITE_PERM, .SQLITE_CANTOPEN, .SQLITE_AUTH:
            return "it cannot be opened for writing (\(said))"
        case .SQLITE_IOERR:
            return "reading or writing it failed (\(said))"
        default:
            return said
        }
    }
}
