import DNS
import Foundation
import Manifest
import Yams

extension ResolverProfile {
    /// The profiles shipped with egressmap, compiled in (`Resolvers/*.yaml`).
    public static var bundledNames: [String] { EmbeddedResolvers.files.keys.sorted() }

    /// Loads a profile by bundled name (`system`, `public`, …) or from a YAML file path.
    /// - Throws: `ProfileError` naming the file, line and column of what is wrong.
    public static func load(
        _ nameOrPath: String, environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(ProfileError) -> ResolverProfile {
        if let text = EmbeddedResolvers.files[nameOrPath] {
            return try parse(text, name: nameOrPath, file: "Resolvers/\(nameOrPath).yaml", environment: environment)
        }
        guard nameOrPath.contains("/") || nameOrPath.hasSuffix(".yaml") || nameOrPath.hasSuffix(".yml") else {
            throw ProfileError(
                file: nameOrPath,
                message: "no bundled resolver profile of that name; expected one of \(bundledNames.joined(separator: ", ")) or a file path"
            )
        }
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: nameOrPath, isDirectory: &isFolder), !isFolder.boolValue,
            let data = FileManager.default.contents(atPath: nameOrPath)
        else { throw ProfileError(file: nameOrPath, message: "cannot read the profile: not a readable file") }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ProfileError(file: nameOrPath, message: "the profile is not UTF-8 text")
        }
        let name = URL(fileURLWithPath: nameOrPath).deletingPathExtension().lastPathComponent
        return try parse(text, name: name, file: nameOrPath, environment: environment)
    }

    /// Parses a profile's YAML text strictly: unknown keys, wrong types and bad values are errors.
    public static func parse(
        _ text: String, name: String, file: String, environment: [String: String] = [:]
    ) throws(ProfileError) -> ResolverProfile {
        func fail(_ node: Node?, _ message: String) -> ProfileError {
            ProfileError(file: file, line: node?.mark?.line, column: node?.mark?.column, message: message)
        }
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch {
            throw ProfileError(file: file, message: "not valid YAML: \(error)")
        }
        guard let root, case .mapping(let mapping) = root else {
            throw fail(root, "expected a mapping with profile, mode, servers, …")
        }
        var profile = ResolverProfile(
            name: name, description: "", servers: .listed([]), mode: .union, timeout: .seconds(2), tries: 2,
            rounds: 1, window: 50, channels: 1
        )
        var sawServers = false
        // Every error of the file at once, as a manifest's: a fix for one need not reveal the next.
        var problems: [ProfileError] = []
        for (keyNode, value) in mapping {
            guard let key = keyNode.string else {
                problems.append(fail(keyNode, "expected a key"))
                continue
            }
            switch key {
            case "profile":
                if value.int != 1 { problems.append(fail(value, "found \(value.string ?? "?"); expected profile: 1")) }
            case "description":
                guard let text = value.string else {
                    problems.append(fail(value, "expected a text"))
                    continue
                }
                profile.description = text
            case "mode":
                guard let text = value.string, let mode = ResolverConfiguration.Mode(rawValue: text) else {
                    problems.append(fail(value, "found \(value.string ?? "?"); expected union or failover"))
                    continue
                }
                profile.mode = mode
            case "servers":
                sawServers = true
                do {
                    profile.servers = try servers(value, environment: environment, fail: fail)
                } catch {
                    problems.append(error)
                }
            case "timeout":
                do {
                    profile.timeout = try DurationText.parse(value.string ?? "")
                    if profile.timeout <= .zero { problems.append(fail(value, "expected a timeout above zero")) }
                } catch {
                    problems.append(fail(value, error.description))
                }
            case "tries", "rounds", "window", "channels":
                let limits: ClosedRange<Int> = key == "window" ? 1...10_000 : key == "channels" ? 1...64 : 1...20
                guard let number = value.int, limits.contains(number) else {
                    problems.append(fail(
                        value,
                        "found \(value.string ?? "?"); expected \(key) from \(limits.lowerBound) to \(limits.upperBound)"
                    ))
                    continue
                }
                switch key {
                case "tries": profile.tries = number
                case "rounds": profile.rounds = number
                case "window": profile.window = number
                default: profile.channels = number
                }
            default:
                let known = [
                    "profile", "description", "mode", "servers", "timeout", "tries", "rounds", "window", "channels",
                ]
                let meant = KeySuggestion.closest(to: key, among: known).map { "; did you mean \($0)?" } ?? ""
                problems.append(fail(
                    keyNode,
                    "unknown key \"\(key)\"; expected profile, description, mode, servers, timeout, tries, rounds, "
                        + "window or channels\(meant)"
                ))
            }
        }
        if !sawServers {
            problems.append(fail(root, "missing servers; expected servers: [\"1.1.1.1\", …] or servers: system"))
        }
        if var first = problems.first {
            first.also = Array(problems.dropFirst())
            throw first
        }
        return profile
    }

    private static func servers(
        _ node: Node, environment: [String: String], fail: (Node?, String) -> ProfileError
    ) throws(ProfileError) -> ServerList {
        if node.string == "system" { return .system }
        guard case .sequence(let sequence) = node, !sequence.isEmpty else {
            throw fail(node, "expected a non-empty list of servers or the word system")
        }
        var servers: [ServerAddress] = []
        for item in sequence {
            guard var text = item.string else { throw fail(item, "expected a server address as text") }
            if text.hasPrefix("${"), text.hasSuffix("}") {
                let variable = String(text.dropFirst(2).dropLast())
                guard let value = environment[variable] else {
                    throw fail(item, "the environment variable \(variable) is not set (a server entry \"${NAME}\" is "
                        + "the whole value of NAME; no default, no text around it)")
                }
                guard !value.isEmpty else { throw fail(item, "the environment variable \(variable) is empty") }
                text = value
            }
            do {
                servers.append(try ServerAddress(parsing: text))
            } catch { throw fail(item, error.description) }
        }
        return .listed(servers)
    }
}
