import MirrorwatchModel
import MirrorwatchState

/// `mirror.filter.broad`: a filter copies everything (any address, all protocols) in a direction,
/// through one rule or several whose ranges together cover every address; raised when a rule
/// makes it so, when a session starts using such a filter, and for live sessions known only from
/// snapshots.
enum FilterRules {
    static func evaluate(_ a: Assessment, _ context: RuleContext) -> [Finding] {
        if let change = a.change, change.outcome.succeeded, change.action != .delete, !change.spec.rules.isEmpty,
           change.resourceKind != .filterRule, let filter = a.applied.filterAfter {
            return inlineFilter(change, filter, a, context)
        }
        if let change = a.change, change.outcome.succeeded, change.resourceKind == .session,
           change.action == .create || (change.action == .modify && change.spec.filterRef != nil) {
            return sessionTakesCatchAll(change, a, context)
        }
        guard let change = a.change, change.outcome.succeeded, change.resourceKind == .filterRule, change.action != .delete,
              let requested = change.spec.rules.first else { return [] }
        // A modify names only what it changes: the rule as it now stands is the filter's.
        let rule = change.resourceId.flatMap { a.applied.filterAfter?.rules[$0] } ?? requested
        let filter = a.applied.filterAfter
        let directions = filter?.catchAllDirections ?? []
        let before = a.applied.filterBefore?.catchAllDirections ?? []
        let completesUnion = rule.direction.map { directions.contains($0) && !before.contains($0) } ?? false
        guard rule.acceptsEverything || completesUnion else { return [] }
        let both = directions.contains(.ingress) && directions.contains(.egress) || directions.contains(.both)
        let severity: Severity = both ? .high : .medium
        let verb = change.action == .modify ? "changed in filter \(filter?.id ?? change.parentId ?? "?") at \(Narrative.when(change.time)) the rule to"
            : "added to filter \(filter?.id ?? change.parentId ?? "?") at \(Narrative.when(change.time)) the rule"
        var why = "\(Narrative.actor(change.actor)) \(verb) '\(rule.summary)'"
        if rule.acceptsEverything {
            why += ", which copies every packet in that direction"
        } else {
            let others = (filter?.rules.values ?? [:].values).filter { $0 != rule && $0.direction == rule.direction && $0.acceptsEveryPacketOfItsAddresses }
            why += ", which with \(others.map { "'\($0.summary)'" }.sorted().joined(separator: ", ")) accepts every address: the filter copies every packet in that direction"
        }
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

    /// A session switched to a filter that copies everything, or created with one known from a
    /// snapshot (a filter made catch-all in the logs was flagged when its rule was added).
    static func sessionTakesCatchAll(_ change: MirrorChange, _ a: Assessment, _ context: RuleContext) -> [Finding] {
        guard let filter = a.sessionFilter, change.action == .modify || filter.fromSnapshot else { return [] }
        let directions = filter.catchAllDirections
        guard !directions.isEmpty else { return [] }
        let both = directions.contains(.both) || directions.contains(.ingress) && directions.contains(.egress)
        let session = ResourceRef.shortName(of: change.resourceId ?? "?")
        return [FindingFactory.make(
            RuleID.broadFilter, both ? .high : .medium,
            title: "Session \(session) copies all traffic through filter \(ResourceRef.shortName(of: filter.id))",
            why: Narrative.change(a) + " The session \(change.action == .create ? "uses" : "now uses") filter \(filter.id), which accepts every packet "
                + "(\(directions.map(\.rawValue).sorted().joined(separator: " and "))): everything the source sends or receives is copied.",
            benignIf: "An approved full-packet sensor needs all traffic of this source; otherwise use a filter limited to the CIDRs and ports needed.",
            assessment: a, context: context, subject: change.key + "|catch-all-filter")]
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
