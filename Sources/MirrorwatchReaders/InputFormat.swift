import MirrorwatchJSON
import MirrorwatchModel

/// One native format: how to recognise it from an input's first bytes, and how to read it.
/// A new platform adds its formats here and a reader each; nothing else needs to know.
public struct InputFormat: Sendable {
    public var kind: InputKind
    /// Whether the input's start looks like this format.
    var recognizes: @Sendable (InputHead) -> Bool
    var read: @Sendable (LoadedInput, ReaderOptions) -> ReadResult
    /// Reads the input window by window, for formats whose records stand alone (audit logs,
    /// syslog, flow logs); nil for formats read as one document.
    var stream: (@Sendable (any ByteWindows, ReaderOptions) -> ReadResult)? = nil

    init(kind: InputKind, recognizes: @escaping @Sendable (InputHead) -> Bool, read: @escaping @Sendable (LoadedInput, ReaderOptions) -> ReadResult) {
        self.kind = kind
        self.recognizes = recognizes
        self.read = read
    }

    /// A format read window by window; a whole loaded input is read as one window.
    init(kind: InputKind, recognizes: @escaping @Sendable (InputHead) -> Bool, stream: @escaping @Sendable (any ByteWindows, ReaderOptions) -> ReadResult) {
        self.kind = kind
        self.recognizes = recognizes
        self.read = { stream($0, $1) }
        self.stream = stream
    }

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
