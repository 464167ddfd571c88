import MirrorwatchModel

/// Every rule mirrorwatch knows, with what it means. Ids are a contract (DESIGN.md).
public struct RuleInfo: Sendable {
    public var id: String
    public var summary: String
    /// Severity when nothing raises or lowers it.
    public var baseSeverity: Severity
    /// The inputs the rule needs to fire.
    public var needs: String
}

public enum RuleCatalog {
    public static let all: [RuleInfo] = [
        RuleInfo(id: RuleID.observed, summary: "any mirroring create/modify/delete (the audit trail)", baseSeverity: .info, needs: "control-plane audit logs"),
        RuleInfo(id: RuleID.unapprovedDestination, summary: "mirroring sends to a destination not in approved_destinations", baseSeverity: .high, needs: "audit logs or snapshots; approved_destinations"),
        RuleInfo(id: RuleID.externalDestination, summary: "destination owned outside the organization or a non-internal IP", baseSeverity: .high, needs: "organization accounts or internal_cidrs; target facts"),
        RuleInfo(id: RuleID.sensitiveSource, summary: "mirroring copies traffic from a sensitive segment", baseSeverity: .medium, needs: "sensitive_segments; interface facts for subnet/CIDR/tag matching"),
        RuleInfo(id: RuleID.repointed, summary: "an existing session changes destination or filter", baseSeverity: .high, needs: "audit logs"),
        RuleInfo(id: RuleID.broadFilter, summary: "a filter copies all traffic (any CIDR, all protocols)", baseSeverity: .medium, needs: "audit logs or filter snapshots"),
        RuleInfo(id: RuleID.unauthorizedActor, summary: "the actor is not in authorized_identities", baseSeverity: .medium, needs: "audit logs; authorized_identities"),
        RuleInfo(id: RuleID.noTicket, summary: "no approved change ticket matches the change", baseSeverity: .low, needs: "ticket export; change_control.require_ticket"),
        RuleInfo(id: RuleID.transient, summary: "created and deleted again within transient_window", baseSeverity: .high, needs: "audit logs covering both calls"),
        RuleInfo(id: RuleID.denied, summary: "failed or dry-run mirroring calls (probing)", baseSeverity: .medium, needs: "audit logs"),
        RuleInfo(id: RuleID.unapprovedFlow, summary: "flow telemetry shows mirror encapsulation (VXLAN/GENEVE/GRE) to an unapproved address, or an unapproved mirror destination sending traffic out", baseSeverity: .high, needs: "flow logs or NetFlow exports; internal_cidrs"),
        RuleInfo(id: RuleID.expiredException, summary: "an exception past its expiry still matches something", baseSeverity: .medium, needs: "policy exceptions"),
        RuleInfo(id: RuleID.drift, summary: "live state differs from the approved baseline", baseSeverity: .medium, needs: "snapshots or audit logs; approved_sessions"),
        RuleInfo(id: RuleID.coverageGap, summary: "a known scope has no telemetry, a region or device is unseen, a config snapshot is stale, retention is short, or a device changed configuration with no command-level log", baseSeverity: .medium, needs: "any telemetry; organization scopes; device syslog; logging configuration exports"),
        RuleInfo(id: RuleID.accessExcessive, summary: "a principal can configure mirroring but is not in authorized_identities", baseSeverity: .medium, needs: "IAM exports (AWS authorization details, GCP IAM policies and roles, Azure role definitions and assignments); authorized_identities"),
        RuleInfo(id: RuleID.loggingTampered, summary: "audit logging stopped or narrowed (CloudTrail trail, GCP sink or exclusion, Azure diagnostic setting, device logging or accounting)", baseSeverity: .high, needs: "control-plane audit logs or device command logs"),
    ]
}

/// Rule ids as constants, so a typo is a compile error.
public enum RuleID {
    public static let observed = "mirror.change.observed"
    public static let unapprovedDestination = "mirror.destination.unapproved"
    public static let externalDestination = "mirror.destination.external"
    public static let sensitiveSource = "mirror.source.sensitive"
    public static let repointed = "mirror.session.repointed"
    public static let broadFilter = "mirror.filter.broad"
    public static let unauthorizedActor = "mirror.change.unauthorized-actor"
    public static let noTicket = "mirror.change.no-ticket"
    public static let transient = "mirror.change.transient"
    public static let denied = "mirror.change.denied"
    public static let unapprovedFlow = "mirror.traffic.unapproved-flow"
    public static let expiredException = "mirror.exception.expired"
    public static let drift = "baseline.drift"
    public static let coverageGap = "coverage.gap"
    public static let loggingTampered = "coverage.logging-tampered"
    public static let accessExcessive = "access.excessive"
}
