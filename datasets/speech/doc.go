// Package speech writes spoken stand-ins for the raw audio data sets
// (RawHD, RawSC) that are as hard as real speech: every recording is a
// word spoken by the espeak-ng speech synthesiser and processed by sox,
// the Debian packages espeak-ng and sox (with libsox-fmt-all), in the
// exact layouts that audio.RawHD and audio.RawSC read.
//
// The stand-ins of package synthetic are too easy to judge a model by: a
// recurrent LIF network reaches 99.7 % on them, while on real spoken
// digits it reaches about 85 % and a plain perceptron on the same features
// about 90 % (issue 27). Here the words are real words, the digits of the
// Heidelberg Digits in English and German (20 classes) or the 35 words of
// Speech Commands, and what makes them hard is what makes real speech
// hard:
//
//   - speakers: each is one of espeak-ng's voice variants (vocal tract,
//     breathiness, pitch contour), with an accent of its own for English
//     (British, American, Scottish, Caribbean, …), a base pitch and a
//     speaking rate; the test speakers (and the validation speakers of
//     RawSC) say no training file, so every split is held out by speaker;
//   - every saying varies pitch, rate, intonation (said as a statement, a
//     question, an exclamation or a list item) and onset;
//   - the channel: a band limit (high-pass 50–400 Hz, low-pass 2.8–8 kHz),
//     room reverberation on some recordings, and a level;
//   - background noise mixed in at a drawn signal-to-noise ratio (by
//     default 0–20 dB): white, pink or brown noise that sox synthesises,
//     or babble, three espeak-ng talkers reading a text at once.
//
// Everything a recording is made from is drawn up front from the seed and
// written beside the data as plan.tsv (one line per file), so the same
// Config always gives the same files: espeak-ng and sox are deterministic
// (sox runs with -R, its repeatable mode, and its noise is cut from fixed
// banks at drawn offsets). manifest.tsv lists every file with its size
// and SHA-256, and speech.json the configuration and the versions of the
// tools; Verify checks a folder against its manifest. The files depend on
// the versions of espeak-ng and sox; the plan depends on this package
// alone.
//
// WriteSpikes turns a written stand-in into spikes of 700 channels with
// the cochlea model of package cochlea, in the layout of the Spiking
// Heidelberg Digits (from RawHD: shd_train.h5, shd_test.h5) or the
// Spiking Speech Commands (from RawSC: ssc_train.h5, ssc_valid.h5,
// ssc_test.h5), with the same recordings, labels, speakers and splits;
// package shd reads them. It writes cochlea.json beside them: the model's
// parameters, the hash of the audio's manifest and the spike counts.
package speech
