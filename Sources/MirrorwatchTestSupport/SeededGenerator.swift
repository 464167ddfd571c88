import MirrorwatchExercise

/// A seeded random generator for tests that generate input: the same seed gives the same rounds,
/// so that a failing round can be replayed. The SplitMix64 sequence of `ExerciseRandom`, started
/// at `state`.
public struct SeededGenerator: RandomNumberGenerator {
    private var random: ExerciseRandom

    public init(state: UInt64) { random = ExerciseRandom(seed: state &- 0x9E37_79B9_7F4A_7C15) }

    public mutating func next() -> UInt64 { random.next() }
}
