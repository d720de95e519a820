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
        // A run's transaction spans two accesses (see `record`): begun and filled with what the run saw while
        // its counts are still being made, committed with its row once they are known.
        configuration.allowsUnsafeTransactions = true
        database = try DatabaseQueue(path: path, configuration: configuration)
        try database.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA journal_mode = WAL")
            try db.execute(sql: "PRAGMA synchronous = FULL")
            // Room for a run's whole transaction (6 MB of pages for 10,000 names): with SQLite's default 2 MB,
            // recording spilled pages to the WAL before the commit and read some back. Durability is unchanged.
            try db.execute(sql: "PRAGMA cache_size = -65536")
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
        // Every sighting a run sees moves its lastSeenMs, so this index was rewritten row by row in every run,
        // for one query per run: pruning, which now scans the table (milliseconds for 25,000 sightings). Without
        // it, SQLite's share of a 10,000-name run fell from about 62 to 54 ms, and of a second run into the same
        // folder from about 110 to 97 ms (perf samples in libsqlite3, 3 runs each).
        migrator.registerMigration("v2: no index on lastSeenMs") { db in
            try db.drop(index: "sighting_lastSeen")
        }
        return migrator
    }

    /// Every sighting of the given names, by name: 500 names to a query, each row read with SQLite's own
    /// calls (GRDB's decoding of 25,000 rows through `Codable` cost more than the queries).
    public func sightings(of names: [String]) throws -> [String: [Sighting]] {
        try database.read { db in
            var result: [String: [Sighting]] = [:]
            var full: RowStatement?
            for chunk in stride(from: 0, to: names.count, by: 500) {
                let part = names[chunk..<min(names.count, chunk + 500)]
                let query: RowStatement
                if part.count == 500, let full {
                    query = full
                } else {
                    let placeholders = Array(repeating: "?", count: part.count).joined(separator: ", ")
                    query = try RowStatement(db, sql: """
                        SELECT name, address, type, firstSeenMs, lastSeenMs, lastRun, runs, rounds, chain
                        FROM sighting WHERE name IN (\(placeholders))
                        """)
                    if part.count == 500 { full = query }
                }
                for (offset, name) in part.enumerated() { query.bind(name, at: Int32(offset + 1)) }
                while try query.next() {
                    let sighting = Sighting(
                        name: query.text(0), address: query.text(1), type: query.text(2),
                        firstSeenMs: query.int64(3), lastSeenMs: query.int64(4), lastRun: query.text(5),
                        runs: Int(query.int64(6)), rounds: Int(query.int64(7)), chain: query.text(8)
                    )
                    result[sighting.name, default: []].append(sighting)
                }
            }
            return result
        }
    }

    /// Records a run and what it saw, in one transaction: what it saw is written at once (tens of thousands of
    /// upserts for 10,000 names, `rowsPerStatement` rows to a statement, one step for all of them, bound with
    /// SQLite's own calls), and the run's own row, which needs its counts and verdict, when `row` yields it.
    /// Until then the transaction stays open; if `row` ends without one, nothing is kept. A process killed
    /// meanwhile leaves the history as it was: SQLite keeps only what is committed.
    ///
    /// It runs on the database's own queue, not on a thread the caller's tasks share: a run builds its
    /// allowlists, probe plan and snapshot meanwhile. Writing only once those were done left the other core
    /// idle while they were built, and the history's commit was the last thing a run waited for.
    public func record(runID: String, startedMs: Int64, seen: [NameObservation], row: AsyncStream<RunRow>) async throws {
        try await database.writeWithoutTransaction { db in
            try db.beginTransaction(.immediate)
            do {
                try Self.writeSightings(db, runID: runID, startedMs: startedMs, seen: seen)
            } catch {
                try? db.rollback()
                throw error
            }
        }
        var rows = row.makeAsyncIterator()
        let run = await rows.next()
        try await database.writeWithoutTransaction { db in
            guard let run else {
                try db.rollback()
                throw CancellationError()
            }
            precondition(run.id == runID, "run \(run.id) recorded into the transaction of \(runID)")
            do {
                try run.insert(db, onConflict: .replace)
                try db.commit()
            } catch {
                try? db.rollback()
                throw error
            }
        }
    }

    /// The sightings and name states of one run, inside its transaction.
    private static func writeSightings(_ db: Database, runID: String, startedMs: Int64, seen: [NameObservation]) throws {
        // ?1 and ?2 are the run's time and id; then each row's own values, from the number given.
        var sightingStatements = RowStatements(
            db, columns: 5,
            head: "INSERT INTO sighting (name, address, type, firstSeenMs, lastSeenMs, lastRun, runs, rounds, chain) "
                + "VALUES ",
            row: { "(?\($0), ?\($0 + 1), ?\($0 + 2), ?1, ?1, ?2, 1, ?\($0 + 3), ?\($0 + 4))" },
            tail: """
                 ON CONFLICT (name, address) DO UPDATE SET
                    lastSeenMs = excluded.lastSeenMs, lastRun = excluded.lastRun, runs = runs + 1,
                    rounds = rounds + excluded.rounds, chain = excluded.chain
                """
        )
        var stateStatements = RowStatements(
            db, columns: 4,
            head: "INSERT INTO nameState (name, lastOutcome, lastRun, lastAnswerMs, chain) VALUES ",
            row: { "(?\($0), ?\($0 + 1), ?2, ?\($0 + 2), ?\($0 + 3))" },
            tail: """
                 ON CONFLICT (name) DO UPDATE SET
                    lastOutcome = excluded.lastOutcome, lastRun = excluded.lastRun,
                    lastAnswerMs = COALESCE(excluded.lastAnswerMs, lastAnswerMs), chain = excluded.chain
                """
        )
        // Every sighting as the positions of its observation and address.
        var sightings: [(observation: Int, address: Int)] = []
        sightings.reserveCapacity(2 * seen.count)
        for position in seen.indices {
            for address in seen[position].addresses.indices { sightings.append((position, address)) }
        }
        try sightingStatements.write(rows: sightings.count) { statement, row, first in
            let (position, address) = sightings[row]
            statement.bind(seen[position].name, at: first)
            statement.bind(seen[position].addresses[address].address, at: first + 1)
            statement.bind(seen[position].addresses[address].type, at: first + 2)
            statement.bind(Int64(seen[position].addresses[address].rounds), at: first + 3)
            statement.bind(seen[position].chain, at: first + 4)
        } shared: { statement in
            statement.bind(startedMs, at: 1)
            statement.bind(runID, at: 2)
        }
        try stateStatements.write(rows: seen.count) { statement, row, first in
            statement.bind(seen[row].name, at: first)
            statement.bind(seen[row].outcome, at: first + 1)
            if seen[row].answered {
                statement.bind(startedMs, at: first + 2)
            } else {
                statement.bindNull(at: first + 2)
            }
            statement.bind(seen[row].chain, at: first + 3)
        } shared: { statement in
            statement.bind(startedMs, at: 1)
            statement.bind(runID, at: 2)
        }
    }

    /// Keeps the `keepRuns` runs recorded last and those in `kept` (the run whose allowlists are published,
    /// which the next diff may compare with), and sightings last seen within `windowMs` of `nowMs` (the
    /// longest of the retention and stale windows); returns the ids of the runs removed.
    ///
    /// Last recorded, not latest by id: an id is the run's start time, and a clock set back (by hand, or a
    /// machine booted with a wrong one) gives later runs earlier ids, so keeping the highest ids removed the
    /// runs just made. The row ids grow with each run recorded (the newest row is never pruned, so none is
    /// given again).
    @discardableResult
    public func prune(keepRuns: Int, keeping kept: Set<String> = [], windowMs: Int64, nowMs: Int64) throws -> [String] {
        try database.write { db in
            let old = try String.fetchAll(
                db, sql: "SELECT id FROM run ORDER BY rowid DESC LIMIT -1 OFFSET ?", arguments: [max(1, keepRuns)]
            ).filter { !kept.contains($0) }
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

/// A statement of its own (not GRDB's cache), bound, stepped and read through SQLite's C calls: GRDB's
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

    /// Steps a query to its next row; false (and reset for the next use) when there is none.
    func next() throws -> Bool {
        switch sqlite3_step(statement.sqliteStatement) {
        case SQLITE_ROW:
            return true
        case SQLITE_DONE:
            sqlite3_reset(statement.sqliteStatement)
            return false
        case let code:
            sqlite3_reset(statement.sqliteStatement)
            throw DatabaseError(
                resultCode: ResultCode(rawValue: code), message: database.lastErrorMessage, sql: statement.sql
            )
        }
    }

    /// The current row's text in `column` (from 0); empty for NULL.
    func text(_ column: Int32) -> String {
        guard let bytes = sqlite3_column_text(statement.sqliteStatement, column) else { return "" }
        let count = Int(sqlite3_column_bytes(statement.sqliteStatement, column))
        return String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
    }

    /// The current row's integer in `column` (from 0).
    func int64(_ column: Int32) -> Int64 {
        sqlite3_column_int64(statement.sqliteStatement, column)
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

/// One multi-row upsert, `rowsPerStatement` rows to a statement: SQLite then steps once for all of them, which
/// took a third less than a statement per row. The first two parameters are shared by every row; each row's
/// `columns` values follow, numbered from 3.
private struct RowStatements {
    static let rowsPerStatement = 64
    private let database: Database
    private let columns: Int
    private let head: String
    /// One row's values, given the number of its first parameter.
    private let row: (Int) -> String
    private let tail: String
    private var full: RowStatement?

    init(_ database: Database, columns: Int, head: String, row: @escaping (Int) -> String, tail: String) {
        self.database = database
        self.columns = columns
        self.head = head
        self.row = row
        self.tail = tail
    }

    /// Writes `rows` rows: `bind` binds row `row`'s values from parameter `first` on, `shared` the first two.
    mutating func write(
        rows: Int, bind: (RowStatement, _ row: Int, _ first: Int32) -> Void, shared: (RowStatement) -> Void
    ) throws {
        for start in stride(from: 0, to: rows, by: Self.rowsPerStatement) {
            let count = min(Self.rowsPerStatement, rows - start)
            let statement = try statement(rows: count)
            shared(statement)
            for offset in 0..<count { bind(statement, start + offset, Int32(3 + columns * offset)) }
            try statement.step()
        }
    }

    /// The statement for `rows` rows: the full one is made once, a shorter last one when needed.
    private mutating func statement(rows: Int) throws -> RowStatement {
        if rows == Self.rowsPerStatement, let full { return full }
        let sql = head + (0..<rows).map { row(3 + columns * $0) }.joined(separator: ", ") + tail
        let made = try RowStatement(database, sql: sql)
        if rows == Self.rowsPerStatement { full = made }
        return made
    }
}
