import Foundation
import Mirrorwatch
import MirrorwatchTestSupport

/// Writes each export to a fresh directory, reads them as a scan would, and evaluates access.
func evaluateAccess(_ files: [String: String]) -> (verdicts: [AccessVerdict], results: [ReadResult]) {
    let dir = TemporaryDirectory()
    var facts = AccessFacts()
    var results: [ReadResult] = []
    for (name, text) in files.sorted(by: { $0.key < $1.key }) {
        let result = InputReader.read(InputSource.load(dir.write(name, text)))
        facts.merge(result.access)
        results.append(result)
    }
    return (AccessEvaluator(facts: facts).evaluate(), results)
}

extension Array where Element == AccessVerdict {
    func named(_ name: String) -> AccessVerdict? { first { $0.principal.name == name } }
}

extension AccessVerdict {
    func level(of action: String) -> Level? { actions.first { $0.action == action }?.level }
}

typealias IAMExport = IAMExportFixture
