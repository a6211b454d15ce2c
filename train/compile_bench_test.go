package train

import (
	"fmt"
	"runtime"
	"syscall"
	"testing"
	"time"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/spikegrad/spikegrad/models"
	"github.com/spikegrad/spikegrad/network"
)

// Issue 25: what it costs to build and compile the SHD-sized programs
// (700-128r-20, batch 100, float32; one program) at T = 100, 200 and 400.

// compileShd is an SHD-sized spec with T steps.
func compileShd(T int) network.Spec {
	s := network.Default()
	s.Inputs, s.Hidden, s.Outputs, s.Steps = 700, []int{128}, 20, T
	s.Recurrent, s.DT = true, 2
	return s
}

// programCost is what building and compiling one program took.
type programCost struct {
	nodes, edges         int
	build, grad, compile time.Duration
	compileCPU           time.Duration // of the compiling thread alone
}

// threadCPU is the CPU time the calling thread has used (the caller locks
// itself to its thread). On a shared machine it tracks the work of a
// compilation better than the wall time, which other processes stretch.
func threadCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(1 /* RUSAGE_THREAD */, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// edgesOf counts the nodes and the children of the nodes that outputs need.
func edgesOf(g *G.ExprGraph, outputs G.Nodes) (nodes, edges int) {
	sub := g.ExactSubgraphRoots(outputs...)
	for _, n := range sub.AllNodes() {
		nodes++
		edges += sub.From(n.ID()).Len()
	}
	return nodes, edges
}

// trainCost builds and compiles the training program as newMicroBatch does.
func trainCost(spec network.Spec, batch int, w *models.Weights) (programCost, error) {
	var c programCost
	t0 := time.Now()
	m, err := models.New(spec, batch, w, models.Threads(1))
	if err != nil {
		return c, err
	}
	if _, err := bind(m, w); err != nil {
		return c, err
	}
	c.build = time.Since(t0)
	learn := m.Learnables()
	t0 = time.Now()
	grads, err := G.Grad(m.Loss, learn...)
	if err != nil {
		return c, err
	}
	c.grad = time.Since(t0)
	out := append(append(append(G.Nodes{m.Loss}, grads...), m.Net.Out.Logits), liveCounts(m)...)
	c.nodes, c.edges = edgesOf(m.Graph, out)
	t0, c0 := time.Now(), threadCPU()
	vm, err := machine(m.Graph, learn, out, G.BindDualValues(learn...))
	if err != nil {
		return c, err
	}
	c.compile, c.compileCPU = time.Since(t0), threadCPU()-c0
	vm.Close()
	return c, nil
}

// evalCost builds and compiles the evaluation program as NewEvaluator does.
func evalCost(spec network.Spec, batch int, w *models.Weights) (programCost, error) {
	var c programCost
	t0 := time.Now()
	m, err := models.New(spec, batch, w, models.Plain())
	if err != nil {
		return c, err
	}
	if _, err := bind(m, w); err != nil {
		return c, err
	}
	c.build = time.Since(t0)
	out := append(G.Nodes{m.Net.Out.Logits}, liveCounts(m)...)
	c.nodes, c.edges = edgesOf(m.Graph, out)
	t0, c0 := time.Now(), threadCPU()
	vm, err := machine(m.Graph, m.Learnables(), out)
	if err != nil {
		return c, err
	}
	c.compile, c.compileCPU = time.Since(t0), threadCPU()-c0
	vm.Close()
	return c, nil
}

// BenchmarkCompile builds and compiles the SHD-sized training program (of
// one program: the whole batch of 100) and evaluation program at T = 100,
// 200 and 400, and reports node and edge counts (Σ children of the
// nodes compiled) and the times of graph building, G.Grad and
// compilation (G.CompileFunction and G.NewTapeMachine) separately, and
// (concurrent) the wall time of building and compiling both at once.
// compile-cpu-ms is the CPU time of the compiling thread, which a shared
// machine stretches less than the wall time.
func BenchmarkCompile(b *testing.B) {
	for _, T := range []int{100, 200, 400} {
		spec := compileShd(T)
		w, err := models.Init(spec, 1, tensor.Float32)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(fmt.Sprintf("fit/T=%d", T), func(b *testing.B) {
			// What Fit builds: the Trainer's micro-batches (batch 100),
			// their programs compiled at once, and its Evaluator's
			// forward programs on their graphs.
			for i := 0; i < b.N; i++ {
				tr, err := NewTrainer(spec, 100, w, DefaultOptimizer(1e-3))
				if err != nil {
					b.Fatal(err)
				}
				ev, err := tr.Evaluator()
				if err != nil {
					b.Fatal(err)
				}
				ev.Close()
				tr.Close()
			}
		})
		b.Run(fmt.Sprintf("concurrent/T=%d", T), func(b *testing.B) {
			// Both programs built and compiled at once (see machine):
			// the wall time of the pair.
			for i := 0; i < b.N; i++ {
				errs := each(2, 2, func(k int) error {
					var err error
					if k == 0 {
						_, err = trainCost(spec, 100, w)
					} else {
						_, err = evalCost(spec, 100, w)
					}
					return err
				})
				for _, err := range errs {
					if err != nil {
						b.Fatal(err)
					}
				}
			}
		})
		for _, prog := range []string{"train", "eval"} {
			b.Run(fmt.Sprintf("%s/T=%d", prog, T), func(b *testing.B) {
				runtime.LockOSThread()
				defer runtime.UnlockOSThread()
				var sum programCost
				for i := 0; i < b.N; i++ {
					var c programCost
					var err error
					if prog == "train" {
						c, err = trainCost(spec, 100, w)
					} else {
						c, err = evalCost(spec, 100, w)
					}
					if err != nil {
						b.Fatal(err)
					}
					sum.nodes, sum.edges = c.nodes, c.edges
					sum.build += c.build
					sum.grad += c.grad
					sum.compile += c.compile
					sum.compileCPU += c.compileCPU
				}
				n := float64(b.N)
				b.ReportMetric(float64(sum.nodes), "nodes")
				b.ReportMetric(float64(sum.edges), "edges")
				b.ReportMetric(sum.build.Seconds()*1e3/n, "build-ms")
				b.ReportMetric(sum.grad.Seconds()*1e3/n, "grad-ms")
				b.ReportMetric(sum.compile.Seconds()*1e3/n, "compile-ms")
				b.ReportMetric(sum.compileCPU.Seconds()*1e3/n, "compile-cpu-ms")
			})
		}
	}
}

// Training and evaluation programs of one network may be built and
// compiled at once (see machine); run with -race.
func TestCompileConcurrently(t *testing.T) {
	spec := compileShd(30)
	spec.Inputs, spec.Hidden, spec.Outputs = 40, []int{16}, 5
	w, err := models.Init(spec, 1, tensor.Float32)
	if err != nil {
		t.Fatal(err)
	}
	errs := each(4, 4, func(k int) error {
		if k%2 == 0 {
			_, err := trainCost(spec, 10, w)
			return err
		}
		_, err := evalCost(spec, 10, w)
		return err
	})
	for _, err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
}
