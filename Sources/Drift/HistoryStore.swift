import Foundation
import GRDB
import GRDBSQLite

/// `history.sqlite` in the output folder: every run, and per name and address when it was first and last
/// seen. The allowlists of a run are built from it (retention, failure-is-not-removal), so a bad DNS
/// minute never drops an address.
///
/// WAL mode, one transaction per run, migrations from the first version on: a run killed at any moment
/// leaves the database as it was before that run or after it.
public final class HistoryStore: Sendable {
    private let database: DatabaseQueue

    /// Opens (creating and migrating) the history at `path`.
    /// - Throws: a `DatabaseError` when the file is not a usable SQLite database.
    public init(path: String) throws {
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        database = try DatabaseQueue(path: path, configuration: configuration)
        try database.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA journal_mode = WAL")
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        try Self.migrator.migrate(database)
    }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.create(table: "run") { table in
                table.primaryKey("id", .text)
                table.column("startedMs", .integer).notNull()
                table.column("manifestName", .text).notNull()
                table.column("manifestSHA256", .text).notNull()
                table.column("resolvers", .text).notNull()
                table.column("names", .integer).notNull()
                table.column("namesOK", .integer).notNull()
                table.column("namesFailed", .integer).notNull()
                table.column("prefixes", .integer).notNull()
                table.column("published", .boolean).notNull()
                table.column("note", .text)
            }
            try db.create(table: "sighting") { table in
                table.column("name", .text).notNull()
                table.column("address", .text).notNull()
                table.column("type", .text).notNull()
                table.column("firstSeenMs", .integer).notNull()
                table.column("lastSeenMs", .integer).notNull()
                table.column("lastRun", .text).notNull()
                table.column("runs", .integer).notNull()
                table.column("rounds", .integer).notNull()
                table.column("chain", .text).notNull()
                table.primaryKey(["name", "address"])
            }
            try db.create(index: "sighting_address", on: "sighting", columns: ["address"])
            try db.create(index: "sighting_lastSeen", on: "sighting", columns: ["lastSeenMs"])
            try db.create(table: "nameState") { table in
                table.primaryKey("name", .text)
                table.column("lastOutcome", .text).notNull()
                table.column("lastRun", .text).notNull()
                table.column("lastAnswerMs", .integer)
                table.column("chain", .text).notNull()
            }
        }
        return migrator
    }

    /// Every sighting of the given names, by name.
    public func sightings(of names: [String]) throws -> [String: [Sighting]] {
        try database.read { db in
            var result: [String: [Sighting]] = [:]
            for chunk in stride(from: 0, to: names.count, by: 500) {
                let part = Array(names[chunk..<min(names.count, chunk + 500)])
                for sighting in try Sighting.filter(part.contains(Column("name"))).fetchAll(db) {
                    result[sighting.name, default: []].append(sighting)
                }
            }
            return result
        }
    }

    /// Records a run and what it saw, in one transaction: tens of thousands of upserts for 10,000 names, each
    /// through one reused statement bound with SQLite's own calls (`RowStatement`).
    public func record(_ run: RunRow, seen: [NameObservation]) throws {
        try database.write { db in
            try run.insert(db, onConflict: .replace)
            let sighting = try RowStatement(db, sql: """
                INSERT INTO sighting (name, address, type, firstSeenMs, lastSeenMs, lastRun, runs, rounds, chain)
                VALUES (?1, ?2, ?3, ?4, ?4, ?5, 1, ?6, ?7)
                ON CONFLICT (name, address) DO UPDATE SET
                    lastSeenMs = excluded.lastSeenMs, lastRun = excluded.lastRun, runs = runs + 1,
                    rounds = rounds + excluded.rounds, chain = excluded.chain
                """)
            let state = try RowStatement(db, sql: """
                INSERT INTO nameState (name, lastOutcome, lastRun, lastAnswerMs, chain) VALUES (?1, ?2, ?3, ?4, ?5)
                ON CONFLICT (name) DO UPDATE SET
                    lastOutcome = excluded.lastOutcome, lastRun = excluded.lastRun,
                    lastAnswerMs = COALESCE(excluded.lastAnswerMs, lastAnswerMs), chain = excluded.chain
                """)
            // The same for every row: bound once, kept by the statements across their resets.
            sighting.bind(run.startedMs, at: 4)
            sighting.bind(run.id, at: 5)
            state.bind(run.id, at: 3)
            for observation in seen {
                sighting.bind(observation.name, at: 1)
                sighting.bind(observation.chain, at: 7)
                for address in observation.addresses {
                    sighting.bind(address.address, at: 2)
                    sighting.bind(address.type, at: 3)
                    sighting.bind(Int64(address.rounds), at: 6)
                    try sighting.step()
                }
                state.bind(observation.name, at: 1)
                state.bind(observation.outcome, at: 2)
                if observation.answered { state.bind(run.startedMs, at: 4) } else { state.bindNull(at: 4) }
                state.bind(observation.chain, at: 5)
                try state.step()
            }
        }
    }

    /// Keeps the newest `keepRuns` runs, and sightings last seen within `windowMs` of `nowMs` (the longest
    /// of the retention and stale windows); returns the ids of the runs removed.
    @discardableResult
    public func prune(keepRuns: Int, windowMs: Int64, nowMs: Int64) throws -> [String] {
        try database.write { db in
            let old = try String.fetchAll(
                db, sql: "SELECT id FROM run ORDER BY id DESC LIMIT -1 OFFSET ?", arguments: [max(1, keepRuns)]
            )
            for chunk in stride(from: 0, to: old.count, by: 500) {
                let part = Array(old[chunk..<min(old.count, chunk + 500)])
                try RunRow.filter(part.contains(Column("id"))).deleteAll(db)
            }
            try db.execute(sql: "DELETE FROM sighting WHERE lastSeenMs < ?", arguments: [nowMs - windowMs])
            return old
        }
    }

    /// The runs, newest first.
    public func runs(limit: Int = 1000) throws -> [RunRow] {
        try database.read { db in try RunRow.order(Column("id").desc).limit(limit).fetchAll(db) }
    }

    /// Every sighting of a name, or of an address, oldest first.
    public func sightings(matching text: String) throws -> [Sighting] {
        try database.read { db in
            try Sighting.filter(Column("name") == text || Column("address") == text)
                .order(Column("firstSeenMs"), Column("name"), Column("address")).fetchAll(db)
        }
    }

    /// `PRAGMA integrity_check` says "ok".
    public func isIntact() throws -> Bool {
        try database.read { db in try String.fetchOne(db, sql: "PRAGMA integrity_check") == "ok" }
    }
}

