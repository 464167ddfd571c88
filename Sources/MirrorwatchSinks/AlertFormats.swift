import Foundation
import MirrorwatchJSON
import MirrorwatchModel

/// How findings look to the alert sinks of the service: ArcSight CEF (syslog over TCP), Slack
/// incoming webhooks, Splunk HTTP Event Collector and Elasticsearch/OpenSearch `_bulk`. Webhooks
/// and OCSF files carry `FindingJSON` and `OCSFFormatter` lines as they are.
public enum AlertFormats {
    /// CEF:0 with the finding's rule as the signature id and CEF severity 0–10; header fields
    /// escape `|` and `\`, extension values escape `=`, `\` and line breaks. Text from logs cannot
    /// start another event: line breaks in header fields and other control characters anywhere
    /// (NUL ends a message in syslog framing) become spaces.
    public static func cef(_ f: Finding, version: String) -> String {
        func header(_ text: String) -> String {
            blankingControls(text, keepingLineBreaks: false).replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "|", with: "\\|")
        }
        func value(_ text: String) -> String {
            blankingControls(text, keepingLineBreaks: true).replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "=", with: "\\=")
                .replacingOccurrences(of: "\r", with: "\\r").replacingOccurrences(of: "\n", with: "\\n")
        }
        let severity = [Severity.info: 1, .low: 3, .medium: 5, .high: 8, .critical: 10][f.severity] ?? 5
        var extensions = [
            "rt=\(Int64(f.time.timeIntervalSince1970 * 1000))",
            "cs1Label=findingId", "cs1=\(value(f.id))",
            "cs2Label=platform", "cs2=\(value(f.platform.rawValue))",
            "msg=\(value(f.why))",
        ]
        if let actor = f.actor { extensions.append("suser=\(value(actor.name))") }
        if let ip = f.actor?.sourceIP { extensions.append("src=\(value(ip))") }
        if let destination = f.destination {
            extensions.append("cs3Label=destination")
            extensions.append("cs3=\(value(destination.endpoint.id))")
            if let address = destination.endpoint.address { extensions.append("dst=\(value(address))") }
        }
        if let ticket = f.ticket { extensions.append("cs4Label=ticket"); extensions.append("cs4=\(value(ticket))") }
        return "CEF:0|mirrorwatch|mirrorwatch|\(header(version))|\(header(f.rule))|\(header(f.title))|\(severity)|" + extensions.joined(separator: " ")
    }

    /// A Slack incoming-webhook message: the title, severity and rule, why, and what would make it benign.
    public static func slack(_ f: Finding) -> String {
        var w = JSONWriter()
        w.beginObject()
        w.string("text", "[\(f.severity.name.uppercased())] \(Self.slackEscape(f.title))")
        w.beginArray("blocks")
        w.beginObject()
        w.string("type", "section")
        w.beginObject("text")
        w.string("type", "mrkdwn")
        w.string("text", "*\(Self.slackEscape(f.title))*\nSeverity: *\(f.severity.name)* · Rule: `\(f.rule)` · Finding `\(f.id)`\n\(Self.slackEscape(f.why))\n_Benign if:_ \(Self.slackEscape(f.benignIf))")
        w.endObject()
        w.endObject()
        w.endArray()
        w.endObject()
        return w.output
    }

    /// `text` with control characters (C0, DEL, C1) as spaces; CR and LF kept when `keepingLineBreaks`.
    static func blankingControls(_ text: String, keepingLineBreaks: Bool) -> String {
        guard text.unicodeScalars.contains(where: { isControl($0, keepingLineBreaks) }) else { return text }
        return String(String.UnicodeScalarView(text.unicodeScalars.map { isControl($0, keepingLineBreaks) ? " " : $0 }))
    }

    private static func isControl(_ scalar: Unicode.Scalar, _ keepingLineBreaks: Bool) -> Bool {
        let v = scalar.value
        if keepingLineBreaks && (v == 0x0A || v == 0x0D) { return false }
        return v < 0x20 || (v >= 0x7F && v <= 0x9F)
    }

    private static func slackEscape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }

    /// A Splunk HEC event: the finding JSON as the event, at the finding's time.
    public static func splunkHEC(_ f: Finding) -> String {
        var w = JSONWriter()
        w.beginObject()
        w.raw("time", String(format: "%.3f", f.time.timeIntervalSince1970))
        w.string("source", "mirrorwatch")
        w.string("sourcetype", "mirrorwatch:finding")
        w.raw("event", FindingJSON.line(f))
        w.endObject()
        return w.output
    }

    /// An Elasticsearch/OpenSearch `_bulk` body for one finding: indexed under its id, so a retry
    /// or a second replica overwrites instead of duplicating.
    public static func elasticsearchBulk(_ f: Finding, index: String) -> String {
        var w = JSONWriter()
        w.beginObject()
        w.beginObject("index")
        w.string("_index", index)
        w.string("_id", f.id)
        w.endObject()
        w.endObject()
        return w.output + "\n" + FindingJSON.line(f) + "\n"
    }
}
