import MirrorwatchModel
import MirrorwatchState

/// `mirror.filter.broad`: a filter copies everything (any address, all protocols) in a direction.
enum FilterRules {
    static func evaluate(_ a: Assessment, _ context: RuleContext) -> [Finding] {
        if let change = a.change, change.outcome.succeeded, change.action != .delete, !change.spec.rules.isEmpty,
           change.resourceKind != .filterRule, let filter = a.applied.filterAfter {
            return inlineFilter(change, filter, a, context)
        }
        guard let change = a.change, change.outcome.succeeded, change.resourceKind == .filterRule, change.action != .delete,
              let rule = change.spec.rules.first, rule.acceptsEverything else { return [] }
        let filter = a.applied.filterAfter
        let directions = filter?.catchAllDirections ?? []
        let both = directions.contains(.ingress) && directions.contains(.egress) || directions.contains(.both)
        let severity: Severity = both ? .high : .medium
        var why = "\(Narrative.actor(change.actor)) added to filter \(filter?.id ?? change.parentId ?? "?") at \(Narrative.when(change.time)) the rule '\(rule.summary)'"
        why += ", which copies every packet in that direction"
        if both { why += "; with it the filter copies all traffic in both directions" }
        let users = a.applied.affectedSessions.map(\.id)
        if !users.isEmpty { why += ". Sessions using it: \(users.joined(separator: ", "))" }
        return [FindingFactory.make(
            RuleID.broadFilter, severity,
            title: "Catch-all mirror filter rule on \(filter?.id ?? change.parentId ?? "?")",
            why: why + ".",
            benignIf: "An approved full-packet sensor needs all traffic of this source; otherwise narrow the rule to the CIDRs and ports needed.",
            assessment: a, context: context)]
    }

    /// A policy whose own filter (GCP packet mirroring `filter`) copies everything.
    static func inlineFilter(_ change: MirrorChange, _ filter: FilterState, _ a: Assessment, _ context: RuleContext) -> [Finding] {
        let directions = filter.catchAllDirections
        guard !directions.isEmpty else { return [] }
        let both = directions.contains(.both) || directions.contains(.ingress) && directions.contains(.egress)
        return [FindingFactory.make(
            RuleID.broadFilter, both ? .high : .medium,
            title: "\(change.resourceKind.noun.prefix(1).uppercased() + change.resourceKind.noun.dropFirst()) \(ResourceRef.shortName(of: change.resourceId ?? "?")) mirrors all traffic",
            why: Narrative.change(a) + " Its filter has no address range and no protocol limit\(both ? " in both directions" : ""): every packet of the mirrored resources is copied.",
            benignIf: "An approved full-packet sensor needs all traffic of these sources; otherwise limit the filter to the CIDR ranges and protocols needed.",
            assessment: a, context: context, subject: change.key + "|inline-filter")]
    }

    /// Catch-all filters used by live sessions known only from snapshots (no change event to flag them).
    static func evaluate(filter: FilterState, users: [SessionState], assessment: Assessment, context: RuleContext) -> [Finding] {
        let directions = filter.catchAllDirections
        guard !directions.isEmpty, !users.isEmpty else { return [] }
        let both = directions.contains(.ingress) && directions.contains(.egress) || directions.contains(.both)
        return [FindingFactory.make(
            RuleID.broadFilter, both ? .high : .medium,
            title: filter.id.hasSuffix("#filter")
                ? "Live policy \(ResourceRef.shortName(of: String(filter.id.dropLast("#filter".count)))) copies all traffic"
                : "Live filter \(ResourceRef.shortName(of: filter.id)) copies all traffic",
            why: "Filter \(filter.id) accepts every packet (\(directions.map(\.rawValue).sorted().joined(separator: " and "))) and is used by live session(s) \(users.map(\.id).joined(separator: ", ")).",
            benignIf: "An approved full-packet sensor needs all traffic of these sources.",
            assessment: assessment, context: context, subject: filter.id, extraEvidence: [filter.origin])]
    }
}
