import Foundation
import MirrorwatchJSON
import MirrorwatchModel

/// Reads change-ticket exports: CSV (ServiceNow `change_request` list export, Jira CSV,
/// hand-made sheets) and JSON (ServiceNow REST `{"result": [...]}`, Jira `{"issues": [...]}`,
/// or a plain array of objects). Column names are matched loosely: `number`, `Key` and
/// `ticket_id` all give the id, `cmdb_ci` and `Affected resources` the resources, and so on.
public enum TicketReader {
    static let format = InputFormat(kind: .tickets, recognizes: { head in
        if head.name.hasSuffix(".csv") || head.name.hasSuffix(".tsv") { return true }
        if ["result", "issues", "tickets", "changes"].contains(head.firstKey ?? "") { return true }
        return ["short_description", "cmdb_ci", "assigned_to", "issuetype", "change_request", "affected_resources", "ticket",
                "planned_start", "start_date"].contains { head.hasKey($0) }
    }, read: { input, options in read(input, options: options) })

    public static func read(_ input: LoadedInput, options: ReaderOptions) -> ReadResult {
        var result = ReadResult(report: InputReport(input: input.name, format: "tickets"))
        result.report.bytes = input.bytes.count
        let first = input.bytes.first(where: { ![0x20, 0x0A, 0x0D, 0x09, 0xEF, 0xBB, 0xBF].contains($0) })
        if first == UInt8(ascii: "{") || first == UInt8(ascii: "[") {
            readJSON(input, options: options, into: &result)
        } else {
            readCSV(input, options: options, into: &result)
        }
        return result
    }

    static func readCSV(_ input: LoadedInput, options: ReaderOptions, into result: inout ReadResult) {
        let (rows, problems) = CSVParser.parse(input.bytes)
        for problem in problems { result.report.problem("line \(problem.line)", problem.reason) }
        guard let header = rows.first else {
            result.report.problem("line 1", "no header row"); return
        }
        let columns = header.fields.map(normalize)
        guard columns.contains(where: { TicketColumns.id.contains($0) }) else {
            result.report.problem("line \(header.line)", "no ticket id column (expected one of number, key, id, ticket)"); return
        }
        for (ordinal, row) in rows.dropFirst().enumerated() {
            result.report.records += 1
            if row.fields.count != columns.count {
                result.report.problem("line \(row.line)", "row has \(row.fields.count) fields, header has \(columns.count); row skipped")
                continue
            }
            var fields: [String: String] = [:]
            for (name, value) in zip(columns, row.fields) where !value.isEmpty { fields[name] = value }
            add(fields, evidence: Evidence(input: input.name, record: ordinal, line: row.line), options: options, into: &result)
        }
    }

    static func readJSON(_ input: LoadedInput, options: ReaderOptions, into result: inout ReadResult) {
        guard let document = SnapshotDocument.parse(input, into: &result)?.root else { return }
        let items = (document.member(anyOf: "result", "issues", "tickets", "changes", "records") ?? document).elements
        // Jira's `expand=names` maps custom field ids to their names ("customfield_10210": "Change window start").
        var fieldNames: [String: String] = [:]
        for (id, name) in document["names"]?.members ?? [:] { if let text = name.text { fieldNames[id] = text } }
        for (index, item) in items.enumerated() {
            result.report.records += 1
            var fields: [String: String] = [:]
            var flat = item.members.dictionary
            if let jiraFields = item["fields"]?.members { flat.merge(jiraFields.dictionary) { a, _ in a } }
            for (key, value) in flat {
                // Jira statuses are objects whose name is the state.
                let value = key == "status" ? (value["name"] ?? value) : value
                if let text = flatten(value) { fields[normalize(fieldNames[key].map { $0 == "Resolved" ? "resolutiondate" : $0 } ?? key)] = text }
            }
            add(fields, evidence: Evidence(input: input.name, record: index), options: options, into: &result)
        }
    }

