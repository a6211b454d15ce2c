package run

import (
	"bufio"
	"bytes"
	"fmt"
	"math"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/spikegrad/spikegrad/internal/readlimit"
	"github.com/spikegrad/spikegrad/network"
)

// Memory is an estimate of the peak memory of a run, by part, in bytes.
// The estimate is made from the settings alone, before anything is loaded
// or allocated; it errs on the high side by up to about half.
type Memory struct {
	// Weights are the weight matrices with their gradients, Adam's two
	// moments, the best weights so far and the copies a checkpoint takes.
	Weights int64
	// Activations are the values and gradients that backpropagation
	// through time keeps for every step of a batch, in the training
	// micro-batches and the evaluator.
	Activations int64
	// Graph is the unrolled Gorgonia graphs, one per micro-batch and one for
	// the evaluator: nodes for every step of every layer.
	Graph int64
	// Data is the data set in memory.
	Data int64
	// Program is the rest of the process.
	Program int64
}

// Total returns the sum of the parts.
func (m Memory) Total() int64 { return m.Weights + m.Activations + m.Graph + m.Data + m.Program }

// Coefficients of the estimate, measured with /usr/bin/time on randman
// runs from 89 MiB (the default network) to 910 MiB and rounded up: bytes
// per value of the activations of one sample, step and neuron (feed-forward
// and recurrent layers) and per node of the graph. Each data set estimates
// its own size (DataSet.Memory).
const (
	activationCopies          = 7
	recurrentActivationCopies = 18
	weightCopies              = 10
	graphBytesPerLayerStep    = 60 << 10
	programBytes              = 40 << 20
	measuredGraphs            = 3 // two training programs and the evaluator's
)

// EstimateMemory estimates the peak memory of training s, from its settings
// alone. Sizes out of the bounds of Validate saturate rather than overflow.
func (s *Settings) EstimateMemory() Memory {
	inputs, classes := 0, 0
	if ds, ok := lookupDataSet(s.Dataset); ok {
		inputs, classes = ds.Sizes(s)
	}
	bytes := 4.0
	if s.DType == "float64" {
		bytes = 8
	}
	// The coefficients were measured on the LIF; another neuron model's
	// activations scale with its state variables, its per-neuron
	// parameters count as weights.
	var neuron network.Neuron = network.LIF{}
	if n, err := network.LookupNeuron(s.Neuron); err == nil {
		neuron = n
	}
	lifStates := float64(network.LIF{}.States())
	perHidden, perOut := float64(len(neuron.Params(false))), float64(len(neuron.Params(true)))
	params, neurons := perOut*float64(classes), float64(classes)
	fanIn := float64(inputs)
	for _, h := range s.Hidden {
		params += fanIn*float64(h) + perHidden*float64(h)
		if s.Recurrent {
			params += float64(h) * float64(h)
		}
		neurons += float64(h)
		fanIn = float64(h)
	}
	params += fanIn * float64(classes)
	copies := float64(activationCopies)
	if s.Recurrent {
		copies = recurrentActivationCopies
	}
	copies *= float64(neuron.States()) / lifStates
	graphs := float64(min(max(s.MicroBatches, 1), max(s.Batch, 1)) + 1)
	return Memory{
		Weights:     sat(params * bytes * weightCopies),
		Activations: sat(float64(s.Batch) * float64(s.Steps) * neurons * bytes * copies),
		Graph:       sat(float64(s.Steps) * float64(len(s.Hidden)+1) * graphBytesPerLayerStep * graphs / measuredGraphs),
		Data:        s.dataMemory(),
		Program:     programBytes,
	}
}

// sat converts to int64, saturating.
func sat(x float64) int64 {
	if !(x < math.MaxInt64/4) {
		return math.MaxInt64 / 4
	}
	return int64(x)
}

// dataMemory estimates the data set's size in memory (DataSet.Memory).
func (s *Settings) dataMemory() int64 {
	if ds, ok := lookupDataSet(s.Dataset); ok && ds.Memory != nil {
		return ds.Memory(s)
	}
	return 0
}

// MemoryLimit returns the memory a run may use and where that figure comes
// from: max-memory if set, otherwise the smaller of the machine's memory
// and the memory limit of the control group the process runs in (a
// container, a Slurm job). It returns 0 when neither is known.
func (s *Settings) MemoryLimit() (int64, string) {
	if s.MaxMemory > 0 {
		return s.MaxMemory, "max-memory"
	}
	return MachineMemory()
}

