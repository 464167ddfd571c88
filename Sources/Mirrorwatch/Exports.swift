// The engine re-exports the modules it is built from, so `import Mirrorwatch` is enough to use it.
@_exported import MirrorwatchAccess
@_exported import MirrorwatchContext
@_exported import MirrorwatchJSON
@_exported import MirrorwatchModel
@_exported import MirrorwatchPolicy
@_exported import MirrorwatchReaders
@_exported import MirrorwatchRules
@_exported import MirrorwatchSinks
@_exported import MirrorwatchState
