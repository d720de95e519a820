import ArgumentParser
import Foundation

extension EgressMapCommand {
    /// Runs the command line, with one change to swift-argument-parser's exit statuses: usage mistakes
    /// (an unknown option, a missing argument, a `ValidationError`) exit 2, the status DESIGN.md gives to
    /// bad input, instead of 64; the message is the parser's own.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            if exitCode(for: error) == .validationFailure {
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                Foundation.exit(2)
            }
            exit(withError: error)
        }
    }
}
