package train_test

import (
	"fmt"
	"hash/fnv"
	"math"
	"testing"

	"gorgonia.org/tensor"

	"github.com/spikegrad/spikegrad/datasets"
	"github.com/spikegrad/spikegrad/examples/lifnosyn"
	"github.com/spikegrad/spikegrad/models"
	"github.com/spikegrad/spikegrad/network"
	"github.com/spikegrad/spikegrad/neurons/adlif"
	"github.com/spikegrad/spikegrad/neurons/learntau"
	"github.com/spikegrad/spikegrad/train"
)

func init() {
	for _, n := range []network.Neuron{learntau.Neuron{}, adlif.Neuron{}, lifnosyn.Neuron{}} {
		if _, err := network.LookupNeuron(n.Name()); err != nil {
			network.Register(n)
		}
	}
}

// TestTrainingIsBitForBit trains a few steps of a randman network and of
// an SHD-shaped recurrent one and compares the losses, the weights and
// the evaluators' outputs with the values the code gave before the
// programs were restructured to compile faster (issue 25, computed at
// 4c5acc9): changes to the graph's shape must not change a bit.
func TestTrainingIsBitForBit(t *testing.T) {
	shd := sparseSplit(24, 60, 70, 20, 0.03, 7)
	shdSpec := network.Default()
	shdSpec.Inputs, shdSpec.Hidden, shdSpec.Outputs, shdSpec.Steps = 70, []int{32}, 20, 60
	shdSpec.Recurrent, shdSpec.DT = true, 2
	reg := shdSpec
	reg.Reg.LowerStrength, reg.Reg.LowerThreshold, reg.Reg.UpperStrength, reg.Reg.UpperThreshold = 1, 1e-3, 0.06, 2
	reset := shdSpec
	reset.DifferentiableReset, reset.RecurrentGrad = true, true
	rm := smallRandman(t)
	rmSpec := specFor(rm, 64)
	deep := specFor(rm, 32, 16)
	deep.Gain = 12
	euler := shdSpec
	euler.Discretisation = string(network.Euler)
	nosyn := shdSpec
	nosyn.Neuron, nosyn.Gain = lifnosyn.Name, 8
	neuron := func(name string) network.Spec {
		s := shdSpec
		s.Neuron = name
		return s
	}
	for _, c := range []struct {
		name  string
		spec  network.Spec
		split *datasets.Split
		batch int
	}{
		{"randman", rmSpec, rm.Train, 40},
		{"randman-two-layers", deep, rm.Train, 40},
		{"shd", shdSpec, shd, 12},
		{"shd-regularised", reg, shd, 12},
		{"shd-reset-and-recurrent-gradient", reset, shd, 12},
		{"shd-euler", euler, shd, 12},
		{"shd-learntau", neuron(learntau.Name), shd, 12},
		{"shd-adlif", neuron(adlif.Name), shd, 12},
		{"shd-lifnosyn", nosyn, shd, 12},
	} {
		for _, dt := range []tensor.Dtype{tensor.Float32, tensor.Float64} {
			name := fmt.Sprintf("%s/%v", c.name, dt)
			got, err := trainBits(c.spec, c.split, c.batch, dt)
			if err != nil {
				t.Errorf("%s: %v", name, err)
				continue
			}
			if got != goldenBits[name] {
				t.Errorf("%s: got %s, want %s", name, got, goldenBits[name])
			}
		}
	}
}

// goldenBits are trainBits' results at 4c5acc9.
var goldenBits = map[string]string{
	"randman/float32":                          "[1.6085474491119385 1.6156308054924011 1.6163426041603088] d2031af4a40188bf",
	"randman/float64":                          "[1.6085474397072452 1.6156308002156514 1.6163426246812314] 1825089099311d45",
	"randman-two-layers/float32":               "[1.6096266508102417 1.6602184772491455 1.8204467296600342] c6946c31e5c53ec",
	"randman-two-layers/float64":               "[1.609626628199648 1.660218500944557 1.8204466008097964] 6db5309c58ff13f4",
	"shd/float32":                              "[3.0365296602249146 2.9959882497787476 3.0115896463394165] 7b5f61294a08d868",
	"shd/float64":                              "[3.0365297451328246 2.9959881446852705 3.011589596209459] 8e4165c0890be007",
	"shd-regularised/float32":                  "[3.0365304946899414 2.995989203453064 3.011590600013733] 97224da32b2cdda7",
	"shd-regularised/float64":                  "[3.0365305888828247 2.9959890144769368 3.011590434751126] afd900cad10d1e6f",
	"shd-reset-and-recurrent-gradient/float32": "[3.0365296602249146 3.000317335128784 3.0195395946502686] 6bb0ea108d57f38d",
	"shd-reset-and-recurrent-gradient/float64": "[3.0365297451328246 3.000317271618382 3.0195395853619598] b322f0bad5d62a78",
	"shd-euler/float32":                        "[3.0242092609405518 2.999478578567505 2.9856956005096436] 8664e603d9908e7b",
	"shd-euler/float64":                        "[3.0242093228723035 2.9994785549236576 2.9856955908672838] 3bef147ab48267ce",
	"shd-learntau/float32":                     "[3.0365296602249146 3.001121401786804 3.0136696100234985] 522db7c72d0fabb8",
	"shd-learntau/float64":                     "[3.0365297451328246 3.001121481441467 3.013669700232621] 208a6e0694d05c02",
	"shd-adlif/float32":                        "[2.990500807762146 3.010856509208679 2.9897648096084595] 82a95f9486724691",
	"shd-adlif/float64":                        "[2.990500774753253 3.0108565988947995 2.9897648830411256] 71bea27e1bc53514",
	"shd-lifnosyn/float32":                     "[3.0112017393112183 3.0004963874816895 3.0069671869277954] 1d38d13dd3390294",
	"shd-lifnosyn/float64":                     "[3.01120173502798 3.0004964231888707 3.006967196702345] fb2065a6daf8416b",
}

// trainBits trains three steps and returns the losses and a hash of the
// weights after them and of an evaluator's logits and spike counts.
func trainBits(spec network.Spec, split *datasets.Split, batch int, dt tensor.Dtype) (string, error) {
	w, err := models.Init(spec, 5, dt)
	if err != nil {
		return "", err
	}
	tr, err := train.NewTrainer(spec, batch, w, train.DefaultOptimizer(5e-3))
	if err != nil {
		return "", err
	}
	defer tr.Close()
	h := fnv.New64a()
	var losses []float64
	for step := 0; step < 3; step++ {
		idx := make([]int, batch)
		for i := range idx {
			idx[i] = (step*batch + i) % split.Len()
		}
		if _, err := tr.Step(split, idx); err != nil {
			return "", err
		}
		losses = append(losses, tr.Loss())
	}
	for _, m := range w.All() {
		for _, v := range floats64(m) {
			fmt.Fprint(h, math.Float64bits(v))
		}
	}
	ev, err := tr.Evaluator()
	if err != nil {
		return "", err
	}
	defer ev.Close()
	err = ev.Each(split, func(o train.Output) {
		for _, v := range o.Logits {
			fmt.Fprint(h, math.Float64bits(v))
		}
		for _, l := range o.Counts {
			for _, v := range l {
				fmt.Fprint(h, math.Float64bits(v))
			}
		}
	})
	return fmt.Sprintf("%v %x", losses, h.Sum64()), err
}

func floats64(m *tensor.Dense) []float64 {
	switch d := m.Data().(type) {
	case []float32:
		out := make([]float64, len(d))
		for i, v := range d {
			out[i] = float64(v)
		}
		return out
	case []float64:
		return d
	}
	return nil
}
