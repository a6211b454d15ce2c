// Package paper runs the experiments that reproduce Zenke & Vogels (2021),
// "The remarkable robustness of surrogate gradient learning for instilling
// complex function in spiking neural networks", for one command
// (cmd/reproduce): which runs (Plan), training them (Execute) and reading
// their records back (Load).
//
// A Scale names a built-in sweep file of package sweep (paper-quick,
// paper-local, paper-full) whose sweeps are named after the panels they
// feed: fig3b, fig5-reset, fig9-mnist, …. NewPlan expands it into the runs
// of each sweep, leaves out the data sets whose files are absent and, for
// a cluster, keeps one shard. Execute trains the runs with sweep.Execute,
// each sweep into its own folder runs/<sweep>/ under the output folder, so
// an interrupted reproduction restarted with the same command only does
// what is missing, and a run stopped mid-way continues from its last.npz.
// Every invocation's wall and processor time is kept in timing.json
// (Sessions).
//
// Load reads back the records of a plan's runs, sweep by sweep. Package
// findings turns them into the paper's figures and sets the paper's
// findings beside ours; package readme writes it all up.
package paper
