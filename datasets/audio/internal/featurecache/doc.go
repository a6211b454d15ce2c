// Package featurecache keeps the features computed from audio files on
// disk, keyed by the file's path, size and modification time and by the
// settings that produced them, so that loading a data set a second time
// decodes nothing.
package featurecache
