import Foundation
import Mirrorwatch

/// The evidence report for people: one self-contained HTML file (inline CSS and SVG, no script,
/// no external asset) with a summary, findings by severity and platform, the mirroring graph,
/// live state against the baseline, coverage, access, exceptions and the inputs with hashes.
public enum AuditHTML {
    public static func render(_ report: AuditReport) -> String {
        var body = header(report)
        // The report's sections, in this order (all by default; the service's pages show one each).
        let sections: [(AuditReport.Section, String, () -> String)] = [
            (.summary, "Summary", { summary(report) }),
            (.findings, "Findings", { findings(report) }),
            (.graph, "Mirroring graph and baseline", { MirroringGraphSVG.render(report.liveSessions) + AuditHTMLTables.liveState(report) }),
            (.coverage, "Coverage", { AuditHTMLTables.coverage(report) }),
            (.access, "Who can configure mirroring", { AuditHTMLTables.access(report) }),
            (.exceptions, "Exceptions", { AuditHTMLTables.exceptions(report) }),
            (.inputs, "Inputs", { AuditHTMLTables.inputs(report) }),
        ]
        for (kind, title, content) in sections where report.sections.contains(kind) { body += section(kind.rawValue, title, content()) }
        return """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>mirrorwatch evidence report</title><style>\(style)</style></head>
        <body>\(body)<footer>mirrorwatch · T1020.001 traffic mirroring · generated \(HTML.escape(Timestamp.format(report.generatedAt)))</footer></body></html>

        """
    }

    static func section(_ id: String, _ title: String, _ content: String) -> String {
        "<section id=\"\(id)\"><h2>\(HTML.escape(title))</h2>\(content)</section>\n"
    }

    static func header(_ report: AuditReport) -> String {
        "<header><h1>Traffic mirroring evidence report</h1><p>Generated \(HTML.escape(Timestamp.format(report.generatedAt))) from \(report.result.reports.count) inputs "
            + "(\(report.result.recordsRead) records, \(report.result.recordsSkipped) skipped) with policy <code>\(HTML.escape(report.policy.origin))</code>.</p>"
            + "<nav>" + [("summary", "Summary"), ("findings", "Findings"), ("graph", "Graph"), ("coverage", "Coverage"), ("access", "Access"),
                         ("exceptions", "Exceptions"), ("inputs", "Inputs")]
                .filter { AuditReport.Section(rawValue: $0.0).map(report.sections.contains) ?? true }
                .map { "<a href=\"#\($0.0)\">\($0.1)</a>" }.joined(separator: " · ") + "</nav></header>\n"
    }

    static func summary(_ report: AuditReport) -> String {
        let result = report.result
        let cards: [(String, String, String)] = [
            ("critical", String(result.correlatedFindings.filter { $0.severity == .critical }.count), "critical findings"),
            ("high", String(result.correlatedFindings.filter { $0.severity == .high }.count), "high findings"),
            ("session", String(report.liveSessions.count), "live mirroring sessions"),
            ("unapproved", String(report.liveSessions.filter { !$0.fullyApproved }.count), "to unapproved destinations (or members)"),
            ("access", String(result.findings.filter { $0.rule == RuleID.accessExcessive }.count), "principals that can but should not"),
            ("gaps", String(result.findings.filter { $0.rule == RuleID.coverageGap || $0.rule == RuleID.loggingTampered }.count), "coverage gaps and tampering"),
        ]
        var out = "<div class=\"cards\">" + cards.map { "<div class=\"card card-\($0.0)\"><b>\($0.1)</b><span>\(HTML.escape($0.2))</span></div>" }.joined() + "</div>"
        let counts = report.counts
        let platforms = Platform.allCases.filter { p in counts.values.contains { $0[p] != nil } }
        let rows = Severity.allCases.reversed().map { severity in
            [HTML.badge(severity)] + platforms.map { String(counts[severity]?[$0] ?? 0) } + [String(counts[severity]?.values.reduce(0, +) ?? 0)]
        }
        out += "<h3>Findings by severity and platform</h3>" + HTML.table(["severity"] + platforms.map(\.rawValue) + ["total"], rows, id: "severity-platform")
        return out
    }

