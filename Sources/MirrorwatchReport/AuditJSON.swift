import Foundation
import Mirrorwatch

/// The evidence report for machines: one JSON document with the same sections as the HTML.
/// Findings inside it use the finding contract (the `--format jsonl` objects).
public enum AuditJSON {
    public static func render(_ report: AuditReport) -> String {
        var w = JSONWriter()
        w.beginObject()
        w.string("report", "mirrorwatch-audit")
        w.int("version", 1)
        w.string("generated_at", Timestamp.format(report.generatedAt))
        w.string("policy", report.policy.origin)
        let sections = report.sections
        if sections.contains(.summary) { summary(report, &w) }
        if sections.contains(.findings) { findings("findings", report.findings, &w) }
        if sections.contains(.graph) { graph(report, &w) }
        if sections.contains(.coverage) { coverage(report, &w) }
        if sections.contains(.access) { access(report, &w) }
        if sections.contains(.exceptions) { exceptions(report, &w) }
        if sections.contains(.inputs) { inputs(report, &w) }
        w.endObject()
        return w.output + "\n"
    }

    static func findings(_ name: String, _ findings: [Finding], _ w: inout JSONWriter) {
        w.beginArray(name)
        for finding in findings { w.raw(nil, FindingJSON.line(finding)) }
        w.endArray()
    }

    static func summary(_ report: AuditReport, _ w: inout JSONWriter) {
        let result = report.result
        w.beginObject("summary")
        w.int("findings", result.correlatedFindings.count)
        w.beginObject("by_severity")
        for severity in Severity.allCases.reversed() { w.int(severity.name, result.correlatedFindings.filter { $0.severity == severity }.count) }
        w.endObject()
        w.beginObject("by_platform")
        for platform in Platform.allCases { let n = result.correlatedFindings.filter { $0.platform == platform }.count; if n > 0 { w.int(platform.rawValue, n) } }
        w.endObject()
        w.int("live_sessions", report.liveSessions.count)
        w.int("live_sessions_unapproved", report.liveSessions.filter { !$0.fullyApproved }.count)
        w.int("principals_excessive", result.findings.filter { $0.rule == RuleID.accessExcessive }.count)
        w.int("coverage_gaps", result.findings.filter { $0.rule == RuleID.coverageGap }.count)
        w.int("records_read", result.recordsRead)
        w.int("records_skipped", result.recordsSkipped)
        w.endObject()
    }

    static func graph(_ report: AuditReport, _ w: inout JSONWriter) {
        w.beginArray("graph")
        for session in report.liveSessions {
            w.beginObject()
            w.string("platform", session.platform.rawValue)
            w.string("account", session.scope.account)
            w.string("device", session.scope.device)
            w.string("session", session.id)
            w.beginArray("sources")
            for source in session.sources { w.beginObject(); w.string("id", source.label); w.string("segment", source.segment); w.endObject() }
            w.endArray()
            w.string("destination", session.destination)
            w.bool("approved", session.approvedAs != nil)
            w.string("approved_as", session.approvedAs)
            w.bool("external", session.external)
            w.bool("in_baseline", session.inBaseline)
            w.bool("from_snapshot", session.fromSnapshot)
            w.beginArray("receivers")
            for receiver in session.receivers {
                w.beginObject()
                w.string("id", receiver.id)
                w.string("target_group", receiver.group)
                w.bool("approved", receiver.approvedAs != nil)
                w.string("approved_as", receiver.approvedAs)
                w.bool("external", receiver.external)
                w.endObject()
            }
            w.endArray()
            w.endObject()
        }
        w.endArray()
    }

    static func tally(_ name: String?, _ tally: TelemetryTally, _ w: inout JSONWriter) {
        w.beginObject(name)
        w.int("records", tally.records)
        w.string("first", tally.first.map(Timestamp.format))
        w.string("last", tally.last.map(Timestamp.format))
        w.endObject()
    }

