// Package randman generates the smooth random manifold ("randman") data
// sets of Zenke & Vogels (2021, section 4.1.1): every class is a random
// smooth manifold in the space of the firing times of the input units, so
// that the class is carried by the relative timing of the spikes alone.
//
// Generate returns a datasets.Data for a Config; Default is the paper's
// configuration. Equal configurations give identical data, whatever the
// number of threads.
package randman