/// A statement of its own (not GRDB's cache), bound and stepped through SQLite's C calls: GRDB's
/// `execute(arguments:)` boxes every value of every row, which cost more than SQLite's own work when
/// recording 10,000 names. Used only inside the transaction of the `Database` it was made from.
private struct RowStatement {
    private let statement: Statement
    private let database: Database

    init(_ database: Database, sql: String) throws {
        self.database = database
        statement = try database.makeStatement(sql: sql)
    }

    /// SQLite copies the text (`SQLITE_TRANSIENT`): Swift's pointer lives only for the call.
    func bind(_ text: String, at index: Int32) {
        var text = text
        let code = text.withUTF8 { bytes in
            bytes.withMemoryRebound(to: CChar.self) {
                sqlite3_bind_text(statement.sqliteStatement, index, $0.baseAddress, Int32($0.count), Self.transient)
            }
        }
        precondition(code == SQLITE_OK, "binding parameter \(index): SQLite code \(code)")
    }

    func bind(_ value: Int64, at index: Int32) {
        let code = sqlite3_bind_int64(statement.sqliteStatement, index, value)
        precondition(code == SQLITE_OK, "binding parameter \(index): SQLite code \(code)")
    }

    func bindNull(at index: Int32) {
        let code = sqlite3_bind_null(statement.sqliteStatement, index)
        precondition(code == SQLITE_OK, "binding parameter \(index): SQLite code \(code)")
    }

    /// Runs the statement with what is bound, and resets it for the next row (the bindings stay).
    func step() throws {
        let code = sqlite3_step(statement.sqliteStatement)
        sqlite3_reset(statement.sqliteStatement)
        guard code == SQLITE_DONE else {
            throw DatabaseError(
                resultCode: ResultCode(rawValue: code), message: database.lastErrorMessage, sql: statement.sql
            )
        }
    }

    /// SQLite's `SQLITE_TRANSIENT`, a macro Swift does not import: copy the value before the call returns.
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
}
