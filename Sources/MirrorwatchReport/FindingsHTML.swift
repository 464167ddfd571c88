import Foundation
import MirrorwatchModel

/// Findings as one self-contained HTML page (`scan --format html`): most severe first, each with
/// its rule, why, what would make it benign and its evidence. No script; every value escaped; a
/// content security policy that allows nothing but the page's own style.
public enum FindingsHTML {
    public static func render(_ findings: [Finding], generated: Date = Date()) -> String {
        let ordered = findings.sorted { ($1.severity, $0.time, $0.id) < ($0.severity, $1.time, $1.id) }
        var counts: [Severity: Int] = [:]
        for finding in findings { counts[finding.severity, default: 0] += 1 }
        let summary = Severity.allCases.reversed().compactMap { severity in counts[severity].map { "\($0) \(severity.name)" } }.joined(separator: " · ")
        var rows = ""
        for f in ordered {
            let place = [f.scope.account, f.scope.region, f.scope.device].compactMap { $0 }.joined(separator: " / ")
            let route = [f.source?.endpoint.id, f.destination.map { $0.endpoint.id + ($0.approved ? " (approved)" : "") }].compactMap { $0 }.joined(separator: " → ")
            let evidence = f.evidence.map { "<li>\(HTML.escape($0.description))</li>" }.joined()
            rows += """
                <tr><td><span class="sev \(f.severity.name)">\(f.severity.name)</span></td><td><code>\(HTML.escape(f.rule))</code></td>
                <td><b>\(HTML.escape(f.title))</b><br><small>\(HTML.escape(Timestamp.format(f.time)))\(place.isEmpty ? "" : " · " + HTML.escape(place))\(f.actor.map { " · " + HTML.escape($0.name) } ?? "")\(route.isEmpty ? "" : " · " + HTML.escape(route))</small>
                <p>\(HTML.escape(f.why))</p><p><i>Benign if:</i> \(HTML.escape(f.benignIf))</p><details><summary>Evidence (\(f.evidence.count))</summary><ul>\(evidence)</ul></details>
                <small>\(HTML.escape(f.id))\(f.ticket.map { " · ticket " + HTML.escape($0) } ?? "")\(f.exception.map { " · exception " + HTML.escape($0) } ?? "")</small></td></tr>

                """
        }
        return """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8">
            <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
            <title>mirrorwatch findings</title><style>\(style)</style></head><body>
            <h1>mirrorwatch findings</h1><p>\(findings.count) finding(s)\(summary.isEmpty ? "" : ": " + summary) · made \(HTML.escape(Timestamp.format(generated)))</p>
            <table><thead><tr><th>severity</th><th>rule</th><th>finding</th></tr></thead><tbody>
            \(rows)</tbody></table></body></html>

            """
    }

    static let style = """
        body{font-family:"DejaVu Sans",system-ui,sans-serif;margin:24px;color:#1d2430}table{border-collapse:collapse;width:100%}
        th,td{text-align:left;padding:8px;border-bottom:1px solid #e3e6eb;vertical-align:top}th{background:#eef1f5}
        .sev{display:inline-block;min-width:64px;text-align:center;border-radius:4px;padding:1px 6px;color:#fff;font-size:12px}
        .critical{background:#b3001b}.high{background:#d9480f}.medium{background:#c28f00}.low{background:#2f6fb3}.info{background:#6b7280}
        small{color:#55606e}p{margin:6px 0}
        """
}
