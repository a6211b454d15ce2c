// Package samples reads the single samples that two figures of the paper
// show, where the run records do not suffice: the input paradigms from the
// data loaders (Fig. 7; InputPanels, with synthetic stand-ins for absent
// files) and a trained network's activity on test samples from its
// checkpoint (Fig. 8; Evaluate). Package findings draws them.
package samples
