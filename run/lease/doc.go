// Package lease lets one process at a time write into a run folder.
//
// A lease is a process's claim on a run folder: while it holds one, no
// other process that asks for a lease on the folder trains into it. Sweep
// workers on many machines that share the output folder claim runs this
// way (package sweep), and a single run refuses to write into a folder
// another process is writing (package runner).
//
// Leases are files in the run folder, numbered by generation: .lease.1,
// .lease.2, …; the highest number is the current one. A process claims a
// free folder (Claim) by creating the next generation's file atomically,
// which one process alone can do, also over NFS. The holder refreshes the
// file's modification time every quarter of the lease's time to live (its
// heartbeat) and renames it to .lease.N.done when it ends (Release). A
// lease whose file has not been refreshed for a time to live, or whose
// process is known to be dead (same host, boot and pid namespace, no such
// process), is stale: the next claim creates the next generation and takes
// the folder over.
//
// # Fencing
//
// A check before a write cannot keep a stale holder out: it may be paused
// between the check and the write for any time. So the writes themselves
// are fenced. Each generation N writes through a folder of its own,
// .writer.N: a file is written there and renamed into place (WriteFile,
// Rename, Remove), and a claim removes the folders of all earlier
// generations before it returns. From then on a stale holder's rename
// finds no folder and fails with an error matching ErrLost, and the new
// holder reads the folder only after the fence, so it continues from
// exactly what the old one published. A completed run can therefore never
// hold a stale writer's files. Check tells a holder early that it lost the
// folder, to stop its work; Holder tells who holds a folder without
// claiming it.
//
// # Bounds
//
// A lease file is read as a claim of another process, never trusted: the
// time to live it states is bounded by MaxTTL, a modification time further
// in the future than that time to live marks it stale, and a generation
// beyond MaxGeneration is an error that names the file. Clocks of the
// machines must agree to well within the time to live.
package lease
