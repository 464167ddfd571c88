import Foundation
import Mirrorwatch

/// The tabular sections of the HTML report: live state, coverage, access, exceptions, inputs.
enum AuditHTMLTables {
    /// The members behind a load balancer destination, each marked approved or not.
    static func receivers(_ s: AuditReport.LiveSession) -> String {
        guard !s.receivers.isEmpty else { return "" }
        return "<br>members: " + s.receivers.map { r in
            "<code>\(HTML.escape(r.id))</code> " + (r.approvedAs.map { "<span class=\"ok\">approved</span> (\(HTML.escape($0)))" }
                ?? "<span class=\"bad\">not approved</span>" + (r.external ? " · external" : ""))
        }.joined(separator: ", ")
    }

    static func liveState(_ report: AuditReport) -> String {
        guard !report.liveSessions.isEmpty else { return "" }
        let rows = report.liveSessions.map { s -> [String] in
            let approval = s.approvedAs.map { "<span class=\"ok\">approved</span> (\(HTML.escape($0)))" } ?? "<span class=\"bad\">not approved</span>" + (s.external ? " · external" : "")
            let baseline = s.inBaseline.map { $0 ? "<span class=\"ok\">yes</span>" : "<span class=\"bad\">no</span>" } ?? "<span class=\"muted\">no baseline</span>"
            return [HTML.escape(s.platform.rawValue), HTML.escape(s.scope.display), "<code>\(HTML.escape(s.id))</code>",
                    HTML.escape(s.sources.map { $0.label + ($0.segment.map { " [\($0)]" } ?? "") }.joined(separator: ", ")),
                    HTML.escape(s.destination) + receivers(s), approval, baseline, s.fromSnapshot ? "snapshot" : "logs"]
        }
        var out = "<h3>Live state against the baseline</h3>" + HTML.table(["platform", "scope", "session", "sources", "destination", "destination approved", "in baseline", "known from"], rows, id: "live-state")
        let drift = report.findings.filter { $0.rule == RuleID.drift || $0.context.rules.contains(RuleID.drift) }
        if !drift.isEmpty {
            out += "<p><b>Drift:</b></p><ul>" + drift.map { "<li>\(HTML.badge($0.severity)) \(HTML.escape($0.title))</li>" }.joined() + "</ul>"
        }
        return out
    }

    static func coverage(_ report: AuditReport) -> String {
        let matrix = report.result.coverage
        let kinds = TelemetryKind.allCases.filter { kind in kind != .tickets && matrix.rows.contains { $0.kinds[kind] != nil } }
        let rows = matrix.rows.map { row -> [String] in
            [HTML.escape(row.label) + (row.expected ? " <span class=\"muted\">(policy)</span>" : "")]
                + kinds.map { kind in row.kinds[kind].map { "\($0.records)" } ?? "<span class=\"bad\">–</span>" }
                + [row.last.map { HTML.escape(Timestamp.format($0)) } ?? "<span class=\"bad\">never</span>", HTML.escape(row.regions.keys.sorted().joined(separator: ", "))]
        }
        var out = "<p>Records read per scope and telemetry kind" + (matrix.latest.map { "; newest record \(HTML.escape(Timestamp.format($0)))" } ?? "") + ".</p>"
        out += HTML.table(["scope"] + kinds.map(\.rawValue) + ["last record", "regions"], rows, id: "coverage-matrix")
        if !report.result.loggingConfigs.isEmpty {
            out += "<h3>Logging configuration</h3>" + HTML.table(["platform", "scope", "kind", "name", "retention (days)", "logging", "multi-region", "evidence"],
                report.result.loggingConfigs.map { c in
                    [c.platform.rawValue, HTML.escape(c.scope.display), c.kind.rawValue, HTML.escape(c.name), c.retentionDays.map(String.init) ?? (c.kind == .storage ? "unlimited" : ""),
                     c.isLogging.map { $0 ? "on" : "<span class=\"bad\">off</span>" } ?? "", c.multiRegion.map { $0 ? "yes" : "<span class=\"warn\">no</span>" } ?? "",
                     "<code>\(HTML.escape(c.evidence.description))</code>"]
                })
        }
        let gaps = report.findings.filter { $0.rule.hasPrefix("coverage.") }
        out += "<h3>Gaps and tampering (\(gaps.count))</h3>" + (gaps.isEmpty ? "<p class=\"ok\">None.</p>"
            : "<ul>" + gaps.map { "<li>\(HTML.badge($0.severity)) <code>\(HTML.escape($0.rule))</code> \(HTML.escape($0.title))</li>" }.joined() + "</ul>")
        return out
    }

