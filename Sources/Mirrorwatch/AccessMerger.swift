import Foundation

/// The access facts of all inputs, with each device's local accounts taken from its newest
/// configuration snapshot only (an account removed since an older snapshot no longer counts).
enum AccessMerger {
    static func merge(_ results: [ReadResult]) -> AccessFacts {
        var newest: [String: (time: Date, index: Int)] = [:]
        for (index, result) in results.enumerated() where result.report.format == "device-config" {
            guard let device = result.sessionLists.first?.scope.device?.lowercased() else { continue }
            let time = SnapshotDiffer.time(of: result.report)
            if newest[device].map({ time >= $0.time }) ?? true { newest[device] = (time, index) }
        }
        let kept = Set(newest.values.map(\.index))
        var facts = AccessFacts()
        for (index, result) in results.enumerated() where result.report.format != "device-config" || kept.contains(index) {
            facts.merge(result.access)
        }
        return facts
    }
}
