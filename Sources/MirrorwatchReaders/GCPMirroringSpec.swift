import MirrorwatchJSON
import MirrorwatchModel

/// What a GCP packet-mirroring policy or firewall-policy mirroring rule copies, and to where,
/// as its request (audit logs) or resource (`gcloud ... --format=json`) states it.
enum GCPMirroringSpec {
    /// A `PacketMirroring` resource or insert/patch request.
    static func packetMirroring(_ body: JSONValue, isInsert: Bool) -> MirrorSpec {
        var spec = MirrorSpec()
        if let ilb = url(body.member(ignoringCase: "collectorIlb")) {
            spec.destination = Endpoint(kind: .ilb, id: ilb, owner: ResourceRef.owner(of: ilb))
        }
        let mirrored = body.member(ignoringCase: "mirroredResources")
        for subnet in mirrored?.member(ignoringCase: "subnetworks")?.elements ?? [] {
            if let ref = url(subnet) { spec.sources.append(Endpoint(kind: .subnet, id: ref, owner: ResourceRef.owner(of: ref))) }
        }
        for instance in mirrored?.member(ignoringCase: "instances")?.elements ?? [] {
            if let ref = url(instance) { spec.sources.append(Endpoint(kind: .instance, id: ref, owner: ResourceRef.owner(of: ref))) }
        }
        for tag in mirrored?.member(ignoringCase: "tags")?.elements ?? [] {
            if let name = tag.text { spec.sources.append(Endpoint(kind: .networkTag, id: name)) }
        }
        if let filter = body.member(ignoringCase: "filter") {
            spec.rules = rules(cidrs: filter.member(ignoringCase: "cidrRanges")?.elements.compactMap(\.text) ?? [],
                               protocols: filter.member(anyOf: "IPProtocols", "ipProtocols")?.elements.compactMap(\.text) ?? [],
                               direction: filter.member(ignoringCase: "direction")?.text)
        } else if isInsert {
            // No filter on creation: every packet, both directions.
            spec.rules = [FilterRule(direction: .both, action: "accept")]
        }
        if let enable = body.member(ignoringCase: "enable") { spec.enabled = enable.bool }
        spec.description = body.member(ignoringCase: "description")?.text
        // Where several policies match an instance, the lowest priority number wins (1000 when not given).
        spec.sessionNumber = body.member(ignoringCase: "priority")?.int ?? (isInsert ? 1000 : nil)
        return spec
    }

    /// A network firewall policy rule whose action is `mirror` (or `do_not_mirror`, `goto_next`).
    static func firewallRule(_ rule: JSONValue, isCreate: Bool) -> MirrorSpec {
        var spec = MirrorSpec()
        let actionText = rule.member(ignoringCase: "action")?.text?.lowercased()
        let disabled = rule.member(ignoringCase: "disabled")?.bool
        let action = actionText ?? "mirror"
        // A patch that names neither the action nor `disabled` leaves the rule as it was.
        if isCreate || actionText != nil || disabled != nil { spec.enabled = action == "mirror" && disabled != true }
        if let group = rule.member(ignoringCase: "securityProfileGroup")?.text {
            let ref = ResourceRef.normalize(group.replacingOccurrences(of: "//networksecurity.googleapis.com/", with: ""))
            spec.destination = Endpoint(kind: .target, id: ref, owner: ResourceRef.owner(of: ref))
        }
        for tag in rule.member(ignoringCase: "targetSecureTags")?.elements ?? [] {
            if let name = tag.member(ignoringCase: "name")?.text ?? tag.text { spec.sources.append(Endpoint(kind: .networkTag, id: name)) }
        }
        let match = rule.member(ignoringCase: "match")
        let direction = rule.member(ignoringCase: "direction")?.text
        let sources = match?.member(ignoringCase: "srcIpRanges")?.elements.compactMap(\.text) ?? []
        let destinations = match?.member(ignoringCase: "destIpRanges")?.elements.compactMap(\.text) ?? []
        let protocols = (match?.member(ignoringCase: "layer4Configs")?.elements ?? []).compactMap { $0.member(ignoringCase: "ipProtocol")?.text }
        if action == "mirror" {
            spec.rules = rules(cidrs: sources + destinations, protocols: protocols, direction: direction)
        }
        spec.description = rule.member(ignoringCase: "description")?.text
        return spec
    }

    /// The filter as rules: one per (range, protocol); none given means any.
    static func rules(cidrs: [String], protocols: [String], direction: String?) -> [FilterRule] {
        let dir: FilterRule.Direction
        switch direction?.uppercased() {
        case "INGRESS": dir = .ingress
        case "EGRESS": dir = .egress
        default: dir = .both
        }
        let ranges: [String?] = cidrs.isEmpty ? [nil] : cidrs
        let protos: [Int?] = protocols.isEmpty || protocols.contains { $0.lowercased() == "all" } ? [nil] : protocols.map(protocolNumber)
        return ranges.flatMap { range in
            protos.map { proto in FilterRule(direction: dir, action: "accept", proto: proto, sourceCIDR: range, destinationCIDR: range == nil ? nil : "0.0.0.0/0") }
        }
    }

    static func protocolNumber(_ name: String) -> Int? {
        switch name.lowercased() {
        case "tcp": 6
        case "udp": 17
        case "icmp": 1
        case "esp": 50
        case "ah": 51
        case "sctp": 132
        default: Int(name) ?? 255
        }
    }

    /// A reference as `{"url": ...}`, `{"canonicalUrl": ...}` or a plain string, normalized.
    static func url(_ value: JSONValue?) -> String? {
        guard let value else { return nil }
        let text = value.text ?? value.member(anyOf: "url", "canonicalUrl", "selfLink")?.text
        return text.map(ResourceRef.normalize)
    }
}
