import MirrorwatchModel

/// Turns the findings of one change into one finding: the most important rule leads, the
/// severity is the highest any rule (after context, flows and exceptions) gave, and the `why`
/// is one paragraph that says everything: the change, each concern, the actor, the ticket,
/// the tool and the flows. `context.rules` lists every rule that fired, so nothing is lost.
public enum ChangeCorrelator {
    /// Rules in the order an analyst wants to read them.
    static let priority: [String] = [
        RuleID.unapprovedFlow, RuleID.externalDestination, RuleID.unapprovedDestination, RuleID.repointed, RuleID.sensitiveSource,
        RuleID.transient, RuleID.unauthorizedActor, RuleID.broadFilter, RuleID.noTicket, RuleID.denied, RuleID.drift, RuleID.observed,
    ]

    static func rank(_ rule: String) -> Int { priority.firstIndex(of: rule) ?? priority.count }

    public static func correlate(_ findings: [Finding]) -> [Finding] {
        var groups: [String: [Int]] = [:]
        for (index, finding) in findings.enumerated() {
            if let key = finding.changeKey { groups[key, default: []].append(index) }
        }
        var emitted = Set<String>()
        var result: [Finding] = []
        for finding in findings {
            guard let key = finding.changeKey, let members = groups[key], members.count > 1 else {
                result.append(finding)
                continue
            }
            guard emitted.insert(key).inserted else { continue }
            result.append(merge(members.map { findings[$0] }))
        }
        return result
    }

    static func merge(_ group: [Finding]) -> Finding {
        let ordered = group.sorted { ($1.severity, rank($0.rule)) < ($0.severity, rank($1.rule)) }
        var lead = ordered[0]
        let others = ordered.dropFirst().filter { $0.rule != RuleID.observed }
        var why = lead.why
        for other in others {
            let sentence = concern(other)
            if !why.contains(sentence) { why += " " + sentence }
        }
        if !lead.context.identityChain.isEmpty, !why.contains("traces back") {
            why += " The actor traces back to " + lead.context.identityChain.joined(separator: " ← ") + "."
        }
        let flags = Array(Set(group.flatMap(\.context.flags))).sorted()
        let actorFlags = flags.filter { !["flow-confirmed", "known-tool", "tool-imitation"].contains($0) }
        if !actorFlags.isEmpty { why += " Actor flags: \(actorFlags.joined(separator: ", "))." }
        if let note = lead.context.ticketNote, !why.contains(note) {
            why += lead.ticket != nil ? " Change ticket: \(note)." : " No change ticket: \(note)."
        }
        if let tool = lead.context.tool, !why.contains(tool) { why += " Recognized tool: \(tool)." }
        lead.why = why
        var benign: [String] = []
        for finding in [lead] + others where !benign.contains(finding.benignIf) { benign.append(finding.benignIf) }
        lead.benignIf = benign.joined(separator: " ")
        var seen = Set<Evidence>()
        lead.evidence = group.flatMap(\.evidence).filter { seen.insert($0).inserted }
        lead.context.flags = flags
        lead.context.rules = ordered.map(\.rule)
        lead.resourceRefs = Array(Set(group.flatMap(\.resourceRefs))).sorted()
        return lead
    }

    /// One concern in a sentence: the finding's title and severity, and its exception if any.
    static func concern(_ finding: Finding) -> String {
        var text = "Also \(finding.rule) (\(finding.severity)): \(finding.title)."
        if let exception = finding.exception { text += " (accepted by \(exception))" }
        return text
    }
}
