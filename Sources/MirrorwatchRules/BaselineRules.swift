import MirrorwatchModel
import MirrorwatchPolicy
import MirrorwatchState

/// `baseline.drift`: the live sessions against `approved_sessions` — unexpected, changed, or gone.
enum BaselineRules {
    /// Whether a session list read for `scope` would include the approved session `entry`.
    static func covers(_ scope: Scope, _ entry: ApprovedSession) -> Bool {
        let account = entry.account.map { scope.account?.caseInsensitiveCompare($0) == .orderedSame } ?? true
        let region = entry.region.map { scope.region == nil || scope.region == $0 } ?? true
        return account && region
    }

    static func evaluate(graph: MirrorGraph, assessor: Assessor, context: RuleContext) -> [Finding] {
        guard let approved = context.policy.approvedSessions else { return [] }
        var findings: [Finding] = []
        let byId = Dictionary(approved.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        for session in graph.sessions.values.sorted(by: { $0.id < $1.id }) {
            let a = assessor.assess(session: session, graph: graph)
            guard let entry = byId[session.id] else {
                findings.append(FindingFactory.make(
                    RuleID.drift, a.destinationUnapproved || a.destinationExternal ? .high : .medium,
                    title: "Unexpected live session \(session.id)",
                    why: Narrative.liveSession(a) + " It is not in the approved baseline (approved_sessions).",
                    benignIf: "The session is sanctioned: add it to approved_sessions (mirrorwatch baseline learn drafts the entry).",
                    assessment: a, context: context, subject: session.id + "|unexpected"))
                continue
            }
            var differences: [String] = []
            if let target = entry.target, target != session.targetRef { differences.append("target \(session.targetRef ?? "none") instead of \(target)") }
            if let filter = entry.filter, filter != session.filterRef { differences.append("filter \(session.filterRef ?? "none") instead of \(filter)") }
            if let source = entry.source, !session.sources.contains(where: { $0.id == source }) {
                differences.append("source \(session.sources.map(\.id).joined(separator: ",")) instead of \(source)")
            }
            if !differences.isEmpty {
                findings.append(FindingFactory.make(
                    RuleID.drift, .high,
                    title: "Approved session \(session.id) differs from the baseline",
                    why: Narrative.liveSession(a) + " The baseline (\(entry.location)) approves it, but it now has " + differences.joined(separator: "; ") + ".",
                    benignIf: "The change was approved: update approved_sessions.",
                    assessment: a, context: context, subject: session.id + "|modified"))
            }
        }
        for entry in approved where graph.sessions[entry.id] == nil {
            if let deletion = graph.deletedSessions[entry.id] {
                // Who removed it, when, from which record.
                var finding = Finding(
                    rule: RuleID.drift, severity: .medium, title: "Approved session \(entry.id) is missing",
                    why: "The baseline (\(entry.location)) approves session \(entry.id) (owner \(entry.owner)), but \(Narrative.actor(deletion.actor)) deleted it at \(Narrative.when(deletion.time)): monitoring that relied on it is blind.",
                    benignIf: "The session was retired on purpose: remove it from approved_sessions.",
                    platform: deletion.platform, time: deletion.time, scope: deletion.scope, subject: entry.id + "|missing",
                    actor: deletion.actor,
                    change: ChangeSummary(operation: deletion.operation, action: deletion.action, resource: entry.id, outcome: "success"),
                    evidence: [deletion.evidence, Evidence(input: context.policy.origin, line: Int(entry.location.split(separator: ":").last ?? ""))])
                finding.resourceRefs = [entry.id]
                findings.append(finding)
                continue
            }
            // Absent: only meaningful when a session list of the entry's scope was read.
            guard let listed = graph.snapshotScopes.sorted().first(where: { covers($0, entry) }) else { continue }
            var finding = Finding(
                rule: RuleID.drift, severity: .medium, title: "Approved session \(entry.id) is missing",
                why: "The baseline (\(entry.location)) approves session \(entry.id) (owner \(entry.owner)), but it is absent from the session list read for \(listed.display): monitoring that relied on it is blind.",
                benignIf: "The session was retired on purpose: remove it from approved_sessions.",
                platform: .aws, time: context.observationTime, scope: listed, subject: entry.id + "|missing",
                evidence: [Evidence(input: context.policy.origin, line: Int(entry.location.split(separator: ":").last ?? ""))])
            finding.resourceRefs = [entry.id]
            findings.append(finding)
        }
        return findings
    }
}
