package train

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

// add counts one sample.
func (m *Metrics) add(logits []float64, label int, counts [][]float64) {
	m.N++
	m.lossSum += crossEntropy(logits, label)
	if argmax(logits) == label {
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

// TotalSpikes is the mean number of hidden spikes per sample, all layers.
func (m Metrics) TotalSpikes() float64 {
	t := 0.0
	for _, s := range m.SpikesPerInput {
		t += s
	}
	return t
}

// done turns the running sums into means.
func (m Metrics) done() Metrics {
	if m.N == 0 {
		return m
	}
	m.Loss = m.lossSum / float64(m.N)
	m.Accuracy = float64(m.hits) / float64(m.N)
	m.SpikesPerInput = make([]float64, len(m.spikeSum))
	for l, s := range m.spikeSum {
		m.SpikesPerInput[l] = s / float64(m.N)
	}
	return m
}

// merge adds the running sums of o to m.
func (m *Metrics) merge(o Metrics) {
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
