import MirrorwatchJSON
import MirrorwatchModel

/// Findings as OCSF 1.1 Detection Finding events (class_uid 2004), one per line.
public enum OCSFFormatter {
    public static let version = "1.1.0"

    /// The ATT&CK techniques findings name, with their tactic: mirroring is exfiltration, blinding
    /// the logs is defense evasion.
    static let techniques: [String: (name: String, tactic: String, tacticName: String)] = [
        "T1020.001": ("Automated Exfiltration: Traffic Duplication", "TA0010", "Exfiltration"),
        "T1562.006": ("Impair Defenses: Indicator Blocking", "TA0005", "Defense Evasion"),
        "T1562.008": ("Impair Defenses: Disable or Modify Cloud Logs", "TA0005", "Defense Evasion"),
    ]

    static func severityId(_ s: Severity) -> Int {
        switch s {
        case .info: 1
        case .low: 2
        case .medium: 3
        case .high: 4
        case .critical: 5
        }
    }

    public static func line(_ f: Finding) -> String {
        var w = JSONWriter()
        w.beginObject()
        w.int("class_uid", 2004)
        w.string("class_name", "Detection Finding")
        w.int("category_uid", 2)
        w.string("category_name", "Findings")
        w.int("activity_id", 1)
        w.string("activity_name", "Create")
        w.int("type_uid", 200401)
        w.string("type_name", "Detection Finding: Create")
        w.int("severity_id", severityId(f.severity))
        w.string("severity", f.severity == .info ? "Informational" : f.severity.name.capitalized)
        w.int("status_id", 1)
        w.string("status", "New")
        w.raw("time", String(Int64(f.time.timeIntervalSince1970 * 1000)))
        w.string("message", f.title)
        w.beginObject("metadata")
        w.string("version", version)
        w.beginObject("product"); w.string("name", "mirrorwatch"); w.string("vendor_name", "mirrorwatch"); w.endObject()
        w.string("uid", f.id)
        w.endObject()
        w.beginObject("finding_info")
        w.string("uid", f.id)
        w.string("title", f.title)
        w.string("desc", f.why)
        w.beginArray("types"); w.string(nil, f.rule); w.endArray()
        w.beginObject("analytic"); w.string("uid", f.rule); w.string("name", f.rule); w.int("type_id", 1); w.string("type", "Rule"); w.endObject()
        w.beginArray("attacks")
        for technique in f.attack {
            let known = Self.techniques[technique]
            w.beginObject()
            w.beginObject("technique"); w.string("uid", technique); w.string("name", known?.name ?? technique); w.endObject()
            w.beginObject("tactic"); w.string("uid", known?.tactic ?? "TA0010"); w.string("name", known?.tacticName ?? "Exfiltration"); w.endObject()
            w.string("version", "17")
            w.endObject()
        }
        w.endArray()
        w.endObject()
        if f.platform == .aws || f.platform == .gcp || f.platform == .azure {
            w.beginObject("cloud")
            w.string("provider", f.platform == .aws ? "AWS" : f.platform == .gcp ? "GCP" : "Azure")
            w.string("region", f.scope.region)
            if let account = f.scope.account { w.beginObject("account"); w.string("uid", account); w.endObject() }
            w.endObject()
        }
        if let actor = f.actor {
            w.beginObject("actor")
            w.beginObject("user"); w.string("name", actor.short); w.string("uid", actor.name); w.string("type", actor.type); w.endObject()
            if let issuer = actor.sessionIssuer { w.beginObject("session"); w.string("issuer", issuer); w.endObject() }
            w.endObject()
            if actor.sourceIP != nil || actor.userAgent != nil {
                w.beginObject("src_endpoint"); w.string("ip", actor.sourceIP); w.endObject()
            }
        }
        w.beginArray("resources")
        if let change = f.change, let resource = change.resource {
            w.beginObject(); w.string("uid", resource); w.string("type", change.operation); w.endObject()
        }
        if let source = f.source {
            w.beginObject(); w.string("uid", source.endpoint.id); w.string("type", "mirror-source:" + source.endpoint.kind.rawValue)
            if let segment = source.segment { w.beginArray("labels"); w.string(nil, "segment:" + segment); w.endArray() }
            w.endObject()
        }
        if let destination = f.destination {
            w.beginObject(); w.string("uid", destination.endpoint.id); w.string("type", "mirror-destination:" + destination.endpoint.kind.rawValue)
            w.beginArray("labels"); w.string(nil, destination.approved ? "approved" : "unapproved"); w.endArray()
            w.endObject()
        }
        w.endArray()
        w.beginArray("evidences")
        for e in f.evidence {
            w.beginObject(); w.beginObject("data"); w.string("input", e.input); w.string("position", e.position); w.endObject(); w.endObject()
        }
        w.endArray()
        w.beginObject("unmapped")
        w.string("benign_if", f.benignIf)
        w.string("ticket", f.ticket)
        w.string("exception", f.exception)
        w.endObject()
        w.endObject()
        return w.output
    }
}
