import MirrorwatchModel

/// The write permissions that configure traffic mirroring, per platform.
public enum MirroringPermissions {
    /// Every action that creates, changes or removes mirroring.
    public static func writeActions(_ platform: Platform) -> [String] {
        switch platform {
        case .aws:
            ["ec2:CreateTrafficMirrorSession", "ec2:ModifyTrafficMirrorSession", "ec2:DeleteTrafficMirrorSession",
             "ec2:CreateTrafficMirrorTarget", "ec2:DeleteTrafficMirrorTarget",
             "ec2:CreateTrafficMirrorFilter", "ec2:DeleteTrafficMirrorFilter", "ec2:ModifyTrafficMirrorFilterNetworkServices",
             "ec2:CreateTrafficMirrorFilterRule", "ec2:ModifyTrafficMirrorFilterRule", "ec2:DeleteTrafficMirrorFilterRule"]
        case .gcp:
            ["compute.packetMirrorings.create", "compute.packetMirrorings.update", "compute.packetMirrorings.delete"]
        case .azure:
            ["Microsoft.Network/virtualNetworkTaps/write", "Microsoft.Network/virtualNetworkTaps/delete",
             "Microsoft.Network/networkInterfaces/tapConfigurations/write", "Microsoft.Network/networkInterfaces/tapConfigurations/delete"]
        case .ciscoIOS, .ciscoNXOS, .aristaEOS:
            [deviceAction]
        case .junos:
            [junosAction]
        }
    }

    /// On a device, configuring a SPAN/RSPAN/ERSPAN or monitor session takes configuration rights.
    public static let deviceAction = "configure monitor session"
    /// On Junos, port mirroring and analyzers take configuration rights.
    public static let junosAction = "configure forwarding-options port-mirroring/analyzer"

    /// The actions that can send traffic somewhere new or copy more of it (create or re-point a
    /// session, policy or TAP; add or widen a filter rule under a live session); the others can
    /// only disable or narrow mirroring.
    public static func copiesTraffic(_ action: String) -> Bool {
        let lowered = action.lowercased()
        return ["ec2:createtrafficmirrorsession", "ec2:modifytrafficmirrorsession", "ec2:createtrafficmirrorfilterrule",
                "ec2:modifytrafficmirrorfilterrule", "ec2:modifytrafficmirrorfilternetworkservices", "compute.packetmirrorings.create",
                "compute.packetmirrorings.update", "microsoft.network/virtualnetworktaps/write",
                "microsoft.network/networkinterfaces/tapconfigurations/write", deviceAction.lowercased(), junosAction.lowercased()].contains(lowered)
    }

    /// The EC2 resource types each Traffic Mirroring action is authorized on (AWS Service
    /// Authorization Reference): an Allow must reach all of them, a Deny on one blocks the call.
    static let awsResourceTypes: [String: [String]] = [
        "ec2:CreateTrafficMirrorSession": ["network-interface", "traffic-mirror-filter", "traffic-mirror-session", "traffic-mirror-target"],
        "ec2:ModifyTrafficMirrorSession": ["traffic-mirror-filter", "traffic-mirror-session", "traffic-mirror-target"],
        "ec2:DeleteTrafficMirrorSession": ["traffic-mirror-session"],
        "ec2:CreateTrafficMirrorTarget": ["network-interface", "traffic-mirror-target"],
        "ec2:DeleteTrafficMirrorTarget": ["traffic-mirror-target"],
        "ec2:CreateTrafficMirrorFilter": ["traffic-mirror-filter"],
        "ec2:DeleteTrafficMirrorFilter": ["traffic-mirror-filter"],
        "ec2:ModifyTrafficMirrorFilterNetworkServices": ["traffic-mirror-filter"],
        "ec2:CreateTrafficMirrorFilterRule": ["traffic-mirror-filter", "traffic-mirror-filter-rule"],
        "ec2:ModifyTrafficMirrorFilterRule": ["traffic-mirror-filter", "traffic-mirror-filter-rule"],
        "ec2:DeleteTrafficMirrorFilterRule": ["traffic-mirror-filter", "traffic-mirror-filter-rule"],
    ]
    static let allAWSResourceTypes = ["network-interface", "traffic-mirror-filter", "traffic-mirror-filter-rule", "traffic-mirror-session", "traffic-mirror-target"]
}
