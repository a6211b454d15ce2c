package run

// Randman are the settings of the randman task, generated in-process: the
// fields of datasets/randman's Config but its time grid and seed, which
// come from the steps and data-seed settings.
type Randman struct {
	Classes int     // classes, one random manifold each
	Dim     int     // intrinsic dimension D of every manifold
	Alpha   float64 // smoothness α of the manifolds
	Units   int     // input units M

	SamplesPerClass                   int
	TrainPerClass, ValidationPerClass int // the rest of a class's samples are test
	Window                            int // spike-time window τ_randman, steps
}

// DefaultRandman is the randman task of Zenke & Vogels (2021):
// datasets/randman's Default (package catalog checks that they agree).
func DefaultRandman() Randman {
	return Randman{Classes: 10, Dim: 1, Alpha: 1, Units: 20, SamplesPerClass: 1000, TrainPerClass: 800, ValidationPerClass: 100, Window: 50}
}

// FeatureStorages are the values of the feature-storage setting, the
// default first (datasets/audio's storages; package catalog checks that
// they agree).
var FeatureStorages = []string{"float16", "float32"}
