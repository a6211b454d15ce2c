// Package sweep plans and runs grids of training runs.
//
// A Sweep is every combination of its Grid's values, for each of its
// Variants, on top of its Base settings; sweep files (ParseSweeps) and the
// built-in presets (Preset) describe them in YAML, with settings named as
// in package run. Count counts a sweep's runs before Jobs (or Expand)
// expands them, so a grid too large is refused naming its size. Every run
// is identified by all its settings (run.Settings.ID) and gets a folder
// name that is a readable slug of its grid point and 12 digits of its ID:
// unique, and safe whatever the names and values.
//
// Work trains a sweep's runs as one of any number of workers — processes
// on one or many machines sharing the output folder, such as the tasks of
// a Slurm job array of any shape or the pods of a Kubernetes Job. Workers
// claim runs by taking the lease on their folder (lease.Claim), so no run is
// trained twice, and take over the runs of workers that died, continuing
// from their last checkpoint; completed runs are skipped, so a restarted
// sweep does only what is missing. Shard splits a grid statically, for
// machines that cannot share a folder.
package sweep
