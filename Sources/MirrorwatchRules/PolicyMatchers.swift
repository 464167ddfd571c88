import MirrorwatchModel
import MirrorwatchPolicy

/// Which approved destination, if any, a destination is.
enum DestinationMatcher {
    static func approval(for destination: AssessedDestination, in approved: [ApprovedDestination], device deviceOf: String? = nil) -> ApprovedDestination? {
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
            case .target: if same(entry.target, endpoint.id) || same(entry.azureDestination, endpoint.id) { return entry }
            case .ilb: if same(entry.ilb, endpoint.id) { return entry }
            case .instance: if same(entry.instance, endpoint.id) { return entry }
            case .nicIPConfig, .lbFrontend: if same(entry.azureDestination, endpoint.id) { return entry }
            case .interface:
                if let (device, interface) = DeviceRef.split(endpoint.id), entry.device.map({ DeviceRef.matches($0, device) }) == true,
                   let wanted = entry.interface, InterfaceName.covers(wanted, interface) {
                    return entry
                }
            case .vlan, .remoteVLAN:
                if let (device, vlan) = DeviceRef.split(endpoint.id), let wanted = entry.vlan, DeviceRef.vlanNumber(vlan) == wanted,
                   entry.device.map({ DeviceRef.matches($0, device) }) ?? true {
                    return entry
                }
            default: break
            }
            // An approved instance behind the interface (or load balancer member) it is known by, and an
            // approved interface of an instance (a load balancer member named by its instance).
            if let instance = entry.instance, same(instance, destination.fact?.instanceId) { return entry }
            if endpoint.kind == .instance, let eni = entry.eni, same(eni, destination.fact?.id) { return entry }
            // An approved collector IP: for every device, or only for the one named.
            if let cidr = entry.ip, entry.interface == nil, let address = endpoint.address, cidr.contains(address),
               entry.device.map({ wanted in deviceOf.map { DeviceRef.matches(wanted, $0) } ?? false }) ?? true {
                return entry
            }
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
            if endpoint.kind == .interface, let (device, interface) = DeviceRef.split(endpoint.id),
               let listed = segment.devices.first(where: { DeviceRef.matches($0.key, device) })?.value,
               listed.contains(where: { InterfaceName.covers($0, interface) }) {
                return segment.name
            }
            if endpoint.kind == .vlan || endpoint.kind == .remoteVLAN, let (_, vlan) = DeviceRef.split(endpoint.id),
               let number = DeviceRef.vlanNumber(vlan), segment.vlans.contains(number) {
                return segment.name
            }
            let address = endpoint.address ?? fact?.privateIP
            if let address, segment.cidrs.contains(where: { $0.contains(address) }) { return segment.name }
            if endpoint.kind == .ip, segment.cidrs.contains(where: { $0.contains(endpoint.id) }) { return segment.name }
            if !segment.tags.isEmpty, let tags = fact?.tags, segment.tags.allSatisfy({ tags[$0.key] == $0.value }) { return segment.name }
        }
        return nil
    }
}

/// Device endpoint ids (`device:Interface`, `device:vlan 20`, `device:remote vlan 900`).
enum DeviceRef {
    static func split(_ id: String) -> (device: String, rest: String)? {
        guard !id.hasPrefix("/"), !id.hasPrefix("arn:"), let colon = id.firstIndex(of: ":") else { return nil }
        return (String(id[..<colon]), String(id[id.index(after: colon)...]))
    }

    /// Whether a policy's device name (`core-sw1`, or a pattern for a site: `dc1-*`) names `device`.
    static func matches(_ pattern: String, _ device: String) -> Bool { IdentityPattern(pattern).matches(device) }

    /// `vlan 20` or `remote vlan 900` → 20 / 900 (the first number of a list or range).
    static func vlanNumber(_ text: String) -> Int? {
        let digits = text.split(whereSeparator: { !$0.isNumber }).first
        return digits.flatMap { Int($0) }
    }
}
