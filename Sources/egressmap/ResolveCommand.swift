import ArgumentParser
import DNS
import EgressMap
import Foundation
import Hostnames

struct ResolveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resolve",
        abstract: "Resolve names with the c-ares engine: ad-hoc or in bulk.",
        discussion: """
            Names given as arguments are all checked before anything is sent. With --input, a bad line is \
            reported on stderr with its line number and skipped, and the exit status is 2 at the end. \
            --json writes JSON Lines (one object per name, in completion order; Schemas/resolve-line.schema.json). \
            Exit status: 0 done; 2 bad input; 4 no name got an answer.
            """
    )

    @Argument(help: "Names to resolve.")
    var names: [String] = []

    @Option(help: "A file of names, one a line ('-' for standard input); blank lines and # comments are skipped.")
    var input: String?

    @Flag(help: "Write JSON Lines instead of a table.")
    var json = false

    @Option(help: "Record types to ask, comma-separated.")
    var type: String = "A,AAAA"

    @OptionGroup var resolver: ResolverOptions

    mutating func run() async throws {
        guard names.isEmpty != (input == nil) else {
            throw ValidationError("give names as arguments or --input FILE, not both and not neither")
        }
        let types = try parseTypes()
        var jobs: [NameJob] = []
        var badNames: [String] = []
        for name in names {
            do { jobs.append(NameJob(name: try DomainName(validating: name))) } catch { badNames.append(error.description) }
        }
        guard badNames.isEmpty else {
            for message in badNames { printError("egressmap: \(message)") }
            throw ExitCode(2)
        }
        let settings = try resolver.resolve()
        let reader: LineReader?
        do {
            reader = try input.map { path throws(LineReader.OpenError) in try LineReader(path: path) }
        } catch {
            printError("egressmap: \(error)")
            throw ExitCode(2)
        }

        let output = OutputStream(fd: 1)
        let errors = OutputStream(fd: 2)
        let table = TableWriter(output: output, json: json)
        // On a terminal's stderr when the answers go to a file: not when they go to that terminal too (they
        // would be drawn over), nor into a pipe, whose reader mostly writes to the same terminal (`| jq`).
        let progress = ProgressLine(stream: errors, enabled: errors.isTerminal && !output.mayWait && reader != nil)
        var answered = 0
        var total = 0
        var failures: [String: Int] = [:]  // why names got no answer, while none has
        let source = NameSource(arguments: jobs, reader: reader, label: input ?? "-", errors: errors)
        defer { source.stop() }
        // Output is written in 64 KiB blocks. Into a pipe or a terminal, what is answered is also written
        // before the batch waits: always when it waits for input (or has run out of it), else at most every
        // 10 ms (with a write at every wait, 100,000 names into `| cat` took 1.47 s against 1.28 s, 5 turns).
        let flushBeforeWaiting = source.isStream || output.mayWait
        var lastFlush = ContinuousClock.now
        try await Resolver.withResolver(settings.configuration) { dns in
            try await dns.resolveAll(
                types: types, rounds: settings.profile.rounds,
                deadline: source.isStream ? nil : ContinuousClock.now + settings.deadline,
                nameTimeLimit: source.isStream ? settings.deadline : nil,
                // A pipe or a terminal at either end: the batch on a loop thread would hold up the loop while
                // it waited (`resolve … | less`), and the replies' elapsed times would count the wait.
                // Standard error is left out: a terminal takes the progress line (ten a second at most) and
                // the odd bad line without waiting, unless it is paused.
                callbacksMayWait: source.isStream || output.mayWait,
                arrival: source.arrival,
                // Once a write has failed (the reader gone, with SIGPIPE ignored, as systemd has it), no more
                // names are asked: the rest could not be written, and a stream has no end to wait for.
                next: { EgressMap.OutputStream.standardOutputFailure == 0 ? source.next() : .end },
                beforeWaiting: {
                    guard flushBeforeWaiting else { return }
                    let now = ContinuousClock.now
                    guard source.idle || now - lastFlush >= .milliseconds(10) else { return }
                    output.flush()
                    lastFlush = now
                    // The write failed: the batch asks `next` again, which ends it, rather than wait for input.
                    if EgressMap.OutputStream.standardOutputFailure != 0 { source.arrival.signal() }
                },
                each: { resolution in
                    total += 1
                    if resolution.lookups.contains(where: { $0.answer.outcome.isAnswer }) {
                        answered += 1
                    } else if answered == 0, let failed = resolution.lookups.first?.answer {
                        let reason = FailureReason.text(
                            outcome: "\(failed.outcome)", server: failed.server.description, detail: failed.detail
                        )
                        failures[reason, default: 0] += 1
                    }
                    table.write(resolution)
                    progress.update(done: total)
                }
            )
        }
        progress.finish()
        output.flush()
        if source.badLines > 0 {
            let badLines = source.badLines
            printError("egressmap: \(badLines) input line\(badLines == 1 ? " was" : "s were") not a valid name (see above)")
            throw ExitCode(2)
        }
        if total > 0 && answered == 0 {
            let servers = settings.configuration.servers.map(\.description).joined(separator: ", ")
            // The commonest reason, as the failure guard of `run` gives it.
            let why = FailureReason.commonest(failures)
                .map { " (\($0.names) of \(total) name\(total == 1 ? "" : "s"): \($0.reason))" } ?? ""
            printError("egressmap: no name got an answer from \(servers)\(why)")
            throw ExitCode(4)
        }
    }

    private func parseTypes() throws -> [RecordType] {
        var types: [RecordType] = []
        for part in type.split(separator: ",") {
            guard let recordType = RecordType(text: part.trimmingCharacters(in: .whitespaces)) else {
                throw ValidationError("--type: \"\(part)\" is not a record type egressmap asks; expected A, AAAA or A,AAAA")
            }
            if !types.contains(recordType) { types.append(recordType) }
        }
        guard !types.isEmpty else { throw ValidationError("--type: expected A, AAAA or A,AAAA") }
        return types
    }
}

/// Writes resolutions as JSON Lines or as table rows, each name's into a buffer reused from name to name.
final class TableWriter {
    private let output: EgressMap.OutputStream
    private let json: Bool
    // Unchecked exclusivity: `write` is the only method that changes these and never calls back into the
    // writer, so no two accesses overlap; the dynamic checks were three `swift_beginAccess` calls per name.
    @exclusivity(unchecked) private var headerWritten = false
    @exclusivity(unchecked) private var line = JSONText(capacity: 4096)
    @exclusivity(unchecked) private var summaries = NameSummary.Storage()
    @exclusivity(unchecked) private var rows: [UInt8] = []

    init(output: EgressMap.OutputStream, json: Bool) {
        self.output = output
        self.json = json
    }

    func write(_ resolution: NameResolution) {
        if json {
            line.reset()
            ResolveReport.writeJSONLine(resolution, to: &line, summaries: &summaries)
            line.withBytes { output.writeLine(bytes: $0) }
            return
        }
        rows.removeAll(keepingCapacity: true)
        if !headerWritten {
            headerWritten = true
            rows = ResolveTable.header
        }
        ResolveTable.appendRows(resolution, to: &rows)
        rows.withUnsafeBufferPointer { output.write(bytes: $0) }
    }
}
