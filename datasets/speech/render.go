package speech

import (
	"context"
	"encoding/binary"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
)

// bankSeconds is the length of each noise bank; recordings cut their noise
// from it at a drawn offset.
const bankSeconds = 20

// The babble talkers read these texts, which hold none of the words of the
// stand-ins.
var babble = []struct{ voice, text string }{
	{"en-us+f3", "The river ran past the old mill where the children played every summer, and the miller " +
		"watched them from his window while the wheel turned slowly in the brown water. Later the rain came " +
		"and they ran home across the fields, laughing, with their shoes in their hands."},
	{"en-gb+m2", "Please remember to bring the blue folder to the meeting on Thursday morning; the manager " +
		"wants to talk about the budget, the new office and the plans for the garden behind the library. " +
		"Coffee will be served in the hall, and the bus leaves from the corner at noon."},
	{"de+m4", "Der Zug kam heute wieder zu spät, und die Leute auf dem Bahnsteig wurden langsam ungeduldig. " +
		"Eine Frau mit einem großen Hund las die Zeitung, ein Mann telefonierte laut mit seiner Mutter, und " +
		"die Kinder spielten mit einem roten Ball zwischen den Bänken."},
}

// noiseBanks makes bankSeconds of each kind of noise at rate: white, pink
// and brown noise synthesised by sox, and babble, the three talkers of
// babble at once, each repeated to fill the bank.
func noiseBanks(ctx context.Context, t Tools, rate int) (map[string][]float64, error) {
	n := bankSeconds * rate
	banks := map[string][]float64{}
	for _, kind := range []string{"white", "pink", "brown"} {
		out, err := run(ctx, nil, t.Sox, append([]string{"-R", "-n"}, append(rawFormat(rate),
			"-", "synth", strconv.Itoa(bankSeconds), kind+"noise")...)...)
		if err != nil {
			return nil, err
		}
		x := floats(out)
		if len(x) < n {
			return nil, fmt.Errorf("speech: sox made %d samples of %s noise, want %d", len(x), kind, n)
		}
		banks[kind] = x[:n]
	}
	mix := make([]float64, n)
	for _, b := range babble {
		wav, err := run(ctx, nil, t.Espeak, "-v", b.voice, "--stdout", b.text)
		if err != nil {
			return nil, err
		}
		out, err := run(ctx, wav, t.Sox, append(append([]string{"-R", "-t", "wav", "-"}, rawFormat(rate)...),
			"-", "rate", "-v", strconv.Itoa(rate))...)
		if err != nil {
			return nil, err
		}
		x := floats(out)
		if len(x) == 0 {
			return nil, fmt.Errorf("speech: espeak-ng said nothing for the babble of %s", b.voice)
		}
		for i := range mix {
			mix[i] += x[i%len(x)]
		}
	}
	banks["babble"] = mix
	return banks, nil
}

// rawFormat is sox's description of the raw audio it writes for this
// package: mono 32-bit floats at rate, which do not clip.
func rawFormat(rate int) []string {
	return []string{"-t", "raw", "-e", "floating-point", "-b", "32", "-c", "1", "-r", strconv.Itoa(rate)}
}

// floats decodes sox's raw little-endian 32-bit floats.
func floats(b []byte) []float64 {
	x := make([]float64, len(b)/4)
	for i := range x {
		x[i] = float64(math.Float32frombits(binary.LittleEndian.Uint32(b[4*i:])))
	}
	return x
}

// render makes recording r of c and writes it to dir/r.Path.
func render(ctx context.Context, t Tools, c Config, banks map[string][]float64, dir string, r Recording) error {
	rate := c.Rate()
	wav, err := run(ctx, nil, t.Espeak, "-v", r.Voice, "-p", strconv.Itoa(r.Pitch), "-s", strconv.Itoa(r.Speed),
		"-a", strconv.Itoa(r.Amp), "--stdout", r.Text)
	if err != nil {
		return err
	}
	args := append([]string{"-R", "-t", "wav", "-"}, rawFormat(rate)...)
	args = append(args, "-", "highpass", strconv.Itoa(r.HighHz), "lowpass", strconv.Itoa(r.LowHz))
	if r.Reverb > 0 {
		args = append(args, "reverb", strconv.Itoa(r.Reverb), "50", strconv.Itoa(r.Room))
	}
	args = append(args, "rate", "-v", strconv.Itoa(rate))
	out, err := run(ctx, wav, t.Sox, args...)
	if err != nil {
		return err
	}
	speech := floats(out)
	power := activePower(speech, rate/100)
	if power == 0 {
		return fmt.Errorf("speech: %s: espeak-ng said nothing for %q with voice %s", r.Path, r.Text, r.Voice)
	}
	// Place the word.
	var total, onset int
	if c.Set == RawSC {
		total = rate
		onset = int(r.Onset * float64(max(0, total-len(speech))))
	} else {
		onset = int(r.Onset * float64(rate))
		total = onset + len(speech)
	}
	y := make([]float64, total)
	copy(y[onset:], speech)
	// Mix in the noise at r.SNR.
	bank := banks[r.Noise]
	if len(bank) < total {
		return fmt.Errorf("speech: %s: the recording (%d samples) is longer than the noise bank", r.Path, total)
	}
	noise := bank[int(r.NoiseAt*float64(len(bank)-total)):][:total]
	var np float64
	for _, v := range noise {
		np += v * v
	}
	np /= float64(total)
	g := math.Sqrt(power / (np * math.Pow(10, r.SNR/10)))
	peak := 0.0
	for i := range y {
		y[i] += g * noise[i]
		peak = max(peak, math.Abs(y[i]))
	}
	scale := math.Pow(10, r.Level/20) / peak
	pcm := make([]byte, 2*total)
	for i, v := range y {
		s := math.Round(v * scale * 32767)
		binary.LittleEndian.PutUint16(pcm[2*i:], uint16(int16(max(-32768, min(32767, s)))))
	}
	path := filepath.Join(dir, filepath.FromSlash(r.Path))
	part := path + ".part"
	ext := filepath.Ext(path)[1:]
	if _, err := run(ctx, pcm, t.Sox, "-R", "-t", "raw", "-e", "signed-integer", "-b", "16", "-c", "1",
		"-r", strconv.Itoa(rate), "-", "-t", ext, part); err != nil {
		os.Remove(part)
		return err
	}
	if err := os.Rename(part, path); err != nil {
		os.Remove(part)
		return fmt.Errorf("speech: %w", err)
	}
	return nil
}

// activePower returns the mean power of x over its frames of the given
// length whose power is within 30 dB of the loudest frame's: the power of
// the speech, not of the pauses around it.
func activePower(x []float64, frame int) float64 {
	var powers []float64
	loudest := 0.0
	for i := 0; i+frame <= len(x); i += frame {
		p := 0.0
		for _, v := range x[i : i+frame] {
			p += v * v
		}
		p /= float64(frame)
		powers = append(powers, p)
		loudest = max(loudest, p)
	}
	sum, n := 0.0, 0
	for _, p := range powers {
		if p >= loudest/1000 && p > 0 {
			sum += p
			n++
		}
	}
	if n == 0 {
		return 0
	}
	return sum / float64(n)
}
