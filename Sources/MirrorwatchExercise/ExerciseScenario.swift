import Mirrorwatch

/// One readiness scenario: records in a platform's native formats, and what mirrorwatch must
/// (attack) or must not (benign) say about them.
public struct ExerciseScenario: Sendable {
    public enum Kind: String, Sendable { case attack, benign }

    /// `aws.sensitive-to-external`: platform and scenario name.
    public var id: String
    public var platform: Platform
    public var kind: Kind
    public var title: String
    /// Rules that must fire (attack).
    public var expectedRules: [String]
    /// Context flags that must be set on some finding (`tool-imitation`).
    public var expectedFlags: [String]
    /// Files relative to the scenario's folder, in native formats.
    public var files: [String: String]

    public init(id: String, platform: Platform, kind: Kind, title: String, expectedRules: [String] = [], expectedFlags: [String] = [],
                files: [String: String]) {
        self.id = id
        self.platform = platform
        self.kind = kind
        self.title = title
        self.expectedRules = expectedRules
        self.expectedFlags = expectedFlags
        self.files = files
    }
}

/// A deterministic pseudo-random sequence (SplitMix64): the same seed writes the same exercise.
public struct ExerciseRandom: Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed &+ 0x9E37_79B9_7F4A_7C15 }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A number in `0..<bound`.
    public mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(max(1, bound))) }

    public mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }

    /// A version-4-shaped UUID from the sequence.
    public mutating func uuid() -> String {
        let a = next(), b = next()
        let hex = String(format: "%016llx%016llx", a, b)
        let chars = Array(hex)
        return String(chars[0..<8]) + "-" + String(chars[8..<12]) + "-4" + String(chars[13..<16]) + "-8" + String(chars[17..<20]) + "-" + String(chars[20..<32])
    }

    /// A stable seed for a name (FNV-1a), so a scenario's background does not depend on which others run.
    public static func seed(_ base: UInt64, _ name: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325 ^ base
        for byte in name.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return hash
    }
}
