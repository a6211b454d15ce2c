// Package featurecache keeps the features computed from audio files on
// disk, keyed by the data set, the file's name relative to the data
// folder, its size and modification time and by the settings that
// produced them, so that loading a data set a second time decodes nothing,
// wherever the data folder has moved. List and Prune inspect and trim a
// cache directory.
package featurecache
