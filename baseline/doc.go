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
// test accuracy of those. A seed fixes the initial weights and the order
// of the minibatches; the result depends on the number of threads
// (GOMAXPROCS) only through rounding.
package baseline
