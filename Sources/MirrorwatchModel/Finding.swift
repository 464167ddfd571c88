import Foundation

/// The change a finding is about, in contract form.
public struct ChangeSummary: Sendable, Hashable {
    public var operation: String
    public var action: ChangeAction
    public var resource: String?
    /// `success` or `failure` (the contract's two values; the provider's code is in `error`).
    public var outcome: String
    /// The provider's error code of a failed call (`Client.UnauthorizedOperation`, `PERMISSION_DENIED`).
    public var error: String?

    public init(operation: String, action: ChangeAction, resource: String?, outcome: String, error: String? = nil) {
        self.operation = operation
        self.action = action
        self.resource = resource
        self.outcome = outcome
        self.error = error
    }

    /// The summary of a call with `outcome`.
    public init(operation: String, action: ChangeAction, resource: String?, outcome: Outcome) {
        self.init(operation: operation, action: action, resource: resource, outcome: outcome.succeeded ? "success" : "failure",
                  error: outcome.succeeded ? nil : outcome.errorCode ?? "error")
    }
}

/// Where copied traffic comes from, with the sensitive segment it belongs to.
public struct FindingSource: Sendable, Hashable {
    public var endpoint: Endpoint
    public var segment: String?
    public init(endpoint: Endpoint, segment: String?) { self.endpoint = endpoint; self.segment = segment }
}

/// Where copied traffic goes, and whether the policy approves it.
public struct FindingDestination: Sendable, Hashable {
    public var endpoint: Endpoint
    public var approved: Bool
    /// Name of the approved destination entry that matched.
    public var approvedAs: String?
    public init(endpoint: Endpoint, approved: Bool, approvedAs: String? = nil) {
        self.endpoint = endpoint
        self.approved = approved
        self.approvedAs = approvedAs
    }
}

/// One explained finding: what rule fired, why, on which evidence, and what would make it benign.
public struct Finding: Sendable {
    public var id: String
    public var rule: String
    public var severity: Severity
    /// Severity before an exception downgraded it.
    public var originalSeverity: Severity?
    public var title: String
    public var why: String
    /// What would make this finding benign (for the analyst deciding what to do).
    public var benignIf: String
    public var platform: Platform
    public var time: Date
    public var scope: Scope
    public var actor: Actor?
    public var change: ChangeSummary?
    public var source: FindingSource?
    public var destination: FindingDestination?
    public var ticket: String?
    public var exception: String?
    public var evidence: [Evidence]
    public var attack: [String]
    /// The subject used for the stable id (a resource id, exception id, ...).
    public var subject: String
    /// Ids of the resources involved (session, filter, target, sources), for exception matching.
    public var resourceRefs: [String] = []
    /// Ids and addresses the destination is known by (target id, ENI, NLB ARN, IP), for exception matching.
    public var destinationRefs: [String] = []
    /// The change this finding is about (its key and record), so that findings on one change can be read as one.
    public var changeKey: String?
    /// Identity, tool, ticket and flow context.
    public var context = FindingContext()

    public init(rule: String, severity: Severity, title: String, why: String, benignIf: String, platform: Platform, time: Date,
                scope: Scope, subject: String, actor: Actor? = nil, change: ChangeSummary? = nil, source: FindingSource? = nil,
                destination: FindingDestination? = nil, ticket: String? = nil, exception: String? = nil,
                evidence: [Evidence], attack: [String] = ["T1020.001"]) {
        self.rule = rule
        self.severity = severity
        self.title = title
        self.why = why
        self.benignIf = benignIf
        self.platform = platform
        self.time = time
        self.scope = scope
        self.subject = subject
        self.actor = actor
        self.change = change
        self.source = source
        self.destination = destination
        self.ticket = ticket
        self.exception = exception
        self.evidence = evidence
        self.attack = attack
        self.id = Finding.stableId(rule: rule, subject: subject, time: time)
    }

    /// Gives a finding about standing state (who can configure mirroring, how logging is configured)
    /// an id from rule and subject only: the same state found at another time is the same finding.
    public mutating func makeIdTimeless() {
        id = Finding.stableId(rule: rule, subject: subject, time: Date(timeIntervalSince1970: 0))
    }

    /// FNV-1a over rule, subject and the hour the finding falls in: the same finding read twice
    /// (or by two replicas) gets the same id.
    public static func stableId(rule: String, subject: String, time: Date) -> String {
        let bucket = Int(time.timeIntervalSince1970 / 3600)
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in "\(rule)|\(subject)|\(bucket)".utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return "mw-" + String(repeating: "0", count: 16 - hex.count) + hex
    }
}
