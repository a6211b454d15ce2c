// Package report turns the records of many training runs into the numbers
// and figures of Zenke & Vogels (2021): top-k groups, tables, sigmoid fits,
// and the figures of a set of runs, which packages report/chart and
// report/raster draw.
//
// The paper compares configurations by a fixed protocol: among the runs of
// one configuration (a grid cell of seeds, learning rates, …) select the k
// best on the validation split and report the mean ± standard deviation of
// their test accuracy. Selecting on validation and reporting test keeps the
// reported number free of the selection's optimism.
//
// The flow is
//
//	set, err := report.Load("runs")               // every record.json below runs/
//	groups, err := report.GroupBy(set.Runs, []string{"surrogate", "beta"}, 5)
//	report.WriteMarkdown(w, keys, groups)          // or WriteCSV
//
// and a figure function per figure of the paper, each writing one PNG:
//
//	Surrogates   surrogate derivative shapes for several β        (Fig. 3a, 5a)
//	Heatmap      top-k test accuracy over two settings, e.g. β × η (Fig. 3b)
//	Bars         grouped bars of top-k test accuracy ± std        (Fig. 3c, 5, 6)
//	Spikes       accuracy against hidden spikes per input, with a
//	             fitted sigmoid and its transition point           (Fig. 9)
//	SpikeGrid    Spikes of groups the caller prepares, in panels   (Fig. 9)
//	Snapshot     input raster, hidden raster, membrane and readout
//	             traces of a trained network on a few inputs       (Fig. 2c–e, 8a–b)
//	Histogram    per-neuron spike counts                           (Fig. 8c–d)
//
// They select, group and fit; the drawing is package chart's (charts of
// many runs) and package raster's (single samples over time), which know
// nothing of records. cmd/report puts it all into one report.md.
//
// The package reads records and draws; it links neither Gorgonia nor the
// training engine (the surrogates are package surrogate's arithmetic, the
// records and metrics plain data), so that reporting builds and runs
// without them. TestLinksNoEngine keeps it so.
//
// Settings are named as on the command line of cmd/train ("beta", "lr",
// "hidden", …) and their values are compared as the text the flags take, so
// grouping needs no knowledge of a setting's type; numbers are ordered as
// numbers in tables and on axes.
//
// Only records with status "completed" and test metrics count. Records in
// any other state are counted and reported, and files that cannot be read
// are listed with the reason: nothing is dropped silently.
//
// Accuracies are fractions in the Group and Run API and in CSV, and percent
// in markdown and figures, where people read them.
package report
