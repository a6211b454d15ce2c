// Package atomicfile writes files that a reader, or a crash at any moment,
// sees either whole or not at all.
//
// Write fills a temporary file next to the target, checks that it reached
// the disk (fsync), renames it over the target and syncs the folder so that
// the rename itself survives a power cut. The file gets mode 0644 less the
// process's umask, as a plain os.Create would give it: a colleague on a
// shared cluster can read a run's results, and a user who wants private
// files says so with their umask. Every file spikegrad writes for a user
// (run folders, sweep results, reports, evaluations) goes through Write.
package atomicfile