    /// A field's display text: plain values, ServiceNow `{display_value, value}`, Jira
    /// `{name}`/`{emailAddress}` objects, and lists joined with commas.
    static func flatten(_ value: JSONValue) -> String? {
        switch value {
        case .object:
            return value.member(anyOf: "display_value", "emailAddress", "name", "value", "key")?.text
        case .array(let items):
            let parts = items.compactMap(flatten)
            return parts.isEmpty ? nil : parts.joined(separator: ",")
        default:
            return value.text
        }
    }

    static func add(_ fields: [String: String], evidence: Evidence, options: ReaderOptions, into result: inout ReadResult) {
        func pick(_ names: [String]) -> String? { names.lazy.compactMap { fields[$0] }.first }
        guard let id = pick(TicketColumns.id) else {
            result.report.problem(evidence.position, "ticket without an id"); return
        }
        var start: Date?
        var end: Date?
        if let text = pick(TicketColumns.start) {
            start = Timestamp.parse(text, defaultZone: options.defaultTimeZone)
            if start == nil { result.report.issues.append(InputIssue(input: evidence.input, position: evidence.position, reason: "ticket \(id): unreadable start time '\(text)'")) }
        }
        if let text = pick(TicketColumns.end) {
            end = Timestamp.parse(text, defaultZone: options.defaultTimeZone)
            // A date without a time ("due 2026-11-05") means the whole day.
            if let date = end, text.trimmingCharacters(in: .whitespaces).count == 10 { end = date.addingTimeInterval(24 * 3600 - 1) }
            if end == nil { result.report.issues.append(InputIssue(input: evidence.input, position: evidence.position, reason: "ticket \(id): unreadable end time '\(text)'")) }
        }
        let people = TicketColumns.people.compactMap { fields[$0] }.flatMap(splitList)
        var resources = TicketColumns.resources.compactMap { fields[$0] }.flatMap(splitList)
        for (key, value) in fields where key.contains("affected") || key.hasSuffix("cis") || key.contains("configurationitem") {
            for item in splitList(value) where !resources.contains(item) { resources.append(item) }
        }
        result.tickets.append(ChangeTicket(id: id, state: pick(TicketColumns.state), summary: pick(TicketColumns.summary),
                                           start: start, end: end, people: people, resources: resources, evidence: evidence))
        result.report.relevant += 1
    }

    static func splitList(_ text: String) -> [String] {
        text.split(whereSeparator: { ",;\n| ".contains($0) }).map { String($0).trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// `Planned start date` → `plannedstartdate`.
    static func normalize(_ name: String) -> String {
        String(name.lowercased().unicodeScalars.filter { CharacterSet.alphanumerics.contains($0) })
    }
}

/// Column names, normalized (lower case, letters and digits only), in order of preference.
enum TicketColumns {
    static let id = ["number", "key", "issuekey", "ticket", "ticketid", "ticketnumber", "changeid", "change", "changenumber", "id"]
    static let state = ["state", "status", "approval", "changestate"]
    static let summary = ["shortdescription", "summary", "title", "description"]
    static let start = ["startdate", "plannedstartdate", "plannedstart", "windowstart", "changewindowstart", "scheduledstart",
                        "implementationstart", "start", "customfieldchangewindowstart", "customfieldplannedstart", "created"]
    static let end = ["enddate", "plannedenddate", "plannedend", "windowend", "changewindowend", "scheduledend",
                      "implementationend", "end", "customfieldchangewindowend", "customfieldplannedend", "resolutiondate", "resolved"]
    static let people = ["assignedto", "assignee", "requestedby", "requester", "reporter", "openedby", "implementer", "owner"]
    static let resources = ["cmdbci", "affectedresources", "resources", "affectedcis", "configurationitem", "configurationitems",
                            "ci", "cis", "assets", "affectedassets", "customfieldaffectedresources", "customfieldconfigurationitems"]
}
