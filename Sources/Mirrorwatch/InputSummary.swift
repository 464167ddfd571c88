/// The "what was read" summary every command prints on stderr.
public enum InputSummary {
    public static func render(_ result: ScanResult, maxIssues: Int = 50) -> String {
        var out = ""
        let issues = result.issues
        for issue in issues.prefix(maxIssues) { out += "mirrorwatch: \(issue)\n" }
        if issues.count > maxIssues { out += "mirrorwatch: … and \(issues.count - maxIssues) more problems\n" }
        // Every input that lost something gets its own count, even without --verbose.
        for r in result.reports where r.skipped > 0 || !r.issues.isEmpty {
            out += "mirrorwatch: \(r.input) [\(r.format)]: \(r.records) records read, \(r.skipped) skipped, \(r.issues.count) problem(s)\n"
        }
        let byFormat = Dictionary(grouping: result.reports, by: \.format)
        var parts: [String] = []
        for format in byFormat.keys.sorted() {
            let reports = byFormat[format]!
            let records = reports.reduce(0) { $0 + $1.records }
            let relevant = reports.reduce(0) { $0 + $1.relevant }
            let skipped = reports.reduce(0) { $0 + $1.skipped }
            parts.append("\(format): \(reports.count) input(s), \(records) records, \(relevant) used, \(skipped) skipped")
        }
        out += "read " + parts.joined(separator: "; ") + "\n"
        out += "\(result.changes) mirroring changes"
        if result.duplicateChanges > 0 { out += " (\(result.duplicateChanges) duplicate records ignored)" }
        if result.authEvents > 0 { out += ", \(result.authEvents) sign-in and credential events" }
        if result.flows > 0 { out += ", \(result.flows) flow records" }
        out += ", \(result.graph.sessions.count) live sessions, \(result.findings.count) findings (\(result.correlatedFindings.count) after correlating per change)\n"
        let applied = Set(result.findings.compactMap(\.exception))
        let expired = Set(result.findings.filter { $0.rule == RuleID.expiredException }.compactMap(\.exception))
        if !applied.isEmpty || !result.unusedExceptions.isEmpty {
            out += "exceptions: \(applied.subtracting(expired).count) applied, \(expired.count) expired but still matching, \(result.unusedExceptions.count) matched nothing\n"
        }
        for exception in result.unusedExceptions {
            out += "note: exception \(exception.id) (\(exception.location), owner \(exception.owner), expires \(exception.expiresText)) matched nothing in this run; it may be stale\n"
        }
        return out
    }

    /// Per-input lines for `--verbose`.
    public static func perInput(_ result: ScanResult) -> String {
        result.reports.map { r in
            "  \(r.input) [\(r.format)]: \(r.bytes) bytes, \(r.records) records, \(r.relevant) used, \(r.skipped) skipped\n"
        }.joined()
    }
}
