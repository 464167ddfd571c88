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

    /// The actions that can send traffic somewhere new (create or re-point a session, policy or
    /// TAP); the others can only disable or narrow mirroring.
    public static func copiesTraffic(_ action: String) -> Bool {
        let lowered = action.lowercased()
        return ["ec2:createtrafficmirrorsession", "ec2:modifytrafficmirrorsession", "compute.packetmirrorings.create",
                "compute.packetmirrorings.update", "microsoft.network/virtualnetworktaps/write",
                "microsoft.network/networkinterfaces/tapconfigurations/write", deviceAction, junosAction].contains(lowered)
    }

    /// Resource ARNs (resource part) a Traffic Mirroring call touches, to test `Resource` patterns against.
    static let awsResourceSamples = ["traffic-mirror-session/tms-0", "traffic-mirror-target/tmt-0", "traffic-mirror-filter/tmf-0",
                                     "traffic-mirror-filter-rule/tmfr-0", "network-interface/eni-0"]
}
