package baseline

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"time"

	"gonum.org/v1/gonum/stat/distuv"
)

// Grid is the hyper-parameters a Search chooses among: every combination
// of a learning rate, an L2 penalty and a hidden size. An empty list
// keeps the base configuration's value.
type Grid struct {
	LR     []float64 `json:"lr"`
	L2     []float64 `json:"l2"`
	Hidden []int     `json:"hidden"`
}

// Configs returns the configurations of g on base, learning rate
// slowest, hidden size fastest.
func (g Grid) Configs(base Config) []Config {
	or := func(x []float64, v float64) []float64 {
		if len(x) == 0 {
			return []float64{v}
		}
		return x
	}
	hidden := g.Hidden
	if len(hidden) == 0 {
		hidden = []int{base.Hidden}
	}
	var out []Config
	for _, lr := range or(g.LR, base.LR) {
		for _, l2 := range or(g.L2, base.L2) {
			for _, h := range hidden {
				c := base
				c.LR, c.L2, c.Hidden = lr, l2, h
				out = append(out, c)
			}
		}
	}
	return out
}

// Stats are the mean, the sample standard deviation and the half-width of
// the 95 % confidence interval of the mean (Student's t, N−1 degrees of
// freedom) of N numbers; with one number the last two are 0.
type Stats struct {
	Mean float64 `json:"mean"`
	Std  float64 `json:"std"`
	CI95 float64 `json:"ci95"`
	N    int     `json:"n"`
}

// StatsOf returns the Stats of xs, which must not be empty.
func StatsOf(xs []float64) Stats {
	s := Stats{N: len(xs)}
	for _, x := range xs {
		s.Mean += x
	}
	s.Mean /= float64(len(xs))
	if len(xs) < 2 {
		return s
	}
	for _, x := range xs {
		s.Std += (x - s.Mean) * (x - s.Mean)
	}
	s.Std = math.Sqrt(s.Std / float64(len(xs)-1))
	t := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(len(xs) - 1)}.Quantile(0.975)
	s.CI95 = t * s.Std / math.Sqrt(float64(len(xs)))
	return s
}

// Point is one configuration of a search: its validation accuracy over
// the seeds and the epochs the fits chose. Its test accuracy is not
// kept: the choice among points reads validation only.
type Point struct {
	LR         float64 `json:"lr"`
	L2         float64 `json:"l2"`
	Hidden     int     `json:"hidden"`
	Validation Stats   `json:"validation"`
	BestEpochs []int   `json:"best_epochs"`
}

// Run is one seed's fit of the selected configuration.
type Run struct {
	Seed   uint64 `json:"seed"`
	Epochs int    `json:"epochs"` // trained, fewer than the maximum when stopped early
	Took   string `json:"took"`
	Result
}

// Searched is a search's outcome: every point's validation accuracy, the
// point selected on it, and the fits of that point with their test
// accuracy over the seeds.
type Searched struct {
	Grid       Grid     `json:"grid"`
	Seeds      []uint64 `json:"seeds"`
	Points     []Point  `json:"points"`
	Selected   Config   `json:"selected"` // Seed is the first seed's
	Validation Stats    `json:"validation"`
	Test       Stats    `json:"test"`
	Runs       []Run    `json:"runs"`
	// PerFit is the mean time of one fit.
	PerFit string `json:"per_fit"`
}

// Search fits every configuration of grid on base with every seed and
// selects the configuration of the highest mean validation accuracy over
// the seeds (the first of equals, in the order learning rate, L2, hidden
// size of the grid's lists); each fit keeps its best validation epoch
// and stops early as base.Patience says. Nothing but validation accuracy
// enters a choice. It reports the test accuracy of the selected
// configuration's fits as mean ± 95 % confidence interval over the seeds.
// done, if not nil, is called after every fit.
func Search(ctx context.Context, base Config, grid Grid, seeds []uint64, train, validation, test *Features, done func(Config, *Result, time.Duration)) (*Searched, error) {
	if len(seeds) == 0 {
		return nil, errors.New("baseline: a search needs a seed")
	}
	if s := slices.Clone(seeds); len(slices.Compact(slices.Sorted(slices.Values(s)))) != len(seeds) {
		return nil, fmt.Errorf("baseline: seeds %v repeat", seeds)
	}
	configs := grid.Configs(base)
	for _, c := range configs {
		if err := c.Validate(); err != nil {
			return nil, err
		}
	}
	out := &Searched{Grid: grid, Seeds: seeds}
	var all [][]Run
	var took time.Duration
	for _, c := range configs {
		p := Point{LR: c.LR, L2: c.L2, Hidden: c.Hidden}
		var runs []Run
		var vals []float64
		for _, seed := range seeds {
			c.Seed = seed
			began := time.Now()
			res, err := Fit(ctx, c, train, validation, test, nil)
			if err != nil {
				return nil, err
			}
			d := time.Since(began)
			took += d
			if done != nil {
				done(c, res, d)
			}
			runs = append(runs, Run{Seed: seed, Epochs: len(res.History), Took: d.Round(time.Millisecond).String(), Result: *res})
			vals = append(vals, res.Validation.Accuracy)
			p.BestEpochs = append(p.BestEpochs, res.BestEpoch)
		}
		p.Validation = StatsOf(vals)
		out.Points = append(out.Points, p)
		all = append(all, runs)
	}
	best := 0
	for i, p := range out.Points {
		if p.Validation.Mean > out.Points[best].Validation.Mean {
			best = i
		}
	}
	out.Selected = configs[best]
	out.Selected.Seed = seeds[0]
	out.Runs = all[best]
	var vals, tests []float64
	for _, r := range out.Runs {
		vals, tests = append(vals, r.Validation.Accuracy), append(tests, r.Test.Accuracy)
	}
	out.Validation, out.Test = StatsOf(vals), StatsOf(tests)
	out.PerFit = (took / time.Duration(len(configs)*len(seeds))).Round(time.Millisecond).String()
	return out, nil
}
