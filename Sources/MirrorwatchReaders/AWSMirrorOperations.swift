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

    /// `TrafficMirror` as two overlapping little-endian words: its bytes 0..<8 (`TrafficM`) and 5..<13
    /// (`icMirror`), compared in place with two loads (it runs for every record read).
    @inline(__always) static var markerWords: (UInt64, UInt64) { (0x4D63_6966_6661_7254, 0x726F_7272_694D_6369) }

    /// Byte-level pre-check: every write is `Create|Delete|Modify` (six letters) + `TrafficMirror...`,
    /// so a name that lacks `TrafficMirror` at offset 6 is not one. Read-only `Describe...` calls fail it.
    @inline(__always)
    public static func mayBeWrite(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>) -> Bool {
        guard range.count >= 19, range.count <= 40, let base = bytes.baseAddress else { return false }
        let at = base + range.lowerBound + 6
        return UInt64(littleEndian: at.loadUnaligned(as: UInt64.self)) == markerWords.0
            && UInt64(littleEndian: at.loadUnaligned(fromByteOffset: 5, as: UInt64.self)) == markerWords.1
    }
}
