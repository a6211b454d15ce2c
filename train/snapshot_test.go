package train_test

import (
	"math"
	"reflect"
	"testing"

	"gorgonia.org/tensor"

	"github.com/spikegrad/spikegrad/models"
	"github.com/spikegrad/spikegrad/train"
)

// TestSnapshotsAreConsistent checks the recorded traces against the model's
// own rules: a spike exactly where U ≥ 1, a reset right after it, logits
// equal to the maximum readout potential, and agreement with Evaluate.
func TestSnapshotsAreConsistent(t *testing.T) {
	d := smallRandman(t)
	spec := specFor(d, 30)
	w, err := models.Init(spec, 2, tensor.Float64)
	if err != nil {
		t.Fatal(err)
	}
	sess, err := train.NewEvaluator(spec, 8, w)
	if err != nil {
		t.Fatal(err)
	}
	defer sess.Close()
	snaps, err := sess.Snapshots(d.Test, []int{0, 1, 2})
	if err != nil {
		t.Fatal(err)
	}
	spikes := 0.0
	for _, sn := range snaps {
		S, U := sn.Spikes[0], sn.Membrane[0]
		for n := range S {
			for i, s := range S[n] {
				spikes += s
				if (U[n][i] >= 1) != (s == 1) {
					t.Fatalf("sample %d step %d neuron %d: U = %v, S = %v", sn.Index, n, i, U[n][i], s)
				}
				if s == 1 && n+1 < len(U) && U[n+1][i] != 0 {
					t.Fatalf("sample %d: no reset after the spike at step %d", sn.Index, n)
				}
			}
		}
		mx := 0.0 // U_out[1] = 0 takes part
		for _, row := range sn.Readout {
			mx = math.Max(mx, row[0])
		}
		if math.Abs(mx-sn.Logits[0]) > 1e-12 {
			t.Errorf("logit %v, max readout potential %v", sn.Logits[0], mx)
		}
	}
	if spikes == 0 {
		t.Fatal("no spikes: the test checks nothing")
	}
	err = sess.Each(d.Test.Subset("test", []int{0, 1, 2}), func(o train.Output) {
		if !reflect.DeepEqual(o.Logits, snaps[o.Index].Logits) {
			t.Errorf("sample %d: Each gives %v, Snapshots %v", o.Index, o.Logits, snaps[o.Index].Logits)
		}
	})
	if err != nil {
		t.Fatal(err)
	}
}
