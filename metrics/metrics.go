package metrics

import "math"

// Metrics summarise a pass over samples.
type Metrics struct {
	N        int     `json:"n"`        // samples
	Loss     float64 `json:"loss"`     // mean cross-entropy (without regularisers)
	Accuracy float64 `json:"accuracy"` // fraction classified correctly
	// SpikesPerInput is the mean number of spikes per sample in each hidden
	// layer.
	SpikesPerInput []float64 `json:"spikes_per_input"`

	lossSum  float64
	hits     int
	spikeSum []float64
}

// Add counts one sample: its logits, its label and the spike counts of
// every neuron of every hidden layer. Call Done for the means.
func (m *Metrics) Add(logits []float64, label int, counts [][]float64) {
	m.N++
	m.lossSum += CrossEntropy(logits, label)
	if Argmax(logits) == label {
		m.hits++
	}
	if m.spikeSum == nil {
		m.spikeSum = make([]float64, len(counts))
	}
	for l, c := range counts {
		for _, v := range c {
			m.spikeSum[l] += v
		}
	}
}

// Done returns m with the running sums of Add and Merge turned into means.
// The result holds its exported fields only, as a Metrics read from JSON
// does.
func (m Metrics) Done() Metrics {
	if m.N == 0 {
		return Metrics{}
	}
	out := Metrics{N: m.N, Loss: m.lossSum / float64(m.N), Accuracy: float64(m.hits) / float64(m.N),
		SpikesPerInput: make([]float64, len(m.spikeSum))}
	for l, s := range m.spikeSum {
		out.SpikesPerInput[l] = s / float64(m.N)
	}
	return out
}

// Merge adds the samples of o, a finished (Done) Metrics, to m.
func (m *Metrics) Merge(o Metrics) {
	m.N += o.N
	m.lossSum += o.Loss * float64(o.N)
	m.hits += int(o.Accuracy*float64(o.N) + 0.5)
	if m.spikeSum == nil {
		m.spikeSum = make([]float64, len(o.SpikesPerInput))
	}
	for l, s := range o.SpikesPerInput {
		m.spikeSum[l] += s * float64(o.N)
	}
}

// TotalSpikes is the mean number of hidden spikes per sample, all layers.
func (m Metrics) TotalSpikes() float64 {
	t := 0.0
	for _, s := range m.SpikesPerInput {
		t += s
	}
	return t
}

// CrossEntropy is −log softmax(z)[label], computed without overflow.
func CrossEntropy(z []float64, label int) float64 {
	mx := math.Inf(-1)
	for _, v := range z {
		mx = math.Max(mx, v)
	}
	s := 0.0
	for _, v := range z {
		s += math.Exp(v - mx)
	}
	return mx + math.Log(s) - z[label]
}

// Argmax is the predicted class of logits z: the first largest.
func Argmax(z []float64) int {
	best := 0
	for i, v := range z {
		if v > z[best] {
			best = i
		}
	}
	return best
}
