// Package paper reproduces Zenke & Vogels (2021), "The remarkable
// robustness of surrogate gradient learning for instilling complex function
// in spiking neural networks", from one command (cmd/reproduce).
//
// A Scale names a built-in sweep file of package sweep (paper-quick,
// paper-local, paper-full) whose sweeps are named after the panels they
// feed: fig3b, fig5-reset, fig9-mnist, …. NewPlan expands it into the runs
// of each sweep, leaves out the data sets whose files are absent and, for
// a cluster, keeps one shard. Execute trains the runs with sweep.Execute,
// each sweep into its own folder runs/<sweep>/ under the output folder, so
// an interrupted reproduction restarted with the same command only does
// what is missing, and a run stopped mid-way continues from its last.npz.
//
// Load reads back the run records of a plan; Write turns them into the
// paper's figures (PNG, with the data behind each figure as CSV), one row
// per finding and panel that sets the paper's number beside ours (top-k
// on validation, test mean ± std) with a verdict, and a README that holds
// it all together with the exact command, the wall time and what is
// complete.
//
// The selection follows the paper: among the runs of one configuration
// (the points of a grid over η, and over β for Fig. 3 and 5), the k best
// on the validation split are kept, and the mean ± sample standard
// deviation of their test accuracy is reported (package report).
package paper
