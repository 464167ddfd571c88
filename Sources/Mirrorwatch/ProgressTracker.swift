import Foundation

/// Progress of one scan's reading: inputs finished (with their records) and the bytes readers are
/// done with (`ReadMeter`), told to the scan's progress callback one call at a time.
final class ProgressTracker: @unchecked Sendable {
    let meter = ReadMeter()
    private let lock = NSLock()
    private var progress: ScanProgress
    private let callback: @Sendable (ScanProgress) -> Void
    private var stopped = false

    init(inputs: Int, tell callback: @escaping @Sendable (ScanProgress) -> Void) {
        progress = ScanProgress(inputsRead: 0, inputs: inputs, bytesRead: 0, recordsRead: 0)
        self.callback = callback
    }

    /// One more input read, with its records.
    func finished(records: Int) {
        lock.withLock {
            progress.inputsRead += 1
            progress.recordsRead += records
        }
        tell()
    }

    /// Tells nothing more (a timer event already under way included): reading is over.
    func stop() { lock.withLock { stopped = true } }

    /// Tells where reading is now every `interval`, from a dispatch timer (outside the concurrency
    /// pool, which readers keep busy), until the returned timer is cancelled.
    func startTicking(every interval: Duration) -> DispatchSourceTimer {
        let timer = DispatchSource.makeTimerSource(queue: DispatchQueue.global(qos: .utility))
        let nanoseconds = Int(interval.components.seconds) * 1_000_000_000 + Int(interval.components.attoseconds / 1_000_000_000)
        timer.schedule(deadline: .now() + .nanoseconds(nanoseconds), repeating: .nanoseconds(max(nanoseconds, 1_000_000)))
        timer.setEventHandler { [weak self] in self?.tell() }
        timer.resume()
        return timer
    }

    /// Tells where reading is now (the lock also keeps calls from overlapping).
    func tell() {
        lock.withLock {
            guard !stopped else { return }
            progress.bytesRead = max(progress.bytesRead, meter.bytes)
            callback(progress)
        }
    }
}
