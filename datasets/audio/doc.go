// Package audio turns recordings into spike-network input: it decodes WAV
// and FLAC files (ReadFile, DecodeWAV, DecodeFLAC), resamples them with a
// band-limited interpolator (Resample) and computes log Mel filterbank
// features (Mel), the analog input currents of Zenke & Vogels (2021,
// section 4.1.3).
//
// On top of that pipeline it loads two data sets as datasets.Data: the raw
// Heidelberg Digits (RawHD) and Speech Commands v0.02 (RawSC). Their
// features are cached on disk (CacheDirName), so that a second load
// decodes nothing.
//
// The time step of the features is MelConfig.DT, the hop between frames,
// in milliseconds like every Δt of spikegrad.
package audio
