import CStructural

extension JSONTape {
    /// The one-pass indexer: the grammar and limits of `JSONParser`, without making values.
    struct Builder {
        let bytes: UnsafeRawBufferPointer
        var index = 0
        var depth = 0
        var entries: [Entry] = []

        init(bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

        mutating func document() -> Bool {
            skipBlanks()
            guard value() else { return false }
            skipBlanks()
            return index == bytes.count
        }

        private mutating func skipBlanks() {
            while index < bytes.count {
                switch bytes[index] {
                case 0x20, 0x0A, 0x0D, 0x09: index += 1
                default: return
                }
            }
        }

        private mutating func value() -> Bool {
            guard index < bytes.count else { return false }
            switch bytes[index] {
            case UInt8(ascii: "{"): return container(object: true)
            case UInt8(ascii: "["): return container(object: false)
            case UInt8(ascii: "\""): return string()
            case UInt8(ascii: "t"): return literal("true", .bool)
            case UInt8(ascii: "f"): return literal("false", .bool)
            case UInt8(ascii: "n"): return literal("null", .null)
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return number()
            default: return false
            }
        }

        private mutating func container(object: Bool) -> Bool {
            depth += 1
            guard depth <= JSONParser.maximumDepth else { return false }
            defer { depth -= 1 }
            let me = entries.count
            entries.append(Entry(start: Int32(index), end: Int32(index + 1), next: 0, kind: object ? .object : .array, escaped: false))
            index += 1
            skipBlanks()
            let close = object ? UInt8(ascii: "}") : UInt8(ascii: "]")
            if index < bytes.count, bytes[index] == close {
                index += 1
                entries[me].next = Int32(entries.count)
                return true
            }
            while true {
                skipBlanks()
                if object {
                    guard index < bytes.count, bytes[index] == UInt8(ascii: "\""), string(name: true) else { return false }
                    skipBlanks()
                    guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { return false }
                    index += 1
                    skipBlanks()
                }
                guard value() else { return false }
                skipBlanks()
                guard index < bytes.count else { return false }
                if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                guard bytes[index] == close else { return false }
                index += 1
                entries[me].next = Int32(entries.count)
                return true
            }
        }

        private mutating func string(name: Bool = false) -> Bool {
            let start = index + 1
            var i = start
            var escaped = false
            while true {
                i = StringScan.firstSpecial(in: bytes, from: i, controls: true)
                guard i < bytes.count else { return false }
                let byte = bytes[i]
                if byte == UInt8(ascii: "\"") { break }
                guard byte == UInt8(ascii: "\\"), i + 1 < bytes.count else { return false }  // a control character, or a final backslash
                // The first escape: the end found 64 bytes at a time when every escape up to it is a
                // one-letter one (policy documents are full of them), else escape by escape below.
                if !escaped, let base = bytes.baseAddress {
                    let end = mw_escaped_string_end(base.assumingMemoryBound(to: UInt8.self) + i, bytes.count - i)
                    if end >= 0 {
                        escaped = true
                        i += Int(end)
                        break
                    }
                }
                escaped = true
                switch bytes[i + 1] {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
                     UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                    i += 2
                case UInt8(ascii: "u"):
                    guard let scalar = hex4(at: i + 2) else { return false }
                    i += 6
                    // A high surrogate followed by another `\u` escape: `JSONParser` reads that one as its pair.
                    if (0xD800..<0xDC00).contains(scalar), i + 1 < bytes.count, bytes[i] == UInt8(ascii: "\\"), bytes[i + 1] == UInt8(ascii: "u") {
                        guard hex4(at: i + 2) != nil else { return false }
                        i += 6
                    }
                default: return false
                }
            }
            entries.append(Entry(start: Int32(start), end: Int32(i), next: Int32(entries.count + 1), kind: .string, escaped: escaped,
                                 plainName: name && !escaped && isASCII(start, i)))
            index = i + 1
            return true
        }

        /// Whether `start..<end` is plain ASCII (names are short: eight bytes at a time).
        private func isASCII(_ start: Int, _ end: Int) -> Bool {
            guard let base = bytes.baseAddress else { return true }
            var k = start, high: UInt64 = 0
            while k + 8 <= end {
                high |= base.loadUnaligned(fromByteOffset: k, as: UInt64.self)
                k += 8
            }
            while k < end {
                high |= UInt64(bytes[k])
                k += 1
            }
            return high & 0x8080_8080_8080_8080 == 0
        }

        private func hex4(at start: Int) -> UInt32? {
            guard start + 4 <= bytes.count else { return nil }
            var value: UInt32 = 0
            for offset in 0..<4 {
                let byte = bytes[start + offset]
                let digit: UInt32
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
                case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
                case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
                default: return nil
                }
                value = value << 4 | digit
            }
            return value
        }

        private mutating func literal(_ word: StaticString, _ kind: Kind) -> Bool {
            let count = word.utf8CodeUnitCount
            guard index + count <= bytes.count else { return false }
            for offset in 0..<count where bytes[index + offset] != word.utf8Start[offset] { return false }
            entries.append(Entry(start: Int32(index), end: Int32(index + count), next: Int32(entries.count + 1), kind: kind, escaped: false))
            index += count
            return true
        }

        /// `JSONParser`'s number: an optional minus, then digits, dots, exponents and signs, with a digit among them.
        private mutating func number() -> Bool {
            let start = index
            if bytes[index] == UInt8(ascii: "-") { index += 1 }
            var digits = 0
            scan: while index < bytes.count {
                switch bytes[index] {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): digits += 1; index += 1
                case UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E"), UInt8(ascii: "+"), UInt8(ascii: "-"): index += 1
                default: break scan
                }
            }
            guard digits > 0 else { return false }
            entries.append(Entry(start: Int32(start), end: Int32(index), next: Int32(entries.count + 1), kind: .number, escaped: false))
            return true
        }
    }
}
