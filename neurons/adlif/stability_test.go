package adlif_test

import (
	"math"
	"math/cmplx"
	"testing"

	"github.com/spikegrad/spikegrad/network"
	"github.com/spikegrad/spikegrad/neurons/adlif"
)

// radius is the spectral radius of the map (U[n], w[n]) → (U[n+1],
// w[n+1]) of the equations without spikes and input.
func radius(alpha, rho, a float64) float64 {
	// w' = ρ·w + a·U;  U' = α·U − (1 − α)·w'
	m := [2][2]float64{{alpha - (1-alpha)*a, -(1 - alpha) * rho}, {a, rho}}
	tr, det := m[0][0]+m[1][1], m[0][0]*m[1][1]-m[0][1]*m[1][0]
	d := cmplx.Sqrt(complex(tr*tr-4*det, 0))
	return math.Max(cmplx.Abs((complex(tr, 0)+d)/2), cmplx.Abs((complex(tr, 0)-d)/2))
}

// Every parameter the ranges allow gives stable dynamics, for the
// settings of randman, SHD and the audio sets, and a just below −(1 − ρ)
// would not: the bound on a is needed.
func TestRangesAreStable(t *testing.T) {
	for _, c := range []struct{ dt, tauMem float64 }{{1, 10}, {2, 20}, {10, 20}, {1, 4}, {0.1, 100}} {
		s := network.Default()
		s.DT, s.TauMem = c.dt, c.tauMem
		r := adlif.RangesOf(s)
		for k := 0; k <= 20; k++ {
			for _, alpha := range []float64{r.Lo[adlif.Alpha], r.Hi[adlif.Alpha]} {
				for _, rho := range []float64{r.Lo[adlif.Rho], r.Hi[adlif.Rho]} {
					a := r.Lo[adlif.A] + float64(k)/20*(r.Hi[adlif.A]-r.Lo[adlif.A])
					if rad := radius(alpha, rho, a); rad >= 1 {
						t.Errorf("Δt %g, τ_mem %g: α %.4f, ρ %.4f, a %.3f has spectral radius %.5f", c.dt, c.tauMem, alpha, rho, a, rad)
					}
					if rad := radius(alpha, rho, -(1-rho)*1.01); rad <= 1 {
						t.Errorf("a just below −(1 − ρ) has spectral radius %.5f, want > 1", rad)
					}
				}
			}
		}
	}
}
