import Mirrorwatch

/// The exercise result for machines: one object per scenario with its expectations and outcome.
public enum ExerciseJSON {
    public static func render(_ outcomes: [ExerciseOutcome]) -> String {
        var w = JSONWriter()
        w.beginObject()
        w.bool("ready", outcomes.allSatisfy(\.passed))
        w.string("summary", ExerciseMatrix.summary(outcomes))
        w.beginArray("scenarios")
        for outcome in outcomes {
            w.beginObject()
            w.string("id", outcome.scenario.id)
            w.string("platform", outcome.scenario.platform.rawValue)
            w.string("kind", outcome.scenario.kind.rawValue)
            w.string("title", outcome.scenario.title)
            w.bool("passed", outcome.passed)
            w.beginArray("expected")
            for rule in outcome.rules {
                w.beginObject(); w.string("rule", rule.rule); w.string("severity", rule.severity?.name); w.bool("detected", rule.severity != nil); w.endObject()
            }
            for flag in outcome.flags {
                w.beginObject(); w.string("flag", flag.flag); w.bool("detected", flag.found); w.endObject()
            }
            w.endArray()
            w.string("worst_severity", outcome.worst?.severity.name)
            w.string("worst_rule", outcome.worst?.rule)
            w.int("findings", outcome.findings)
            w.int("records_skipped", outcome.recordsSkipped)
            w.endObject()
        }
        w.endArray()
        w.endObject()
        return w.output + "\n"
    }
}
