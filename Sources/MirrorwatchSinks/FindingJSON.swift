import MirrorwatchJSON
import MirrorwatchModel

/// The finding contract of DESIGN.md as one JSON object per line.
public enum FindingJSON {
    /// `context` (an extension of the contract): identity chain, MFA, flags, tool, ticket note,
    /// and for a correlated finding every rule that fired on the change.
    static func context(_ c: FindingContext, into w: inout JSONWriter) {
        w.beginObject("context")
        if !c.rules.isEmpty {
            w.beginArray("rules"); for rule in c.rules { w.string(nil, rule) }; w.endArray()
        }
        w.beginArray("flags"); for flag in c.flags { w.string(nil, flag) }; w.endArray()
        if !c.identityChain.isEmpty {
            w.beginArray("identity_chain"); for link in c.identityChain { w.string(nil, link) }; w.endArray()
        }
        w.bool("mfa", c.mfa)
        w.string("tool", c.tool)
        w.string("ticket_note", c.ticketNote)
        w.endObject()
    }

    public static func line(_ f: Finding) -> String {
        var w = JSONWriter()
        w.beginObject()
        w.string("id", f.id)
        w.string("rule", f.rule)
        w.string("severity", f.severity.name)
        if let original = f.originalSeverity { w.string("original_severity", original.name) }
        w.string("title", f.title)
        w.string("why", f.why)
        w.string("benign_if", f.benignIf)
        w.string("platform", f.platform.rawValue)
        w.string("time", Timestamp.format(f.time))
        w.beginObject("scope")
        w.string("account", f.scope.account); w.string("region", f.scope.region); w.string("device", f.scope.device)
        w.endObject()
        if let actor = f.actor {
            w.beginObject("actor")
            w.string("name", actor.name); w.string("type", actor.type)
            w.string("source_ip", actor.sourceIP); w.string("user_agent", actor.userAgent)
            w.string("session_issuer", actor.sessionIssuer); w.bool("mfa", actor.mfa)
            w.endObject()
        } else { w.null("actor") }
        if let change = f.change {
            w.beginObject("change")
            w.string("operation", change.operation); w.string("action", change.action.rawValue)
            w.string("resource", change.resource); w.string("outcome", change.outcome)
            if let error = change.error { w.string("error", error) }
            w.endObject()
        } else { w.null("change") }
        if let source = f.source {
            w.beginObject("source")
            w.string("kind", source.endpoint.kind.rawValue); w.string("id", source.endpoint.id)
            w.string("address", source.endpoint.address); w.string("segment", source.segment)
            w.endObject()
        } else { w.null("source") }
        if let destination = f.destination {
            w.beginObject("destination")
            w.string("kind", destination.endpoint.kind.rawValue); w.string("id", destination.endpoint.id)
            w.string("address", destination.endpoint.address); w.string("owner", destination.endpoint.owner)
            w.bool("approved", destination.approved)
            if let name = destination.approvedAs { w.string("approved_as", name) }
            w.endObject()
        } else { w.null("destination") }
        w.string("ticket", f.ticket)
        w.string("exception", f.exception)
        w.beginArray("evidence")
        for e in f.evidence {
            w.beginObject()
            w.string("input", e.input); w.string("position", e.position)
            if let r = e.record { w.int("record", r) }
            if let l = e.line { w.int("line", l) }
            w.endObject()
        }
        w.endArray()
        w.beginArray("attack")
        for technique in f.attack { w.string(nil, technique) }
        w.endArray()
        if !f.context.isEmpty { context(f.context, into: &w) }
        w.endObject()
        return w.output
    }
}
