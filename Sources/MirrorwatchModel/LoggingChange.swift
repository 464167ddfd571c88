import Foundation

/// A change to the audit logging of a cloud scope: a CloudTrail trail stopped, deleted or narrowed,
/// a GCP log sink or exclusion changed, an Azure diagnostic setting removed. Attackers blind the
/// logs before they set up mirroring; coverage rules report these.
public struct LoggingChange: Sendable {
    /// How much it blinds: `.stops` switches logging off or deletes it, `.narrows` may drop records.
    public enum Effect: String, Sendable { case stops, narrows }

    public var platform: Platform
    public var scope: Scope
    public var time: Date
    public var actor: Actor?
    public var operation: String
    /// The trail, sink, exclusion or setting changed.
    public var resource: String?
    public var effect: Effect
    public var outcome: Outcome
    /// What it does, in words (`stops logging of trail management-events`).
    public var detail: String
    public var evidence: Evidence
    /// The native event id: the same record read twice counts once.
    public var eventId: String?

    public init(platform: Platform, scope: Scope, time: Date, actor: Actor?, operation: String, resource: String?, effect: Effect,
                outcome: Outcome, detail: String, evidence: Evidence) {
        self.platform = platform
        self.scope = scope
        self.time = time
        self.actor = actor
        self.operation = operation
        self.resource = resource
        self.effect = effect
        self.outcome = outcome
        self.detail = detail
        self.evidence = evidence
    }
}
