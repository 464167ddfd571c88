import MirrorwatchModel
import MirrorwatchPolicy

/// Which approved destination, if any, a destination is.
enum DestinationMatcher {
    static func approval(for destination: AssessedDestination, in approved: [ApprovedDestination]) -> ApprovedDestination? {
        let endpoint = destination.endpoint
        func same(_ a: String?, _ b: String?) -> Bool {
            guard let a, let b else { return false }
            return ResourceRef.normalize(a).caseInsensitiveCompare(ResourceRef.normalize(b)) == .orderedSame
        }
        for entry in approved {
            if same(entry.target, destination.targetRef) { return entry }
            switch endpoint.kind {
            case .eni: if same(entry.eni, endpoint.id) { return entry }
            case .nlb: if same(entry.nlb, endpoint.id) { return entry }
            case .gwlbe: if same(entry.gwlbe, endpoint.id) { return entry }
            case .target: if same(entry.target, endpoint.id) { return entry }
            case .ilb: if same(entry.ilb, endpoint.id) { return entry }
            case .nicIPConfig, .lbFrontend: if same(entry.azureDestination, endpoint.id) { return entry }
            default: break
            }
            if let cidr = entry.ip, entry.device == nil, let address = endpoint.address, cidr.contains(address) { return entry }
        }
        return nil
    }
}

/// Which sensitive segment, if any, a source belongs to.
enum SegmentMatcher {
    static func segment(of endpoint: Endpoint, fact: AssetFact?, in segments: [SensitiveSegment]) -> String? {
        func listed(_ list: [String], _ id: String?) -> Bool {
            guard let id else { return false }
            let wanted = ResourceRef.normalize(id)
            return list.contains { ResourceRef.normalize($0).caseInsensitiveCompare(wanted) == .orderedSame }
        }
        for segment in segments {
            let ids = [endpoint.id, fact?.instanceId, fact?.id].compactMap { $0 }
            if ids.contains(where: { listed(segment.enis, $0) || listed(segment.instances, $0) }) { return segment.name }
            if endpoint.kind == .subnet, listed(segment.subnets, endpoint.id) { return segment.name }
            if listed(segment.subnets, fact?.subnetId) { return segment.name }
            if endpoint.kind == .networkTag, segment.tags.keys.contains(endpoint.id) { return segment.name }
            let address = endpoint.address ?? fact?.privateIP
            if let address, segment.cidrs.contains(where: { $0.contains(address) }) { return segment.name }
            if endpoint.kind == .ip, segment.cidrs.contains(where: { $0.contains(endpoint.id) }) { return segment.name }
            if !segment.tags.isEmpty, let tags = fact?.tags, segment.tags.allSatisfy({ tags[$0.key] == $0.value }) { return segment.name }
        }
        return nil
    }
}
