import MirrorwatchModel

/// An identity as people write it in a policy: an ARN, e-mail or user name, with `*` wildcards.
///
/// A role ARN covers every session of that role: `arn:aws:iam::111122223333:role/NetworkAdmin`
/// matches `arn:aws:sts::111122223333:assumed-role/NetworkAdmin/alice` and the session's issuer.
/// A role ARN written without a path covers the role whatever its path; one written with a path
/// covers only a role at that path (a role named alike at another path is another role: anyone
/// allowed to create roles could make `/AWSReservedSSO_NetworkAdmin_x`), and a session whose
/// issuer is not known (its ARN does not carry the path) only by its role's name. Comparison
/// ignores case.
public struct IdentityPattern: Sendable, Hashable, CustomStringConvertible {
    public var text: String
    private let pattern: [Character]
    /// For a role ARN with a path: the same ARN without it.
    private let pathless: [Character]?

    public init(_ text: String) {
        self.text = text
        let lowered = text.lowercased()
        pattern = Array(lowered)
        pathless = Self.roleArnWithoutPath(lowered).map(Array.init)
    }

    public var description: String { text }

    /// Whether any name the actor is known by matches.
    public func matches(_ actor: Actor) -> Bool {
        if actor.identities.contains(where: { matchesAsWritten($0) }) { return true }
        if pathless == nil {
            return Self.candidates(for: actor).contains { matchesAsWritten($0) }
        }
        // A pattern with a path: a session's role is known only by name when its issuer is not.
        guard actor.sessionIssuer == nil, let pathless else { return false }
        return actor.identities.compactMap(Self.roleArn(fromAssumedRole:)).contains { Self.glob(pathless[...], Array($0.lowercased())[...]) }
    }

    /// Whether `name` matches the pattern (a session ARN counts as its role, by name only when
    /// the pattern has a path).
    public func matches(_ name: String) -> Bool {
        if matchesAsWritten(name) { return true }
        if let pathless {
            return Self.roleArn(fromAssumedRole: name).map { Self.glob(pathless[...], Array($0.lowercased())[...]) } ?? false
        }
        return [Self.roleArn(fromAssumedRole: name), Self.roleArnWithoutPath(name)].compactMap { $0 }.contains { matchesAsWritten($0) }
    }

    private func matchesAsWritten(_ name: String) -> Bool { Self.glob(pattern[...], Array(name.lowercased())[...]) }

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
