// Package study turns the records of a comparison of neuron models (the
// speech-neurons preset: models × data sets × step sizes × seeds) into
// its numbers, figures and page.
//
// The protocol chooses on validation and reports test, as the baseline's
// search does (package baseline): for each model and data set, the step
// size of the highest mean validation accuracy over its seeds is selected
// (the first of equals), and the test accuracy of that step size's runs is
// reported as mean ± 95 % confidence interval over the seeds (Student's
// t). A model is compared with the reference model (the paper's LIF) by
// the difference of their means with Welch's 95 % interval, and with a
// perceptron on the same features (cmd/baseline's search) the same way.
//
// Learnt per-neuron parameters come from the records (run.Record's
// neuron_params, of the best weights), and their initial values from the
// seed (models.Init), so that neither needs a checkpoint. A model that
// implements network.Readable has them drawn as what they stand for
// (time constants in ms); others as raw values.
//
// Records of unfinished studies are welcome: every cell says how many of
// its runs it holds, and the page says which cells are incomplete.
package study
