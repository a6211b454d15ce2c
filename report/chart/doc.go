// Package chart draws the charts that compare training runs, as PNG, from
// numbers the caller prepares (package report does, from run records):
//
//	DrawBarChart    clusters of bars of top-k test accuracy ± std   (Fig. 3c, 5, 6)
//	DrawHeatmap     a value over two settings, panels on one scale (Fig. 3b)
//	DrawCurves      learning curves coloured by group              (Fig. 2b, 5b)
//	DrawWhiskers    box plots with every run beside its box        (Fig. 3d)
//	DrawSpikes      accuracy against hidden spikes on a log axis,
//	                with fitted curves and their transitions       (Fig. 9)
//	DrawSpikeGrid   the same in a grid of panels                   (Fig. 9)
//	DrawHistogram   distributions of per-neuron spike counts       (Fig. 8c–d)
//	DrawCounts      per-neuron, per-trial spike counts, log scale  (Fig. 8c–d)
//	DrawSurrogates  surrogate derivatives h(x) for several β       (Fig. 3a, 5a)
//
// Accuracies are fractions in BarValue, BoxGroup and SpikeSeries and
// percent on the axes; curves and heatmaps are drawn as given. Every figure
// shares the look of the report's figures: sans-serif text, Okabe & Ito's
// colour-blind-safe palette (or shades of one colour map for ordered
// values), legends beside the data, 144 dpi.
package chart
