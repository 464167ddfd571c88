import Foundation
import Mirrorwatch
import MirrorwatchReport
import MirrorwatchStore

/// The web UI's pages, rendered on the server: plain HTML and CSS, no script. Every value from
/// logs or findings is escaped.
enum WebPages {
    static func page(_ title: String, caller: Caller?, _ body: String) -> String {
        // Signing out needs no CSRF token: the session cookie is SameSite=Strict, so no other site's form carries it.
        let user = caller.map {
            "<span class=who>\(HTML.escape($0.name)) · \($0.role.rawValue)</span><form method=post action=/ui/logout class=inline><button>Sign out</button></form>"
        } ?? ""
        return """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(HTML.escape(title)) · mirrorwatch</title>
            <style>
            body{font-family:"DejaVu Sans",system-ui,sans-serif;margin:0;color:#1d2430;background:#f6f7f9}
            header{background:#1d2430;color:#fff;padding:10px 24px;display:flex;gap:24px;align-items:center}
            header a{color:#cfe0ff;text-decoration:none}header b{font-size:18px}.who{margin-left:auto;color:#aab4c4}
            main{padding:20px 24px;max-width:1200px}table{border-collapse:collapse;width:100%;background:#fff}
            th,td{text-align:left;padding:6px 8px;border-bottom:1px solid #e3e6eb;vertical-align:top}th{background:#eef1f5}
            .sev{display:inline-block;min-width:64px;text-align:center;border-radius:4px;padding:1px 6px;color:#fff;font-size:12px}
            .expired{background:#b3001b}.unused{background:#c28f00}.active{background:#2f7d32}
            .critical{background:#b3001b}.high{background:#d9480f}.medium{background:#c28f00}.low{background:#2f6fb3}.info{background:#6b7280}
            .status{font-size:12px;color:#3b4656}form.inline{display:inline}.box{background:#fff;padding:12px 16px;border:1px solid #e3e6eb;margin:12px 0}
            pre{white-space:pre-wrap}label{margin-right:12px}button{padding:4px 12px}td.when{white-space:nowrap;font-size:13px}
            </style></head><body>
            <header><b>mirrorwatch</b><a href="/ui/findings">Findings</a><a href="/ui/graph">Mirroring graph</a><a href="/ui/coverage">Coverage</a><a href="/ui/exceptions">Exceptions</a><a href="/ui/policy">Policy</a><a href="/ui/audit">Audit report</a>\(user)</header>
            <main>\(body)</main></body></html>
            """
    }

    /// The sign-in page; `formToken` goes back with the form, to be matched with the sign-in cookie.
    static func login(error: String?, formToken: String) -> String {
        let message = error.map { "<p class=box><b>\(HTML.escape($0))</b></p>" } ?? ""
        return page("Sign in", caller: nil, """
            <h1>Sign in</h1>\(message)
            <form method="post" action="/ui/login" class=box>
            <input type="hidden" name="form" value="\(HTML.escape(formToken))">
            <label>Token <input type="password" name="token" size="70" autocomplete="off"></label> <button>Sign in</button>
            </form>
            <p>Or ask for a one-time link (valid one minute):
            <code>curl -X POST -H "Authorization: Bearer $TOKEN" http://HOST/v1/ui/login-link</code></p>
            """)
    }

