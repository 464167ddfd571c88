import MirrorwatchModel
import MirrorwatchReaders
import MirrorwatchTestSupport

/// Writes `text` as `name` in a fresh directory and reads it the way a scan would.
func readInput(_ name: String, _ text: String, as kind: InputKind? = nil, options: ReaderOptions = ReaderOptions()) -> ReadResult {
    let dir = TemporaryDirectory()
    let path = dir.write(name, text)
    return InputReader.read(InputSource.load(path), as: kind, options: options)
}

func readBytes(_ name: String, _ bytes: [UInt8]) -> ReadResult {
    let dir = TemporaryDirectory()
    let path = dir.write(name, bytes)
    return InputReader.read(InputSource.load(path))
}

typealias CT = CloudTrailFixture
