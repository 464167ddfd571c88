import MirrorwatchModel
import MirrorwatchState

/// `mirror.session.repointed`: an existing session gets a new destination or filter, or its
/// filter's rules change under it.
enum SessionRules {
    static func evaluate(_ a: Assessment, _ context: RuleContext) -> [Finding] {
        guard let change = a.change, change.outcome.succeeded, change.action == .modify || change.resourceKind == .filterRule else { return [] }
        switch change.resourceKind {
        case let kind where kind.isSessionLike:
            return sessionChanged(change, a, context)
        case .target, .tap:
            return targetChanged(change, a, context)
        case .filter, .filterRule:
            return filterChanged(change, a, context)
        default:
            return []
        }
    }

    static func sessionChanged(_ change: MirrorChange, _ a: Assessment, _ context: RuleContext) -> [Finding] {
        let before = a.applied.sessionBefore
        var findings: [Finding] = []
        // A snapshot may have been taken after this change and already show its result, so a
        // snapshot-only "before" does not prove the target was unchanged.
        let beforeKnown = before.map { !$0.fromSnapshot || ($0.snapshotTakenAt.map { $0 <= change.time } ?? false) } ?? false
        // Where the copy goes: a target (AWS, Azure) or a destination named inline (a GCP collector).
        let newTarget = change.spec.targetRef ?? change.spec.destination?.id
        let oldTarget = change.spec.targetRef != nil ? before?.targetRef : before?.inlineDestination?.id
        // A session being built gets its first destination: that is not re-pointing.
        if let newTarget, !beforeKnown || oldTarget.map({ $0 != newTarget }) == true {
            let severity = repointSeverity(a)
            let old = beforeKnown ? oldTarget.map { "from \($0)" } ?? "from no target" : "from a target not seen in the inputs"
            findings.append(FindingFactory.make(
                RuleID.repointed, severity,
                title: "Session \(ResourceRef.shortName(of: change.resourceId ?? "?")) re-pointed to \(ResourceRef.shortName(of: newTarget))",
                why: Narrative.change(a) + " The session was re-pointed \(old) to \(newTarget): an approved session quietly sending its copy elsewhere is a classic way to hide exfiltration.",
                benignIf: "The new target is an approved sensor replacing the old one, under a change ticket.",
                assessment: a, context: context, subject: change.key + "|target"))
        }
        if let truncated = truncation(change, a, beforeKnown: beforeKnown, context) { findings.append(truncated) }
        if let newFilter = change.spec.filterRef, newFilter != before?.filterRef || !beforeKnown {
            findings.append(FindingFactory.make(
                RuleID.repointed, a.fullyAuthorized ? .low : .medium,
                title: "Session \(ResourceRef.shortName(of: change.resourceId ?? "?")) now uses filter \(newFilter)",
                why: Narrative.change(a) + " The session's filter changed from \(beforeKnown ? before?.filterRef ?? "no filter" : "a filter not seen in the inputs") to \(newFilter), which changes what traffic is copied.",
                benignIf: "The filter change is part of approved tuning of the sensor, under a ticket.",
                assessment: a, context: context, subject: change.key + "|filter"))
        }
        return findings
    }

    /// Below this many bytes a copied packet is little more than its headers (Ethernet, IP and TCP
    /// with options take up to ~120): a sensor sees who talks, not what is said.
    static let headersOnly = 200

    /// A session to an approved sensor now copies only the first bytes of each packet (AWS
    /// `PacketLength`): the sensor is blinded to payloads (IDS signatures, DLP, file extraction)
    /// while the session, its target and its filter stay as approved.
    static func truncation(_ change: MirrorChange, _ a: Assessment, beforeKnown: Bool, _ context: RuleContext) -> Finding? {
        guard let length = MirrorGraph.truncation(change.spec.packetLength), a.destination?.isApproved == true else { return nil }
        let before = a.applied.sessionBefore?.packetLength
        guard !beforeKnown || before.map({ length < $0 }) ?? true else { return nil }
        let severity: Severity = length < headersOnly ? (a.fullyAuthorized ? .low : .high) : (a.fullyAuthorized ? .info : .medium)
        return FindingFactory.make(
            RuleID.repointed, severity,
            title: "Session \(ResourceRef.shortName(of: change.resourceId ?? "?")) now copies only the first \(length) bytes of each packet",
            why: Narrative.change(a) + " It set the packet length to \(length) bytes (before: \(beforeKnown ? before.map { "\($0) bytes" } ?? "whole packets" : "not seen in the inputs")): "
                + "the approved sensor behind it \(length < headersOnly ? "now sees little more than headers" : "no longer sees whole packets"), so payload inspection (IDS signatures, DLP, file extraction) goes blind while the session still looks approved.",
            benignIf: "Truncation is an approved sensor setting (flow analytics need headers only), under a change ticket.",
            assessment: a, context: context, subject: change.key + "|packet-length")
    }