    /// One page of the findings list, with links to the pages before and after it (filters kept).
    static func findings(_ found: Paged<StoredFinding>, page: Page, status: String?, severity: String?, caller: Caller) -> String {
        let rows = found.rows
        func option(_ value: String, _ selected: String?) -> String {
            "<option value=\"\(value)\"\(value == (selected ?? "") ? " selected" : "")>\(value.isEmpty ? "any" : value)</option>"
        }
        let statusOptions = ([""] + FindingStatus.allCases.map(\.rawValue)).map { option($0, status) }.joined()
        let severityOptions = ["", "critical", "high", "medium", "low", "info"].map { option($0, severity) }.joined()
        var body = """
            <h1>Findings</h1>
            <form method="get" action="/ui/findings" class=box>
            <label>Status <select name="status">\(statusOptions)</select></label>
            <label>Severity <select name="severity">\(severityOptions)</select></label> <button>Filter</button>
            </form>
            <p>\(Self.range(found, page)) finding(s)</p>
            <table><tr><th>Severity</th><th>Finding</th><th>Rule</th><th>Status</th><th>Last seen</th></tr>
            """
        for row in rows {
            body += "<tr><td><span class=\"sev \(HTML.escape(row.severity))\">\(HTML.escape(row.severity))</span></td>"
                + "<td><a href=\"/ui/findings/\(HTML.escape(row.id))\">\(HTML.escape(row.title))</a></td>"
                + "<td><code>\(HTML.escape(row.rule))</code></td><td class=status>\(HTML.escape(row.status.rawValue))</td>"
                + "<td class=when>\(HTML.escape(row.lastSeen))</td></tr>"
        }
        body += "</table>"
        let limit = page.limit ?? max(rows.count, 1)
        func link(_ offset: Int, _ label: String, _ rel: String) -> String {
            var query = ["limit=\(limit)", "offset=\(offset)"]
            for (name, value) in [("status", status), ("severity", severity)] {
                if let value { query.append(name + "=" + HTML.escape(value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")) }
            }
            return "<a rel=\"\(rel)\" href=\"/ui/findings?\(query.joined(separator: "&amp;"))\">\(label)</a>"
        }
        var links: [String] = []
        if page.offset > 0 { links.append(link(max(0, page.offset - limit), "← Newer", "prev")) }
        if let next = found.nextOffset(after: page) { links.append(link(next, "Older →", "next")) }
        if !links.isEmpty { body += "<p class=pages>" + links.joined(separator: " · ") + "</p>" }
        return self.page("Findings", caller: caller, body)
    }

    /// "41–60 of 1,000", or the count when everything is on one page.
    static func range(_ found: Paged<StoredFinding>, _ page: Page) -> String {
        guard found.total > found.rows.count else { return "\(found.total)" }
        return found.rows.isEmpty ? "0 of \(found.total)" : "\(page.offset + 1)–\(page.offset + found.rows.count) of \(found.total)"
    }

    static func finding(_ row: StoredFinding, caller: Caller, csrf: String) -> String {
        let value = (try? JSONParser.parse(Array(row.json.utf8))) ?? .null
        func text(_ key: String) -> String { HTML.escape(value[key]?.text ?? "") }
        let evidence = value["evidence"]?.elements.map { item -> String in
            let parts = ["input", "record", "line"].compactMap { key in item[key]?.text.map { "\(key) \($0)" } }
            return "<li>\(HTML.escape(parts.joined(separator: ", ")))</li>"
        }.joined() ?? ""
        var actions = ""
        if caller.role.allows(.triage) {
            for (action, label) in [("acknowledge", "Acknowledge"), ("resolve", "Resolve"), ("reopen", "Reopen")] {
                actions += """
                    <form method="post" action="/ui/findings/\(HTML.escape(row.id))/\(action)" class="inline">
                    <input type="hidden" name="csrf" value="\(csrf)"><input type="text" name="note" placeholder="note" size="30">
                    <button>\(label)</button></form>
                    """
            }
        }
        if caller.role.allows(.triage) {
            // Prefilled from the finding: its rule and what it is about; owner, justification and expiry are the analyst's.
            let resource = value["change"]?["resource"]?.text ?? value["destination"]?["id"]?.text ?? ""
            let account = value["scope"]?["account"]?.text ?? ""
            actions += """
                <h2>Document an exception</h2>
                <form method="post" action="/ui/findings/\(HTML.escape(row.id))/exception">
                <input type="hidden" name="csrf" value="\(csrf)">
                <p><label>Rule <input name="rule" value="\(text("rule"))" size="34"></label>
                <label>Resource <input name="resource" value="\(HTML.escape(resource))" size="40"></label>
                <label>Account <input name="account" value="\(HTML.escape(account))" size="16"></label></p>
                <p><label>Owner <input name="owner" size="30" required></label>
                <label>Ticket <input name="ticket" size="14"></label>
                <label>Expires <input name="expires" type="date" required></label></p>
                <p><label>Justification <input name="justification" size="90" required></label> <button>Create exception</button></p>
                </form>
                """
        }
        let lifecycle = row.statusBy.map { " by \(HTML.escape($0)) at \(HTML.escape(row.statusAt ?? ""))" } ?? ""
        return page(row.title, caller: caller, """
            <h1><span class="sev \(HTML.escape(row.severity))">\(HTML.escape(row.severity))</span> \(HTML.escape(row.title))</h1>
            <p>Rule <code>\(text("rule"))</code> · finding <code>\(HTML.escape(row.id))</code> · status <b>\(HTML.escape(row.status.rawValue))</b>\(lifecycle)
            · first seen \(HTML.escape(row.firstSeen))</p>
            <div class=box><h2>Why</h2><p>\(text("why"))</p><h2>Benign if</h2><p>\(text("benign_if"))</p></div>
            <div class=box><h2>Evidence</h2><ul>\(evidence)</ul></div>
            <div class=box>\(actions.isEmpty ? "Your role may view findings only." : actions)</div>
            """)
    }

    /// Exceptions made in the service with their status; expired ones first, as they need attention.
    static func exceptions(_ rows: [(exception: StoredException, status: String)], caller: Caller) -> String {
        let order = ["expired": 0, "unused": 1, "active": 2]
        var body = """
            <h1>Exceptions</h1>
            <p>\(rows.count) exception(s) made in the service (the policy file's own are in the audit report). Make one from a finding's page.</p>
            <table><tr><th>Status</th><th>Id</th><th>Rule</th><th>Covers</th><th>Owner</th><th>Justification</th><th>Ticket</th><th>Expires</th><th>Made by</th></tr>
            """
        for (e, status) in rows.sorted(by: { (order[$0.status] ?? 3, $0.exception.id) < (order[$1.status] ?? 3, $1.exception.id) }) {
            let covers = [("resource", e.resource), ("destination", e.destination), ("account", e.account), ("device", e.device)]
                .compactMap { key, value in value.map { "\(key) \(HTML.escape($0))" } }.joined(separator: "<br>")
            body += "<tr><td><span class=\"sev \(status)\">\(status)</span></td><td class=when><code>\(HTML.escape(e.id))</code></td>"
                + "<td><code>\(HTML.escape(e.rule))</code></td><td>\(covers)</td><td>\(HTML.escape(e.owner))</td><td>\(HTML.escape(e.justification))</td>"
                + "<td>\(HTML.escape(e.ticket ?? ""))</td><td class=when>\(HTML.escape(e.expires))</td>"
                + "<td class=when>\(HTML.escape(e.createdBy))<br>\(HTML.escape(e.createdAt))</td></tr>"
        }
        return page("Exceptions", caller: caller, body + "</table>")
    }

    /// The current policy version and every earlier one.
    static func policy(_ history: [PolicyVersion], caller: Caller) -> String {
        guard let current = history.last else {
            return page("Policy", caller: caller, "<h1>Policy</h1><p class=box>No policy recorded: only policy-independent rules run. Start with <code>--policy</code> or <code>PUT /v1/policy</code>.</p>")
        }
        var body = """
            <h1>Policy</h1>
            <p>Version <b>\(current.version)</b> · SHA-256 <code>\(HTML.escape(current.sha256))</code> · recorded by \(HTML.escape(current.recordedBy)) at \(HTML.escape(current.recordedAt))</p>
            <div class=box><pre>\(HTML.escape(current.text))</pre></div>
            <h2>History</h2>
            <table><tr><th>Version</th><th>SHA-256</th><th>Recorded by</th><th>At</th></tr>
            """
        for version in history.reversed() {
            body += "<tr><td>\(version.version)</td><td><code>\(HTML.escape(String(version.sha256.prefix(16))))…</code></td>"
                + "<td>\(HTML.escape(version.recordedBy))</td><td class=when>\(HTML.escape(version.recordedAt))</td></tr>"
        }
        return page("Policy", caller: caller, body + "</table>")
    }
}
