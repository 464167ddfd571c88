import MirrorwatchModel

/// An identity as people write it in a policy: an ARN, e-mail or user name, with `*` wildcards.
///
/// A role ARN covers every session of that role: `arn:aws:iam::111122223333:role/NetworkAdmin`
/// matches `arn:aws:sts::111122223333:assumed-role/NetworkAdmin/alice` and the session's issuer,
/// whatever path the role has. Comparison ignores case.
public struct IdentityPattern: Sendable, Hashable, CustomStringConvertible {
    public var text: String
    /// The pattern, and for a role ARN with a path the same ARN without it (a session ARN
    /// names the role without its path).
    private let spellings: [[Character]]

    public init(_ text: String) {
        self.text = text
        let lowered = text.lowercased()
        spellings = [Array(lowered)] + (Self.roleArnWithoutPath(lowered).map { [Array($0)] } ?? [])
    }

    public var description: String { text }

    /// Whether any name the actor is known by matches.
    public func matches(_ actor: Actor) -> Bool {
        Self.candidates(for: actor).contains { matches($0) }
    }

    /// Whether `name` matches the pattern.
    public func matches(_ name: String) -> Bool {
        let text = Array(name.lowercased())
        return spellings.contains { Self.glob($0[...], text[...]) }
    }

    /// All spellings of the actor: its names, the role behind an assumed-role session, and
    /// role ARNs without their path.
    public static func candidates(for actor: Actor) -> [String] {
        var names = actor.identities
        for name in actor.identities {
            if let role = roleArn(fromAssumedRole: name) { names.append(role) }
            if let bare = roleArnWithoutPath(name) { names.append(bare) }
        }
        return names
    }

    /// `arn:aws:sts::A:assumed-role/R/session` → `arn:aws:iam::A:role/R`.
    static func roleArn(fromAssumedRole arn: String) -> String? {
        let parts = arn.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        guard parts.count == 6, parts[2] == "sts", parts[5].hasPrefix("assumed-role/") else { return nil }
        let path = parts[5].split(separator: "/")
        guard path.count >= 2 else { return nil }
        return "arn:\(parts[1]):iam::\(parts[4]):role/\(path[1])"
    }

    /// `arn:aws:iam::A:role/some/path/R` → `arn:aws:iam::A:role/R`.
    static func roleArnWithoutPath(_ arn: String) -> String? {
        let parts = arn.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        guard parts.count == 6, parts[2] == "iam", parts[5].hasPrefix("role/") else { return nil }
        let path = parts[5].split(separator: "/")
        guard path.count > 2, let last = path.last else { return nil }
        return "arn:\(parts[1]):iam::\(parts[4]):role/\(last)"
    }

    static func glob(_ pattern: ArraySlice<Character>, _ text: ArraySlice<Character>) -> Bool {
        Wildcard.glob(pattern, text)
    }
}
