// Package audio loads the raw-audio data sets as datasets.Data: the raw
// Heidelberg Digits (RawHD) and Speech Commands v0.02 (RawSC), as log Mel
// features, the analog input of Zenke & Vogels (2021, section 4.1.3).
// Package decode reads their WAV and FLAC files and package mel computes
// the features; this package finds the recordings of a data folder, sorts
// them into splits and labels, and runs the pipeline over them in
// parallel.
//
// Both loads share LoadOptions and what follows:
//
//   - Features are cached on disk, one entry per recording, keyed by the
//     recording's name relative to the data folder, its size and
//     modification time and the feature settings, so that a second load
//     decodes nothing, also after the folder has moved. The cache lives in
//     the data folder (CacheDirName) when that is writable and in the
//     user's cache folder (UserCacheDir) otherwise, where an existing cache
//     of a read-only data folder is still read; entries are readable by the
//     other users of a shared folder (mode 0644 less the umask). A cache
//     that cannot be used is a warning, never an error. CacheSummary and
//     PruneCache (and the cache command) inspect and trim a cache.
//   - Every recording that cannot be used is reported in one
//     *BadFilesError, the first few by name with a count; SkipBadFiles
//     loads the others instead and lists the bad ones in Data.Skipped.
//   - Recordings that cannot give the features are bad files: those
//     shorter than one frame (they would become a constant sample) and
//     those sampled so low that more than half of the Mel filters lie above
//     their Nyquist frequency. A rate that empties fewer filters, such as 8
//     kHz under the default 0–8 kHz filterbank, is a warning naming the
//     files, since the features still carry the lower band. Empty word
//     folders are not classes, and entries of the official lists naming
//     absent words are passed over, both with a warning.
//   - Limit draws a subset of every split before anything is decoded.
//   - A sample is held densely (datasets.Dense), in float16 by default:
//     2 bytes a value, so that the 105 829 clips of Speech Commands take
//     0.85 GB. Rounding to float16 changes a standardised feature by at
//     most 2⁻¹¹ of its size: on word-like sounds by RMS 0.0002 (at most
//     0.001), eight times less than quantising the recording to 16-bit PCM,
//     the format of the data, already changes it (RMS 0.0017; see
//     TestFloat16StorageLosesNothingMeasurable), so it loses nothing the
//     data held. Storage Float32 keeps 4 bytes a value.
//
// The time step of the features is mel.Config.DT, the hop between frames,
// in milliseconds like every Δt of spikegrad.
package audio
