#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// Writing to the standard streams and files.
enum FileHandleOutput {
    static func standardError(_ text: String) {
        let line = text.hasSuffix("\n") ? text : text + "\n"
        FileHandle.standardError.write(line.data(using: .utf8)!)
    }

    static func standardOutput(_ text: String) {
        FileHandle.standardOutput.write(text.data(using: .utf8)!)
    }

    /// Writes `text` to `path`, or to standard output when `path` is nil or `-`.
    ///
    /// A regular file (or a new one) is replaced atomically, so a reader never sees half a
    /// report; anything else (`/dev/null`, a FIFO, a terminal) is opened and written in place,
    /// never replaced.
    static func write(_ text: String, to path: String?) throws {
        guard let path, path != "-" else { standardOutput(text); return }
        var info = stat()
        let exists = stat(path, &info) == 0
        do {
            if exists && (info.st_mode & S_IFMT) != S_IFREG {
                guard let handle = FileHandle(forWritingAtPath: path) else { throw CocoaError(.fileWriteNoPermission) }
                defer { try? handle.close() }
                try handle.write(contentsOf: Data(text.utf8))
            } else {
                try text.write(toFile: path, atomically: true, encoding: .utf8)
            }
        } catch {
            standardError("mirrorwatch: cannot write \(path): \(error.localizedDescription)")
            throw ExitCodeError.fatal
        }
    }

    static var standardErrorIsTerminal: Bool { isatty(2) == 1 }
}

enum ExitCodeError: Error { case fatal }
