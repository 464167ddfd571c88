import MirrorwatchModel
import MirrorwatchPolicy

/// Which approved destination, if any, a destination is.
enum DestinationMatcher {
    static func approval(for destination: AssessedDestination, in approved: [ApprovedDestination]) -> ApprovedDestination? {
        let endpoint = destination.endpoint
        func same(_ a: String?, _ b: String?) -> Bool {
            guard let a, let b else { return false }
            return a.caseInsensitiveCompare(b) == .orderedSame
        }
        for entry in approved {
            if same(entry.target, destination.targetRef) { return entry }
            switch endpoint.kind {
            case .eni: if same(entry.eni, endpoint.id) { return entry }
            case .nlb: if same(entry.nlb, endpoint.id) { return entry }
            case .gwlbe: if same(entry.gwlbe, endpoint.id) { return entry }
            case .target: if same(entry.target, endpoint.id) { return entry }
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
        for segment in segments {
            let ids = [endpoint.id, fact?.instanceId, fact?.id].compactMap { $0 }
            if ids.contains(where: { segment.enis.contains($0) || segment.instances.contains($0) }) { return segment.name }
            if endpoint.kind == .subnet, segment.subnets.contains(endpoint.id) { return segment.name }
            if endpoint.kind == .instance, segment.instances.contains(endpoint.id) { return segment.name }
            if let subnet = fact?.subnetId, segment.subnets.contains(subnet) { return segment.name }
            let address = endpoint.address ?? fact?.privateIP
            if let address, segment.cidrs.contains(where: { $0.contains(address) }) { return segment.name }
            if endpoint.kind == .ip, segment.cidrs.contains(where: { $0.contains(endpoint.id) }) { return segment.name }
            if !segment.tags.isEmpty, let tags = fact?.tags, segment.tags.allSatisfy({ tags[$0.key] == $0.value }) { return segment.name }
        }
        return nil
    }
}