    static func access(_ report: AuditReport) -> String {
        let verdicts = report.result.access.filter { $0.level > .cannot }
        // Principals whose roles are not defined in the inputs: their access is unknown, not absent.
        let unresolved = report.result.access.filter { !$0.unresolvedRoles.isEmpty }
        let unknown = unresolved.isEmpty ? "" : "<h3>Not judged: roles without definitions (\(unresolved.count))</h3>"
            + HTML.table(["platform", "principal", "roles named but not defined in the inputs"], unresolved.map { v in
                [HTML.escape(v.principal.platform.rawValue), HTML.escape("\(v.principal.type) \(v.principal.display)"), HTML.escape(v.unresolvedRoles.joined(separator: ", "))]
            }, id: "unresolved-roles")
        guard !verdicts.isEmpty else {
            return (report.result.access.isEmpty ? "<p class=\"muted\">No IAM export or device configuration with local accounts was read.</p>"
                : "<p class=\"ok\">No principal of the exports read holds a mirroring write permission.</p>") + unknown
        }
        let rows = verdicts.map { v -> [String] in
            let authorized = AccessRules.authorization(of: v.principal, policy: report.policy)
            let status = authorized.map { "<span class=\"ok\">authorized</span> (<code>\(HTML.escape($0.text))</code>)" }
                ?? (v.level >= .conditional ? "<span class=\"bad\">not authorized</span>" : "<span class=\"muted\">not authorized, blocked</span>")
            let granted = Array(Set(v.actions.flatMap(\.allowedBy))).sorted().map(HTML.escape).joined(separator: "<br>")
            let blocked = Array(Set(v.actions.flatMap(\.blockedBy))).sorted().map(HTML.escape).joined(separator: "<br>")
            let credentials = AccessRules.credentialRisks(v.credential, now: report.generatedAt).map(HTML.escape).joined(separator: "<br>")
            return [HTML.escape(v.principal.platform.rawValue), HTML.escape("\(v.principal.type) \(v.principal.display)"), v.level.description + (v.canCopyTraffic ? " (copy)" : ""),
                    status, HTML.escape(v.grantedActions.map(\.action).joined(separator: ", ")), granted, blocked,
                    credentials.isEmpty ? "" : "<span class=\"warn\">\(credentials)</span>"]
        }
        return HTML.table(["platform", "principal", "verdict", "authorization", "actions", "granted by", "blocked by", "credentials"], rows, id: "access-table") + unknown
    }

    static func exceptions(_ report: AuditReport) -> String {
        guard !report.exceptions.isEmpty else { return "<p class=\"muted\">The policy has no exceptions.</p>" }
        return HTML.table(["id", "rule", "owner", "justification", "ticket", "expires", "status", "findings"], report.exceptions.map { s in
            let e = s.exception
            let status = s.status == "active" ? "<span class=\"ok\">active</span>" : s.status == "expired" ? "<span class=\"bad\">expired</span>" : "<span class=\"warn\">unused</span>"
            return [HTML.escape(e.id), "<code>\(HTML.escape(e.rule))</code>", HTML.escape(e.owner), HTML.escape(e.justification), HTML.escape(e.ticket ?? ""),
                    HTML.escape(e.expiresText), status, String(s.findings)]
        }, id: "exceptions-table")
    }

    static func inputs(_ report: AuditReport) -> String {
        HTML.table(["input", "format", "records", "used", "skipped", "SHA-256"], report.result.reports.map { r in
            ["<code>\(HTML.escape(r.input))</code>" + (r.issues.isEmpty ? "" : "<br><span class=\"warn\">" + r.issues.prefix(3).map { HTML.escape("\($0.position): \($0.reason)") }.joined(separator: "<br>") + "</span>"),
             HTML.escape(r.format), String(r.records), String(r.relevant), r.skipped > 0 ? "<span class=\"warn\">\(r.skipped)</span>" : "0",
             "<code>\(HTML.escape(report.inputDigests[r.input] ?? "not hashed"))</code>"]
        }, id: "inputs-table")
    }
}
