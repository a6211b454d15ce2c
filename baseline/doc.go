// Package baseline fits non-spiking classifiers to the input of a data
// set: the yardstick that a spiking network trained on the same features
// should at least match.
//
// Flatten turns a split into one feature vector per sample, the sample's
// [Steps, Units] grid row by row, optionally summed over bins of steps so
// that long spike rasters (SHD: 400 steps × 700 channels) stay small. The
// features are used as they are: the audio sets' log Mel features are
// already standardised per sample, and spike counts need no scaling.
//
// Fit trains a softmax classifier by minibatch Adam on the cross-entropy:
// logistic regression when Config.Hidden is 0, otherwise a perceptron
// with one hidden layer of ReLU units. Like a spiking run, it keeps the
// weights of the epoch with the best validation accuracy and reports the
// test accuracy of those; it stops early once Config.Patience epochs
// have not bettered that accuracy. A seed fixes the initial weights and
// the order of the minibatches; the result depends on the number of
// threads (GOMAXPROCS) only through rounding.
//
// A yardstick must be trained as far as the data allow, or every "the
// spiking network beats it" is weak. Search does that without touching
// the test split: it fits every point of a Grid of learning rates, L2
// penalties and hidden sizes with several seeds, selects the point of the
// best mean validation accuracy, and reports the test accuracy of its
// fits as mean ± 95 % confidence interval over the seeds (Stats).
//
// WriteNPZ writes the flattened splits for programs outside Go;
// testdata/mlp.py is an independent numpy perceptron (full-batch gradient
// descent with momentum and weight decay, its own grid chosen on
// validation), and a test checks that Search reaches what it reaches on
// the same features.
package baseline
