// Package run describes a training run and reads what it leaves behind.
//
// Settings is everything that defines a run, flat and by name. Table lists
// the settings once, with their usage text and whether a checkpoint's
// weights depend on them (Architecture); the same names are command-line
// flags, keys of YAML configuration files and keys of the JSON stored in
// records and checkpoints. Validate checks a run's settings before anything
// is loaded: the network through network.Spec.Validate, with the input and
// class counts of the chosen data set.
//
// The data-set registry holds one DataSet per data set: its defaults, its
// sizes, its own checks, its loader and its memory estimate. Package run
// links no loader; package catalog registers spikegrad's data sets, and a
// program that loads data imports it (package runner does). Adding a data
// set is one more Register call; DataSetNames lists them. Settings errors
// are SettingErrors, which name the settings at fault.
//
// Validate bounds every size and time setting; EstimateMemory estimates a
// run's peak memory from its settings alone and CheckMemory refuses a run
// that would not fit in the machine, its container or max-memory. ID
// identifies the computation a run's settings describe.
//
// A run's folder holds SettingsFile, BestFile, LastFile and RecordFile;
// Record is the run record and Completed tells a finished run (a
// completed record and both checkpoints); package run/lease keeps a second
// process out of a folder a run is writing. Package runner performs runs
// and writes these files; package report reads records without linking the
// training engine.
package run
