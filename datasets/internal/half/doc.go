// Package half converts between float32 and IEEE 754 binary16 (half
// precision), which Go has no type for: the element type of the spike
// times in the published SHD files and the storage of dense analog
// features (datasets.Dense).
package half
