import Crypto
import Foundation

/// One Sigma rule (Sigma specification 2.0), written as YAML.
public struct SigmaRule: Sendable {
    /// A named detection item: field conditions (all must hold; a list of values is any-of), or
    /// keywords (any of them in the message).
    public enum Search: Sendable {
        case fields([(field: String, values: [String])])
        case keywords([String])
    }

    /// File name without extension, also the seed of the stable id.
    public var name: String
    public var title: String
    public var description: String
    public var references: [String]
    public var product: String
    public var service: String?
    public var searches: [(name: String, search: Search)]
    public var condition: String
    public var falsePositives: [String]
    public var level: String
    /// The mirrorwatch rule this one covers the single-event part of.
    public var mirrorwatchRule: String
    /// ATT&CK tags; mirroring is exfiltration (T1020.001), blinding the logs defense evasion (T1562).
    public var tags = ["attack.exfiltration", "attack.t1020.001"]

    /// A UUID (version 5, SHA-1) of the rule's name in mirrorwatch's namespace: the same rule keeps
    /// its id across exports, as Sigma wants.
    public var id: String {
        let namespace: [UInt8] = [0x6d, 0x69, 0x72, 0x72, 0x6f, 0x72, 0x77, 0x61, 0x74, 0x63, 0x68, 0x2d, 0x73, 0x69, 0x67, 0x6d]
        var bytes = Array(Insecure.SHA1.hash(data: namespace + Array(name.utf8)).prefix(16))
        bytes[6] = (bytes[6] & 0x0F) | 0x50
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        let hex = bytes.map { String(format: "%02x", $0) }.joined()
        let parts = [hex.prefix(8), hex.dropFirst(8).prefix(4), hex.dropFirst(12).prefix(4), hex.dropFirst(16).prefix(4), hex.dropFirst(20)]
        return parts.map(String.init).joined(separator: "-")
    }

    /// The rule as Sigma YAML. Scalars are single-quoted (YAML-safe; `*` and `?` in values are still
    /// Sigma wildcards); a field with the `exists` modifier takes the boolean as given.
    public func yaml(date: String) -> String {
        var out = "title: \(quoted(title))\nid: \(id)\nstatus: experimental\ndescription: \(quoted(description))\nreferences:\n"
        out += references.map { "    - \(quoted($0))\n" }.joined()
        out += "author: mirrorwatch\ndate: \(date)\ntags:\n" + tags.map { "    - \($0)\n" }.joined()
        out += "logsource:\n    product: \(product)\n" + (service.map { "    service: \($0)\n" } ?? "")
        out += "detection:\n"
        for (name, search) in searches {
            switch search {
            case .fields(let fields):
                out += "    \(name):\n"
                for (field, values) in fields {
                    if field.hasSuffix("|exists") { out += "        \(field): \(values.first ?? "true")\n"; continue }
                    out += values.count == 1 ? "        \(field): \(quoted(values[0]))\n" : "        \(field):\n" + values.map { "            - \(quoted($0))\n" }.joined()
                }
            case .keywords(let words):
                out += "    \(name):\n" + words.map { "        - \(quoted($0))\n" }.joined()
            }
        }
        out += "    condition: \(condition)\nfalsepositives:\n" + falsePositives.map { "    - \(quoted($0))\n" }.joined()
        out += "level: \(level)\ncustom:\n    mirrorwatch_rule: \(mirrorwatchRule)\n"
        return out
    }

    private func quoted(_ text: String) -> String { "'" + text.replacingOccurrences(of: "'", with: "''") + "'" }
}
