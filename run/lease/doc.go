// Package lease lets one process at a time train into a run folder.
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
// process is known to be dead (same host, no such process), is stale: the
// next claim creates the next generation and takes the folder over, and
// the old holder, should it still run, sees a newer generation at its next
// heartbeat or write (Check) and stops. Clocks of the machines must agree
// to well within the time to live. Holder tells who holds a folder without
// claiming it.
package lease
