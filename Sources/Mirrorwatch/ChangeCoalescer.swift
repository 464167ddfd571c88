/// Turns the several log entries of one operation into one change.
///
/// GCP logs a long-running operation as a `first` entry (with the request) and a `last` entry
/// (with the final status); Azure logs Start, Accept and Success or Failure records sharing a
/// `correlationId`. Readers give such entries the same `operationKey`; here they become one
/// change: the earliest time, the entry that carries the request, the final outcome, and every
/// entry as evidence.
enum ChangeCoalescer {
    static func coalesce(_ changes: [MirrorChange]) -> [MirrorChange] {
        var groups: [String: [Int]] = [:]
        for (index, change) in changes.enumerated() {
            if let key = change.operationKey { groups[key, default: []].append(index) }
        }
        guard groups.values.contains(where: { $0.count > 1 }) || changes.contains(where: \.completesAnother) else { return changes }
        var merged: [Int: MirrorChange] = [:]
        var absorbed = Set<Int>()
        for indices in groups.values where indices.count > 1 {
            let entries = indices.map { changes[$0] }
            guard entries.contains(where: { !$0.completesAnother }) else { absorbed.formUnion(indices); continue }
            let primaryOffset = entries.firstIndex { hasContent($0.spec) } ?? 0
            var change = entries[primaryOffset]
            change.time = entries.map(\.time).min() ?? change.time
            change.resourceId = change.resourceId ?? entries.lazy.compactMap(\.resourceId).first
            change.actor = change.actor ?? entries.lazy.compactMap(\.actor).first
            if let failure = entries.first(where: { $0.outcomeIsFinal && !$0.outcome.succeeded }) {
                change.outcome = failure.outcome
            } else if let final = entries.last(where: \.outcomeIsFinal) {
                change.outcome = final.outcome
            }
            change.outcomeIsFinal = entries.contains(where: \.outcomeIsFinal)
            // An entry that knows whether the call created or updated settles a create-or-update.
            if change.isUpsert, let settled = entries.first(where: { !$0.isUpsert }) {
                change.isUpsert = false
                change.action = settled.action
            }
            change.completesAnother = false
            change.relatedEvidence = entries.enumerated().filter { $0.offset != primaryOffset }.map(\.element.evidence)
            let first = indices.min()!
            merged[first] = change
            absorbed.formUnion(indices.filter { $0 != first })
        }
        return changes.indices.compactMap { index in
            if absorbed.contains(index) { return nil }
            if let change = merged[index] { return change }
            return changes[index].completesAnother ? nil : changes[index]
        }
    }

    static func hasContent(_ spec: MirrorSpec) -> Bool {
        !spec.sources.isEmpty || spec.targetRef != nil || spec.destination != nil || !spec.rules.isEmpty || spec.enabled != nil
    }
}
