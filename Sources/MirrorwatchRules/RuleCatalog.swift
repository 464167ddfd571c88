import MirrorwatchModel

/// Every rule mirrorwatch knows, with what it means. Ids are a contract (DESIGN.md).
public struct RuleInfo: Sendable {
    public var id: String
    public var summary: String
    /// Severity when nothing raises or lowers it.
    public var baseSeverity: Severity
    /// Platforms it fires on.
    public var platforms: [Platform]
    /// The inputs the rule needs to fire.
    public var needs: String
    /// What it cannot see: where it stays silent even when the thing happened.
    public var blindSpots: String
}

public enum RuleCatalog {
    static let every = Platform.allCases
    static let clouds: [Platform] = [.aws, .gcp, .azure]

    public static let all: [RuleInfo] = [
        RuleInfo(id: RuleID.observed, summary: "any mirroring create/modify/delete (the audit trail)", baseSeverity: .info, platforms: every,
                 needs: "control-plane audit logs; device command logs or TACACS+ accounting; successive config snapshots",
                 blindSpots: "changes made while logging was off, or on a device whose commands are not logged (see coverage.gap)"),
        RuleInfo(id: RuleID.unapprovedDestination, summary: "mirroring sends to a destination not in approved_destinations, or a member joins the target groups of a live NLB target or the instance groups behind a GCP collector",
                 baseSeverity: .high, platforms: every,
                 needs: "audit logs or snapshots; approved_destinations; for NLB members, Elastic Load Balancing calls in CloudTrail and describe-target-groups or -listeners",
                 blindSpots: "a destination that is approved but compromised; an AWS target whose NLB or ENI is not described in the inputs is judged by its target id only; NLB members registered before the logs read, or in a group not yet known to feed the NLB; the appliances behind a Gateway Load Balancer endpoint whose service configuration was not read"),
        RuleInfo(id: RuleID.externalDestination, summary: "destination owned outside the organization or a non-internal IP", baseSeverity: .high, platforms: every,
                 needs: "organization accounts, projects, subscriptions or internal_cidrs; target facts",
                 blindSpots: "an outside destination reached through an internal address (a peered VPC, a VPN); an account the policy wrongly lists as ours"),
        RuleInfo(id: RuleID.sensitiveSource, summary: "mirroring copies traffic from a sensitive segment", baseSeverity: .medium, platforms: every,
                 needs: "sensitive_segments; interface facts (describe-network-interfaces, instance lists) for subnet, CIDR and tag matching",
                 blindSpots: "an interface whose subnet, address or tags are not in the inputs and whose id is not listed"),
        RuleInfo(id: RuleID.repointed, summary: "an existing session changes destination or filter, an approved session's traffic is taken by one that goes before it (AWS session number, GCP priority), or its packets are truncated", baseSeverity: .high, platforms: every,
                 needs: "audit logs (or successive snapshots for devices)",
                 blindSpots: "a re-pointing in a window without logs: only the snapshot diff or baseline.drift shows it; a GCP policy on a subnet taking an approved policy's instance inside it (overlap is by the same name)"),
        RuleInfo(id: RuleID.broadFilter, summary: "a filter copies all traffic (any CIDR, all protocols)", baseSeverity: .medium, platforms: clouds,
                 needs: "audit logs or filter snapshots", blindSpots: "device SPAN sessions (they copy whole ports or VLANs: no filter to judge)"),
        RuleInfo(id: RuleID.unauthorizedActor, summary: "the actor is not in authorized_identities", baseSeverity: .medium, platforms: every,
                 needs: "audit logs; authorized_identities", blindSpots: "an authorized identity that was stolen (see the identity flags: first-seen, new address, no MFA)"),
        RuleInfo(id: RuleID.noTicket, summary: "no approved change ticket matches the change", baseSeverity: .low, platforms: every,
                 needs: "ticket export; change_control.require_ticket", blindSpots: "a ticket that names the resource but was raised for other work"),
        RuleInfo(id: RuleID.transient, summary: "created and deleted again within transient_window", baseSeverity: .high, platforms: every,
                 needs: "audit logs covering both calls", blindSpots: "a creation and deletion split across inputs that are not read together"),
        RuleInfo(id: RuleID.denied, summary: "failed or dry-run mirroring calls (probing)", baseSeverity: .medium, platforms: clouds,
                 needs: "audit logs", blindSpots: "devices: a command rejected by TACACS+ authorization is not read"),
        RuleInfo(id: RuleID.unapprovedFlow, summary: "flow telemetry shows mirror encapsulation (VXLAN/GENEVE/GRE) to an unapproved address, or an unapproved mirror destination sending traffic out", baseSeverity: .high, platforms: every,
                 needs: "flow logs or NetFlow exports; internal_cidrs", blindSpots: "encapsulation on ports other than flows.vxlan_ports/geneve_ports; sampled NetFlow may miss short sessions"),
        RuleInfo(id: RuleID.expiredException, summary: "an exception past its expiry still matches something", baseSeverity: .medium, platforms: every,
                 needs: "policy exceptions", blindSpots: "exceptions that match nothing (listed on stderr as possibly stale)"),
        RuleInfo(id: RuleID.drift, summary: "live state differs from the approved baseline", baseSeverity: .medium, platforms: every,
                 needs: "snapshots or audit logs; approved_sessions", blindSpots: "Azure approved sessions missing from a NIC list (NIC lists are often filtered): only a logged deletion counts"),
        RuleInfo(id: RuleID.coverageGap, summary: "a known scope has no telemetry, a region or device is unseen, a config snapshot is stale, retention is short, a device changed configuration with no command-level log, or a dated session list shows a deletion or re-creation the logs do not", baseSeverity: .medium, platforms: every,
                 needs: "any telemetry; organization scopes; device syslog; logging configuration exports",
                 blindSpots: "a platform with no input at all (listed in the coverage matrix, not reported as findings)"),
        RuleInfo(id: RuleID.accessExcessive, summary: "a principal can configure mirroring but is not in authorized_identities", baseSeverity: .medium, platforms: every,
                 needs: "IAM exports (AWS authorization details and SCPs, GCP IAM policies, roles and deny policies, Azure role definitions and assignments); device configurations; authorized_identities",
                 blindSpots: "group membership, SCP attachments not exported, AAA-authenticated device users, PIM-eligible Azure assignments"),
        RuleInfo(id: RuleID.loggingTampered, summary: "audit logging stopped or narrowed (CloudTrail trail, GCP sink or exclusion, Azure diagnostic setting, device logging or accounting)", baseSeverity: .high, platforms: every,
                 needs: "control-plane audit logs or device command logs", blindSpots: "logging turned off by someone whose own actions are not logged (an organization trail deleted from the management account)"),
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
