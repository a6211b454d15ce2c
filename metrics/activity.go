package metrics

import "time"

// Epoch records one epoch.
type Epoch struct {
	Epoch      int           `json:"epoch"` // from 1
	Train      Metrics       `json:"train"`
	Validation Metrics       `json:"validation"`
	Duration   time.Duration `json:"duration_ns"`
}

// SpikeStats describe the activity of one hidden layer over a split.
type SpikeStats struct {
	Neurons int `json:"neurons"`
	// PerInput is the mean number of spikes of the whole layer per sample.
	PerInput float64 `json:"spikes_per_input"`
	// NeuronMeans is each neuron's mean spike count per sample.
	NeuronMeans []float64 `json:"neuron_mean_counts"`
	// Silent is the fraction of neurons that never spiked on the split.
	Silent float64 `json:"silent_fraction"`
	// MaxRate is the highest mean firing rate of any neuron, in Hz.
	MaxRate float64 `json:"max_rate_hz"`
	// MaxCount is the most spikes any neuron emitted for one sample.
	MaxCount float64 `json:"max_count"`
}

// Finish turns NeuronMeans, holding per-neuron spike sums over n samples
// of window seconds each, into means, and fills in the summaries.
func (st *SpikeStats) Finish(n int, window float64) {
	silent := 0
	for i, sum := range st.NeuronMeans {
		if sum == 0 {
			silent++
		}
		st.NeuronMeans[i] = sum / float64(n)
		st.PerInput += st.NeuronMeans[i]
		st.MaxRate = max(st.MaxRate, st.NeuronMeans[i]/window)
	}
	st.Silent = float64(silent) / float64(st.Neurons)
}

// Snapshot is the activity of a network on one sample, step by step: what a
// raster plot or a membrane trace shows.
type Snapshot struct {
	Index     int           `json:"index"` // in the split
	Label     int           `json:"label"`
	Predicted int           `json:"predicted"`
	Input     [][]float64   `json:"input"`    // [T][inputs]
	Spikes    [][][]float64 `json:"spikes"`   // [layer][T][units]
	Membrane  [][][]float64 `json:"membrane"` // [layer][T][units], U[n]
	Readout   [][]float64   `json:"readout"`  // [T][classes], U_out[n+1]
	Logits    []float64     `json:"logits"`
}
