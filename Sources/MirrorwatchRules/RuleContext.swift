import Foundation
import MirrorwatchModel
import MirrorwatchPolicy

/// What rules may consult besides the assessment itself.
public struct RuleContext: Sendable {
    public var policy: Policy
    /// Time given to findings about live state (snapshots carry no time of their own).
    public var observationTime: Date
    /// "Now", for exception expiry.
    public var now: Date

    public init(policy: Policy, observationTime: Date, now: Date) {
        self.policy = policy
        self.observationTime = observationTime
        self.now = now
    }
}
