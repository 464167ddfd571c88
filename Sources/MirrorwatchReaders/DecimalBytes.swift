/// Unsigned decimal numbers read straight from a buffer's bytes (flow-log fields: ports, protocols,
/// counters, times), without making strings.
enum DecimalBytes {
    /// The value of `buffer[range]` when it is 1 to 18 ASCII digits (no sign, no blanks), else nil.
    @inline(__always)
    static func value(_ buffer: UnsafeRawBufferPointer, _ range: Range<Int>) -> Int? {
        guard !range.isEmpty, range.count <= 18 else { return nil }
        var value = 0
        for i in range {
            let digit = Int(buffer[i]) - 48
            guard digit >= 0 && digit <= 9 else { return nil }
            value = value * 10 + digit
        }
        return value
    }
}
