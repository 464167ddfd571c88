import Mirrorwatch

/// The exercise result as text: scenario × expected rule × detected, and a verdict line.
public enum ExerciseMatrix {
    public static func render(_ outcomes: [ExerciseOutcome]) -> String {
        var out = pad("SCENARIO", 46) + pad("EXPECTED", 36) + "RESULT\n"
        for outcome in outcomes {
            let scenario = outcome.scenario
            let name = "\(scenario.id) (\(scenario.kind.rawValue))"
            var lines: [(String, String)] = []
            switch scenario.kind {
            case .attack:
                lines = outcome.rules.map { ($0.rule, $0.severity.map { "detected (\($0.name))" } ?? "MISSED") }
                lines += outcome.flags.map { ("flag " + $0.flag, $0.found ? "detected" : "MISSED") }
            case .benign:
                let worst = outcome.worst
                let verdict = (worst?.severity ?? .info) < .medium ? "quiet" : "NOISY"
                lines = [("nothing at medium or above", "\(verdict) (worst: \(worst.map { "\($0.severity.name) \($0.rule)" } ?? "no finding"))")]
            }
            if outcome.recordsSkipped > 0 { lines.append(("every record read", "FAILED: \(outcome.recordsSkipped) skipped")) }
            for (index, line) in lines.enumerated() {
                out += pad(index == 0 ? name : "", 46) + pad(line.0, 36) + line.1 + "\n"
            }
        }
        out += summary(outcomes) + "\n"
        return out
    }

    public static func summary(_ outcomes: [ExerciseOutcome]) -> String {
        let attacks = outcomes.filter { $0.scenario.kind == .attack }, benign = outcomes.filter { $0.scenario.kind == .benign }
        let expected = attacks.reduce(0) { $0 + $1.rules.count + $1.flags.count }
        let missed = attacks.reduce(0) { $0 + $1.rules.filter { $0.severity == nil }.count + $1.flags.filter { !$0.found }.count }
        let noisy = benign.filter { !$0.passed }.count
        let platforms = Set(outcomes.map(\.scenario.platform)).count
        return "\(outcomes.count) scenarios on \(platforms) platform(s): \(expected - missed)/\(expected) expected detections, "
            + "\(benign.count - noisy)/\(benign.count) benign scenarios quiet" + (outcomes.allSatisfy(\.passed) ? " — ready" : " — NOT ready")
    }

    static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
    }
}