    static func findings(_ report: AuditReport) -> String {
        let findings = report.findings
        guard !findings.isEmpty else { return "<p class=\"muted\">No findings.</p>" }
        return "<div class=\"findings\">" + findings.map { f in
            let evidence = f.evidence.prefix(6).map { "<li><code>\(HTML.escape($0.description))</code></li>" }.joined()
            let rules = f.context.rules.isEmpty ? "" : "<p><b>Rules:</b> " + f.context.rules.map { "<code>\(HTML.escape($0))</code>" }.joined(separator: " ") + "</p>"
            return "<details class=\"finding sev-row-\(f.severity.name)\" data-rule=\"\(HTML.escape(f.rule))\"><summary>\(HTML.badge(f.severity)) <code>\(HTML.escape(f.rule))</code> "
                + "\(HTML.escape(f.title)) <span class=\"muted\">\(HTML.escape(f.platform.rawValue)) · \(HTML.escape(Timestamp.format(f.time)))</span></summary>"
                + "<p>\(HTML.escape(f.why))</p><p><b>Benign if:</b> \(HTML.escape(f.benignIf))</p>\(rules)"
                + (f.ticket.map { "<p><b>Ticket:</b> \(HTML.escape($0))</p>" } ?? "") + (f.exception.map { "<p><b>Exception:</b> \(HTML.escape($0))</p>" } ?? "")
                + "<p><b>Evidence</b> (<code>\(HTML.escape(f.id))</code>):</p><ul>\(evidence)</ul></details>"
        }.joined() + "</div>"
    }

    static let style = """
    body{font:14px/1.45 system-ui,-apple-system,"DejaVu Sans",sans-serif;margin:0 auto;max-width:1180px;padding:0 20px 40px;color:#1c2733}
    header{border-bottom:2px solid #1c2733;margin-bottom:12px}h1{font-size:24px;margin:18px 0 4px}h2{font-size:19px;margin-top:28px;border-bottom:1px solid #cfd8dc}
    nav a{color:#1565c0;text-decoration:none}code{font:12px ui-monospace,"DejaVu Sans Mono",monospace;background:#f3f5f7;padding:0 3px;border-radius:3px}
    table{border-collapse:collapse;width:100%;margin:8px 0;font-size:13px}th,td{border:1px solid #dfe4e8;padding:3px 6px;text-align:left;vertical-align:top;overflow-wrap:anywhere}th{background:#eef2f5}
    .cards{display:flex;flex-wrap:wrap;gap:10px}.card{border:1px solid #cfd8dc;border-radius:6px;padding:8px 14px;min-width:150px}.card b{display:block;font-size:26px}
    .card-critical b{color:#8e0000}.card-high b,.card-unapproved b{color:#c62828}.card-access b,.card-gaps b{color:#e65100}
    .sev{display:inline-block;min-width:58px;text-align:center;border-radius:3px;color:#fff;font-size:12px;padding:0 4px}
    .sev-critical{background:#8e0000}.sev-high{background:#c62828}.sev-medium{background:#ef6c00}.sev-low{background:#607d8b}.sev-info{background:#90a4ae}
    details.finding{border:1px solid #dfe4e8;border-radius:4px;margin:4px 0;padding:4px 8px}details.finding summary{cursor:pointer}
    .muted{color:#607d8b}.ok{color:#2e7d32;font-weight:600}.bad{color:#c62828;font-weight:600}.warn{color:#e65100;font-weight:600}
    svg text{font:11px "DejaVu Sans",sans-serif}svg .gh{font-weight:700;font-size:13px}footer{margin-top:30px;color:#607d8b;font-size:12px}
    """
}
