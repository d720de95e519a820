import ArgumentParser
import Foundation

extension EgressMapCommand {
    /// Runs the command line, with three changes to swift-argument-parser's error reports: usage mistakes
    /// (an unknown option, a missing argument, a `ValidationError`) exit 2, the status DESIGN.md gives to
    /// bad input, instead of 64; an option a subcommand checks in its `run` (a `ValidationError` thrown
    /// there) is shown with that subcommand's usage, as a parse error is, not the root's; and any other
    /// error a command did not report itself (a write that failed, a damaged file) exits 2 with its message,
    /// not 1, which `run --exit-code` gives to a changed allowlist and `diff` to two different runs.
    static func main() async {
        if let unknown = unknownHelpTopic(Array(CommandLine.arguments.dropFirst())) {
            writeStandardError("Error: \(unknown)\nUsage: egressmap help [<subcommand> ...]\n")
            Foundation.exit(2)
        }
        var parsed: (any ParsableCommand)?
        do {
            var command = try parseAsRoot()
            parsed = command
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            exitChecked(0)
        } catch {
            if exitCode(for: error) == .validationFailure {
                let message: String
                if let validation = error as? ValidationError, let parsed {
                    message = usageMessage(validation, in: type(of: parsed))
                } else {
                    message = fullMessage(for: error)
                }
                writeStandardError(message + "\n")
                Foundation.exit(2)
            }
            if exitCode(for: error) == .failure, !(error is ExitCode) {
                writeStandardError("egressmap: \(error)\n")
                Foundation.exit(2)
            }
            if let code = error as? ExitCode { exitChecked(code.rawValue) }
            if exitCode(for: error) == .success {  // --help, help SUBCOMMAND: written as the output it is
                do {
                    try writeStandardOutput(Array((fullMessage(for: error) + "\n").utf8))
                } catch {
                    Foundation.exit(2)
                }
                exitChecked(0)
            }
            exit(withError: error)
        }
    }

    /// For `help WORD...` naming no command (`help nope`), which swift-argument-parser answers with the
    /// top-level help and exit 0, what is wrong; nil for anything else.
    static func unknownHelpTopic(_ arguments: [String]) -> String? {
        guard arguments.first == "help", arguments.count > 1 else { return nil }
        var path = ["egressmap"]
        var children = EgressMapCommand.configuration.subcommands
        for word in arguments.dropFirst() where !word.hasPrefix("-") {
            let names = children.map { $0.configuration.commandName ?? "" }
            guard let index = names.firstIndex(of: word) else {
                let command = path.joined(separator: " ")
                return names.isEmpty
                    ? "'\(word)': \(command) has no subcommands"
                    : "\(command) has no command '\(word)'; expected one of \(names.joined(separator: ", "))"
            }
            path.append(word)
            children = children[index].configuration.subcommands
        }
        return nil
    }

    /// `error` as the parser reports a bad option: the message, the usage of `command`, and where its help is.
    static func usageMessage(_ error: ValidationError, in command: any ParsableCommand.Type) -> String {
        let usage = usageString(for: command)
        // `egressmap manifest check <file> …`: the words before the first argument or option.
        let path = usage.split(separator: " ").prefix { word in
            !(word.hasPrefix("[") || word.hasPrefix("<") || word.hasPrefix("-"))
        }
        return "Error: \(error.message)\nUsage: \(usage)\n"
            + "  See '\(path.joined(separator: " ")) --help' for more information."
    }
}
