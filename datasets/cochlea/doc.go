// Package cochlea turns audio into spikes of 700 channels, as the inner
// ear model that made the Spiking Heidelberg Digits and Spiking Speech
// Commands (Cramer et al. 2020) turned the Heidelberg Digits and Speech
// Commands into spikes, so that spoken stand-ins (package speech) can be
// written in the layout of those data sets.
//
// It is a stand-in for that model, not a copy of it. Cramer et al.
// (their converter is lauscher, github.com/electronicvisions/lauscher)
// normalise the recording to an RMS of 0.3, filter it through a
// hydrodynamic model of the basilar membrane (Sieroka et al. 2006) at 700
// places from base to apex, turn each place's membrane velocity into a
// firing probability with Meddis' transmitter-pool hair cell, draw 40
// stochastic fibres per place (1 ms refractory) and let them converge on
// one leaky integrate-and-fire bushy cell per place (τ_mem 1 ms, τ_syn
// 0.5 ms, 1 ms refractory), whose spikes are the data. lauscher's
// reference digit has 618 spikes in 70 places over 0.77 s, about 6 200
// at 700 places, with the active places firing once every 4–9 ms, locked
// to the voice's pitch.
//
// Here, for a recording x resampled to Rate (16 kHz) and scaled to an RMS
// of 1 (silence stays silent):
//
//  1. Basilar membrane: a fourth-order gammatone filter per channel,
//     g(t) ∝ t³·e^(−2πbt)·cos(2πf t), with centre frequencies f equally
//     spaced on the ERB-rate scale E(f) = 21.4·log10(1 + 4.37 f/kHz)
//     between LowHz and HighHz and bandwidths b = 1.019·ERB(f),
//     ERB(f) = 24.7·(4.37 f/kHz + 1) Hz (Glasberg & Moore 1990). Each is
//     computed as a cascade of four one-pole low-pass filters
//     y ← y + (1 − e^(−2πb/Rate))·(u − y) of the signal shifted down by f,
//     u = x·e^(−i2πfn/Rate), and shifted back, v = 2·Re(y₄·e^(i2πfn/Rate)):
//     gain 1 at f, a few dozen operations per sample and channel instead of
//     a long convolution. Channel 0 is the highest frequency, as place 0 of
//     lauscher is the base of the cochlea.
//  2. Inner hair cell: half-wave rectification and saturation,
//     r = h/(h + Saturation) with h = max(v, 0): the transduction current
//     follows the membrane's motion in one direction only, saturates, and
//     compresses the level range that the 20 dB of level and 0–20 dB of
//     noise of the stand-ins span; the fine structure is kept, so spikes
//     lock to the pitch and to low harmonics.
//  3. Spiking unit, one per channel (the bushy cell): a leaky
//     integrate-and-fire neuron driven by r through a synaptic filter,
//     I ← β_s·I + (1 − β_s)·r, U ← β_m·U + (1 − β_m)·Gain·I, which spikes
//     when U reaches 1 + A, is then held at 0 for Refractory, and raises
//     its threshold by AdaptStep, A ← A + AdaptStep, decaying as
//     A ← e^(−1/(Rate·TauAdapt))·A: firing adapts, so onsets stand out
//     and a steady sound settles to a lower rate, as the hair cell's
//     transmitter depletion does in Meddis' model.
//
// What differs: the filters are gammatones, not the hydrodynamic membrane
// (their tuning is sharper at low frequencies and they have no travelling-
// wave delay); the hair cell is a static saturation without spontaneous
// release; and there are no stochastic fibres: the same audio always gives
// the same spikes, and the variability is that of the audio (voices,
// channels, noise). The parameters of Default were set so that a spoken
// digit of the rawhd stand-ins gives spikes in the published data's range
// (docs/measurements/speech-standins.md has the counts).
//
// A channel tuned low enough runs at Rate/2 or Rate/4 (its signal
// resampled from Rate) when its filter's pass band, the centre frequency
// plus four bandwidths, lies inside what the resampler passes at that
// rate: what is lost is already 25 dB down the filter's skirt, and half
// of the channels' cost is saved (85 ms of CPU per second of 48 kHz
// audio, BenchmarkEncode). Spike times are multiples of the channel's
// sampling period.
//
// Encode is deterministic: the same samples and Config give the same
// spikes, on any number of goroutines.
package cochlea