    /// Where the copy now goes decides: unapproved or external is high (critical from a sensitive
    /// source); otherwise low when everything is authorized, medium when something is not.
    static func repointSeverity(_ a: Assessment) -> Severity {
        if a.destinationUnapproved || a.destinationExternal { return a.sensitiveSegments.isEmpty ? .high : .critical }
        return a.fullyAuthorized ? .low : .medium
    }

    /// Whether a change moved a target to another destination.
    static func targetMoved(_ applied: AppliedChange) -> Bool {
        guard let after = applied.targetAfter?.destination else { return false }
        return applied.targetBefore.map { $0.destination?.id.lowercased() != after.id.lowercased() } ?? false
    }

    /// A target (an Azure TAP, a collector) now sends elsewhere: every session behind it follows.
    static func targetChanged(_ change: MirrorChange, _ a: Assessment, _ context: RuleContext) -> [Finding] {
        guard targetMoved(a.applied), !a.applied.affectedSessions.isEmpty, let after = a.applied.targetAfter?.destination else { return [] }
        let old = a.applied.targetBefore?.destination?.id ?? "?"
        let severity = repointSeverity(a)
        let sessions = a.applied.affectedSessions
        let sources = Array(Set(sessions.flatMap(\.sources).map(\.id))).sorted()
        return [FindingFactory.make(
            RuleID.repointed, severity,
            title: "\(change.resourceKind == .tap ? "TAP" : "Target") \(ResourceRef.shortName(of: change.resourceId ?? "?")) re-pointed: \(sessions.count) source(s) now copied to \(ResourceRef.shortName(of: after.id))",
            why: Narrative.change(a) + " It now sends to \(after.id) instead of \(old). Every source attached to it follows: "
                + sources.joined(separator: ", ") + " (through \(sessions.map(\.id).joined(separator: ", "))). Copied to \(Narrative.destination(a.destination)).",
            benignIf: "The new destination is an approved sensor replacing the old one, under a change ticket.",
            assessment: a, context: context, subject: change.key + "|target-moved")]
    }

    static func filterChanged(_ change: MirrorChange, _ a: Assessment, _ context: RuleContext) -> [Finding] {
        let affected = a.applied.affectedSessions
        guard !affected.isEmpty else { return [] }
        let filterId = change.resourceKind == .filter ? change.resourceId : (change.parentId ?? a.applied.filterAfter?.id)
        let becameCatchAll = (a.applied.filterAfter?.catchAllDirections.count ?? 0) > (a.applied.filterBefore?.catchAllDirections.count ?? 0)
        // What the affected sessions copy, and to where, weighs as much as the filter change itself.
        let risky = a.affected.filter { $0.destinationUnapproved || $0.destinationExternal }
        let severity: Severity
        if !risky.isEmpty { severity = risky.contains { !$0.sensitiveSegments.isEmpty } ? .critical : .high }
        else if becameCatchAll { severity = .high }
        else { severity = a.actorAuthorized == false || a.ticket.missing ? .medium : .low }
        let names = affected.map { ResourceRef.shortName(of: $0.id) }.joined(separator: ", ")
        let copies = a.affected.compactMap { $0.session == nil ? nil : Narrative.liveSession($0) }.joined(separator: " ")
        // A session that goes before an approved one on its interface (AWS): what its filter now
        // takes, the approved sensor no longer gets.
        let ahead = a.affected.compactMap { affected -> String? in
            let mine = affected.destination?.endpoint.id.lowercased()
            let starved = affected.outranked.filter { $0.destination?.isApproved == true && $0.destination?.endpoint.id.lowercased() != mine }
            guard let session = affected.session, !starved.isEmpty else { return nil }
            return "\(session.id) goes before approved \(SessionOrderRules.describe(starved)) on a shared interface: what its filter now takes, that sensor no longer gets."
        }
        return [FindingFactory.make(
            RuleID.repointed, severity,
            title: "Filter \(filterId ?? "?") of live session(s) \(names) changed",
            why: "\(Narrative.actor(change.actor)) called \(change.operation) at \(Narrative.when(change.time)) on filter \(filterId ?? "?"), which live session(s) \(names) use: what they copy changed\(becameCatchAll ? ", and the filter now copies everything in another direction" : ""). \(copies)"
                + (ahead.isEmpty ? "" : " " + SessionOrderRules.rule(.aws) + " " + ahead.joined(separator: " ")),
            benignIf: "The rule change is approved sensor tuning under a ticket.",
            assessment: a, context: context, subject: change.key + "|filter-rules")]
    }
}