    static func coverage(_ report: AuditReport, _ w: inout JSONWriter) {
        let matrix = report.result.coverage
        w.beginObject("coverage")
        w.string("newest_record", matrix.latest.map(Timestamp.format))
        w.beginArray("scopes")
        for row in matrix.rows {
            w.beginObject()
            w.string("platform", row.platform?.rawValue)
            w.string("account", row.account)
            w.string("device", row.device)
            w.bool("named_in_policy", row.expected)
            w.beginObject("telemetry")
            for kind in TelemetryKind.allCases { if let t = row.kinds[kind] { tally(kind.rawValue, t, &w) } }
            w.endObject()
            w.beginObject("regions")
            for (region, kinds) in row.regions.sorted(by: { $0.key < $1.key }) {
                w.beginObject(region)
                for kind in TelemetryKind.allCases { if let t = kinds[kind] { tally(kind.rawValue, t, &w) } }
                w.endObject()
            }
            w.endObject()
            w.endObject()
        }
        w.endArray()
        w.beginArray("logging_configuration")
        for config in report.result.loggingConfigs {
            w.beginObject()
            w.string("platform", config.platform.rawValue)
            w.string("account", config.scope.account)
            w.string("kind", config.kind.rawValue)
            w.string("name", config.name)
            w.int("retention_days", config.retentionDays)
            w.bool("is_logging", config.isLogging)
            w.bool("multi_region", config.multiRegion)
            w.bool("management_events", config.managementEvents)
            w.string("evidence", config.evidence.description)
            w.endObject()
        }
        w.endArray()
        findings("findings", report.findings.filter { $0.rule.hasPrefix("coverage.") }, &w)
        w.endObject()
    }

    static func access(_ report: AuditReport, _ w: inout JSONWriter) {
        w.beginObject("access")
        w.beginArray("principals")
        for verdict in report.result.access {
            let principal = verdict.principal
            w.beginObject()
            w.string("platform", principal.platform.rawValue)
            w.string("id", principal.id)
            w.string("name", principal.name)
            w.string("type", principal.type)
            w.string("account", principal.account)
            w.string("verdict", verdict.level.description)
            w.bool("can_copy_traffic", verdict.canCopyTraffic)
            w.string("authorized_by", AccessRules.authorization(of: principal, policy: report.policy)?.text)
            w.beginArray("actions")
            for action in verdict.actions where action.level != .cannot {
                w.beginObject()
                w.string("action", action.action)
                w.string("level", action.level.description)
                w.beginArray("allowed_by"); action.allowedBy.forEach { w.string(nil, $0) }; w.endArray()
                w.beginArray("blocked_by"); action.blockedBy.forEach { w.string(nil, $0) }; w.endArray()
                w.beginArray("conditions"); action.conditions.forEach { w.string(nil, $0) }; w.endArray()
                w.endObject()
            }
            w.endArray()
            w.beginArray("unresolved_roles"); verdict.unresolvedRoles.forEach { w.string(nil, $0) }; w.endArray()
            w.beginArray("credential_risks"); AccessRules.credentialRisks(verdict.credential, now: report.generatedAt).forEach { w.string(nil, $0) }; w.endArray()
            w.beginArray("evidence"); verdict.evidence.prefix(8).forEach { w.string(nil, $0.description) }; w.endArray()
            w.endObject()
        }
        w.endArray()
        findings("findings", report.findings.filter { $0.rule.hasPrefix("access.") }, &w)
        w.endObject()
    }

    static func exceptions(_ report: AuditReport, _ w: inout JSONWriter) {
        w.beginArray("exceptions")
        for status in report.exceptions {
            let e = status.exception
            w.beginObject()
            w.string("id", e.id)
            w.string("rule", e.rule)
            w.string("owner", e.owner)
            w.string("justification", e.justification)
            w.string("ticket", e.ticket)
            w.string("expires", e.expiresText)
            w.string("status", status.status)
            w.int("findings", status.findings)
            w.string("location", e.location)
            w.endObject()
        }
        w.endArray()
    }

    static func inputs(_ report: AuditReport, _ w: inout JSONWriter) {
        w.beginArray("inputs")
        for input in report.result.reports {
            w.beginObject()
            w.string("input", input.input)
            w.string("format", input.format)
            w.int("bytes", input.bytes)
            w.int("records", input.records)
            w.int("relevant", input.relevant)
            w.int("skipped", input.skipped)
            w.string("sha256", report.inputDigests[input.input])
            w.beginArray("issues"); input.issues.forEach { w.string(nil, "\($0.position): \($0.reason)") }; w.endArray()
            w.endObject()
        }
        w.endArray()
    }
}
