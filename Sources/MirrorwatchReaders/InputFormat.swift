import MirrorwatchJSON
import MirrorwatchModel

/// One native format: how to recognise it from an input's first bytes, and how to read it.
/// A new platform adds its formats here and a reader each; nothing else needs to know.
public struct InputFormat: Sendable {
    public var kind: InputKind
    /// Whether the input's start looks like this format.
    var recognizes: @Sendable (InputHead) -> Bool
    var read: @Sendable (LoadedInput, ReaderOptions) -> ReadResult

    /// Every format, in the order they are tried when sniffing.
    public static let all: [InputFormat] = [
        CloudTrailReader.format, AWSInventoryReader.format, AWSFlowLogReader.format,
        GCPFlowLogReader.format, GCPAuditReader.format, GCPInventoryReader.format,
        AzureFlowLogReader.format, EntraSignInReader.format, AzureActivityReader.format, AzureInventoryReader.format,
        // After the audit-log formats: audit records of IAM calls carry the same member names.
        AWSAuthorizationReader.format, AWSCredentialReportReader.format, GCPIAMReader.format, AzureRBACReader.format, LoggingConfigReader.format,
        NetFlowCSVReader.format, TicketReader.format, DeviceLogReader.format, DeviceConfigReader.format,
    ]

    public static func named(_ kind: InputKind) -> InputFormat { all.first { $0.kind == kind }! }
}

/// The start of an input, as sniffing sees it: its name, first 16 KB, and first member name.
struct InputHead {
    var name: String
    var bytes: UnsafeRawBufferPointer
    var firstKey: String?

    /// Whether the head contains `"text"` (with the quotes).
    func hasKey(_ text: String) -> Bool {
        ByteSearch.contains(Array("\"\(text)\"".utf8), in: bytes, range: 0..<bytes.count)
    }

    func contains(_ text: String) -> Bool {
        ByteSearch.contains(Array(text.utf8), in: bytes, range: 0..<bytes.count)
    }
}
