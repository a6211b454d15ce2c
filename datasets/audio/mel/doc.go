// Package mel computes the analog input of the audio data sets: log Mel
// filterbank features, the recipe of Zenke & Vogels (2021, section 4.1.3)
// completed with spikegrad's choices where the paper names none (Config
// says which are which; Default is the recipe).
//
// It is a pure function from samples to frames. Resample brings a
// recording to the feature rate Config.SampleRate with a band-limited
// interpolator (flat within 0.01 dB up to 0.9 of the lower Nyquist
// frequency, ≥ 90 dB of alias rejection above it); an Extractor (New)
// turns samples at that rate into features of [frames][Filters]
// (Features is New and its Features in one call). The time step of the
// features is Config.DT, the hop between frames, in milliseconds like
// every Δt of spikegrad. Recipe names everything the features depend on
// besides the recording, for the keys of a feature cache.
package mel
