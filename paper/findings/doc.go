// Package findings turns the records of a reproduction (package paper)
// into the panels of Zenke & Vogels (2021): for each, the figure as PNG
// with the data behind it as CSV, and one Row per finding that sets the
// paper's number or statement beside ours with a verdict (Reproduced,
// "differs: …", "incomplete: …", …). Draw does every panel in the paper's
// order.
//
// The selection follows the paper: among the runs of one configuration
// (the points of a grid over η, and over β for Fig. 3 and 5), the k best
// on the validation split are kept, and the mean ± sample standard
// deviation of their test accuracy is reported (Top, with report.GroupBy),
// with the paper's k but at most half of a configuration's runs
// (Selected), so that selecting on validation leaves runs out.
//
// Panels are drawn from the run records alone, except the input paradigms
// (Fig. 7) and a trained network's activity (Fig. 8), which package
// samples reads from the data loaders and the checkpoints.
package findings