// MachineMemory returns the smaller of the machine's memory (MemTotal in
// /proc/meminfo) and the process's control-group memory limit, and where
// it comes from; 0 if neither is known.
func MachineMemory() (int64, string) {
	limit, from := int64(0), ""
	if b, err := readlimit.ReadFile("/proc/meminfo", 1<<20); err == nil {
		sc := bufio.NewScanner(bytes.NewReader(b))
		for sc.Scan() {
			f := strings.Fields(sc.Text())
			if len(f) >= 2 && f[0] == "MemTotal:" {
				if kb, err := strconv.ParseInt(f[1], 10, 64); err == nil && kb > 0 {
					limit, from = kb<<10, "the machine's memory, MemTotal in /proc/meminfo"
				}
			}
		}
	}
	if cg, path := cgroupLimit(); cg > 0 && (limit == 0 || cg < limit) {
		limit, from = cg, "the memory limit of this process's control group, "+path
	}
	return limit, from
}

// cgroupLimit reads the memory limit of the process's control group,
// version 2 (memory.max) or 1 (memory.limit_in_bytes); 0 if there is none.
func cgroupLimit() (int64, string) {
	b, err := readlimit.ReadFile("/proc/self/cgroup", 1<<20)
	if err != nil {
		return 0, ""
	}
	var candidates []string
	for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		parts := strings.SplitN(line, ":", 3)
		if len(parts) != 3 {
			continue
		}
		switch {
		case parts[0] == "0" && parts[1] == "":
			for _, root := range []string{"/sys/fs/cgroup", "/sys/fs/cgroup/unified"} {
				candidates = append(candidates, filepath.Join(root, parts[2], "memory.max"), filepath.Join(root, "memory.max"))
			}
		case strings.Contains(","+parts[1]+",", ",memory,"):
			candidates = append(candidates, filepath.Join("/sys/fs/cgroup/memory", parts[2], "memory.limit_in_bytes"),
				"/sys/fs/cgroup/memory/memory.limit_in_bytes")
		}
	}
	for _, p := range candidates {
		b, err := readlimit.ReadFile(p, 1024)
		if err != nil {
			continue
		}
		v := strings.TrimSpace(string(b))
		n, err := strconv.ParseInt(v, 10, 64)
		// "max", or v1's "unlimited" of about 2^63, means no limit.
		if err == nil && n > 0 && n < 1<<60 {
			return n, p
		}
	}
	return 0, ""
}

// CheckMemory refuses settings whose estimated memory exceeds the limit
// of MemoryLimit, naming the settings behind the largest part and the
// estimate.
func (s *Settings) CheckMemory() error {
	limit, from := s.MemoryLimit()
	if limit <= 0 {
		return nil
	}
	return s.checkMemory(s.EstimateMemory(), limit, from)
}

func (s *Settings) checkMemory(m Memory, limit int64, from string) error {
	total := m.Total()
	if total <= limit {
		return nil
	}
	type part struct {
		name  string
		size  int64
		cause string
		keys  string
	}
	neurons := 0
	for _, h := range s.Hidden {
		neurons += h
	}
	inputs, classes := 0, 0
	if ds, ok := lookupDataSet(s.Dataset); ok {
		inputs, classes = ds.Sizes(s)
	}
	cause, keys := s.dataCause()
	parts := []part{
		{"activations", m.Activations, fmt.Sprintf("batch %d × steps %d × %d neurons", s.Batch, s.Steps, neurons+classes), "batch, steps or hidden"},
		{"weights and optimiser state", m.Weights, fmt.Sprintf("hidden = %v with %d inputs and %d classes", s.Hidden, inputs, classes), "hidden"},
		{"graph", m.Graph, fmt.Sprintf("steps %d × %d layers", s.Steps, len(s.Hidden)+1), "steps"},
		{"data set", m.Data, cause, keys},
	}
	big := parts[0]
	var list []string
	for _, p := range parts {
		if p.size > big.size {
			big = p
		}
		list = append(list, fmt.Sprintf("%s %s", p.name, readlimit.Size(p.size)))
	}
	hint := "max-memory overrides the limit"
	if from == "max-memory" {
		hint = "raise max-memory if the machine has more"
	}
	return fmt.Errorf("memory: this run needs about %s, more than the limit of %s (%s); most of it is the %s, %s for %s: lower %s (estimate: %s; %s)",
		readlimit.Size(total), readlimit.Size(limit), from, big.name, readlimit.Size(big.size), big.cause, big.keys, strings.Join(list, ", "), hint)
}

// dataCause describes what makes the data large, and the settings that
// make them smaller (DataSet.MemoryCause).
func (s *Settings) dataCause() (cause, settings string) {
	if ds, ok := lookupDataSet(s.Dataset); ok && ds.MemoryCause != nil {
		return ds.MemoryCause(s)
	}
	return "data set " + s.Dataset, "dataset"
}
