// Package sweep plans and runs grids of training runs.
//
// A Sweep is every combination of its Grid's values, for each of its
// Variants, on top of its Base settings; sweep files (ParseSweeps) and the
// built-in presets (Preset) describe them in YAML, with settings named as
// in package run. Jobs expands sweeps into runs with deterministic,
// file-system-safe folder names; Shard picks every n-th run for one of n
// workers, and ShardFromEnv reads the worker's index from a Slurm job array
// or a Kubernetes Indexed Job. Execute trains runs in parallel with package
// runner, each into its own folder, skipping those already completed.
package sweep
