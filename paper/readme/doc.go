// Package readme writes the report of a reproduction into its output
// folder: every panel's figure with its data (package findings) into
// figures/, the table of findings as findings.csv, and README.md, which
// sets the paper's findings beside ours and holds it all together with the
// exact command that makes or resumes the runs, the wall time of the
// sessions that trained them and what is complete.
package readme
