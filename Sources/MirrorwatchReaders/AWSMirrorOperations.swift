#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MirrorwatchModel

/// The EC2 API calls that write Traffic Mirroring configuration.
public enum AWSMirrorOperations {
    /// Operation name → what it does.
    public static let writes: [String: (action: ChangeAction, kind: MirrorResourceKind)] = [
        "CreateTrafficMirrorTarget": (.create, .target),
        "DeleteTrafficMirrorTarget": (.delete, .target),
        "CreateTrafficMirrorFilter": (.create, .filter),
        "DeleteTrafficMirrorFilter": (.delete, .filter),
        "CreateTrafficMirrorFilterRule": (.create, .filterRule),
        "ModifyTrafficMirrorFilterRule": (.modify, .filterRule),
        "DeleteTrafficMirrorFilterRule": (.delete, .filterRule),
        "ModifyTrafficMirrorFilterNetworkServices": (.modify, .filter),
        "CreateTrafficMirrorSession": (.create, .session),
        "ModifyTrafficMirrorSession": (.modify, .session),
        "DeleteTrafficMirrorSession": (.delete, .session),
    ]

    private static let marker = Array("TrafficMirror".utf8)

    /// Byte-level pre-check: every write is `Create|Delete|Modify` (six letters) + `TrafficMirror...`,
    /// so a name that lacks `TrafficMirror` at offset 6 is not one. Read-only `Describe...` calls fail it.
    @inline(__always)
    public static func mayBeWrite(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>) -> Bool {
        guard range.count >= 19, range.count <= 40, let base = bytes.baseAddress else { return false }
        return marker.withUnsafeBytes { memcmp(base + range.lowerBound + 6, $0.baseAddress!, 13) == 0 }
    }
}
