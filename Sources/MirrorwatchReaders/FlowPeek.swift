#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MirrorwatchJSON
import MirrorwatchModel

/// The fields that decide whether a JSON flow record is worth keeping (protocol, destination port
/// and address), read from its bytes without decoding it, so that the flows a reader would throw
/// away anyway cost a few searches instead of a decode. Conservative: nil whenever the bytes are not
/// plain (a name met twice, an escape anywhere, an empty address, a protocol written as a string), and
/// the caller then decodes the record as it would have.
struct FlowPeek {
    var destination: String
    var proto: Int
    var port: Int?
    /// Whether the record also holds what a kept flow needs (its connection, a source address and a
    /// start time that reads as one): a record that does not is decoded, so that the reader reports
    /// what is missing.
    var isComplete: Bool

    private static let destinationKey = Array("\"dest_ip\"".utf8)
    private static let sourceKey = Array("\"src_ip\"".utf8)
    private static let protocolKey = Array("\"protocol\"".utf8)
    private static let portKey = Array("\"dest_port\"".utf8)
    private static let connectionKey = Array("\"connection\"".utf8)
    private static let startKey = Array("\"start_time\"".utf8)
    private static let timestampKey = Array("\"timestamp\"".utf8)

    init?(_ record: Range<Int>, in buffer: UnsafeRawBufferPointer) {
        // An escape anywhere (in a name or a value) is not plain: the decode reads it.
        guard let base = buffer.baseAddress, memchr(base + record.lowerBound, 0x5C, record.count) == nil,
              let destination = Self.value(Self.destinationKey, in: buffer, record), destination.isString, !destination.range.isEmpty,
              let proto = Self.value(Self.protocolKey, in: buffer, record), let number = Self.number(proto, buffer) else { return nil }
        if ByteSearch.contains(Self.portKey, in: buffer, range: record) {
            guard let port = Self.value(Self.portKey, in: buffer, record), let value = Self.number(port, buffer) else { return nil }
            self.port = value
        } else {
            self.port = nil
        }
        self.destination = String(decoding: UnsafeRawBufferPointer(rebasing: buffer[destination.range]), as: UTF8.self)
        self.proto = number
        isComplete = ByteSearch.contains(Self.connectionKey, in: buffer, range: record)
            && Self.value(Self.sourceKey, in: buffer, record).map { $0.isString && !$0.range.isEmpty } == true
            && Self.hasStartTime(record, in: buffer)
    }

    /// Whether the time the decode takes (`start_time`, else the entry's `timestamp`) is there and reads as one.
    private static func hasStartTime(_ record: Range<Int>, in buffer: UnsafeRawBufferPointer) -> Bool {
        let key = ByteSearch.contains(startKey, in: buffer, range: record) ? startKey : timestampKey
        guard let time = value(key, in: buffer, record), time.isString else { return false }
        return Timestamp.parse(String(decoding: UnsafeRawBufferPointer(rebasing: buffer[time.range]), as: UTF8.self)) != nil
    }

    /// Where a member's value is: the bytes of a string between its quotes, or of a bare value.
    private struct Value {
        var range: Range<Int>
        var isString: Bool
    }

    /// The value of the member named by `key` (with its quotes), when the name occurs once in the
    /// record and the value is a string without escapes or a bare number.
    private static func value(_ key: [UInt8], in buffer: UnsafeRawBufferPointer, _ record: Range<Int>) -> Value? {
        guard let at = ByteSearch.firstIndex(of: key, in: buffer, range: record),
              !ByteSearch.contains(key, in: buffer, range: (at + key.count)..<record.upperBound) else { return nil }
        var i = at + key.count
        func skipBlanks() { while i < record.upperBound, [0x20, 0x09, 0x0A, 0x0D].contains(buffer[i]) { i += 1 } }
        skipBlanks()
        guard i < record.upperBound, buffer[i] == UInt8(ascii: ":") else { return nil }
        i += 1
        skipBlanks()
        guard i < record.upperBound else { return nil }
        if buffer[i] == UInt8(ascii: "\"") {
            let start = i + 1
            var end = start
            while end < record.upperBound, buffer[end] != UInt8(ascii: "\"") {
                if buffer[end] == UInt8(ascii: "\\") { return nil }
                end += 1
            }
            return end < record.upperBound ? Value(range: start..<end, isString: true) : nil
        }
        let start = i
        while i < record.upperBound, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(buffer[i]) { i += 1 }
        return i > start ? Value(range: start..<i, isString: false) : nil
    }

    /// A bare number of up to nine digits.
    private static func number(_ value: Value, _ buffer: UnsafeRawBufferPointer) -> Int? {
        guard !value.isString, value.range.count <= 9 else { return nil }
        return DecimalBytes.value(buffer, value.range)
    }
}
