package surrogate_test

import (
	"fmt"

	"github.com/spikegrad/spikegrad/surrogate"
)

// ExampleSurrogate_Deriv evaluates the surrogate derivatives of the paper
// at β = 10, at the threshold and 0.1 and 0.5 away from it: the
// normalised shapes peak at 1 (sigmoid′ at 1/4), the asymptotic one at β,
// and Esser et al.'s is zero beyond 1/β.
func ExampleSurrogate_Deriv() {
	for _, name := range []string{"superspike", "sigmoid", "esser", "asymptotic", "exact"} {
		shape, err := surrogate.ParseShape(name)
		if err != nil {
			fmt.Println(err)
			return
		}
		h := surrogate.Surrogate{Shape: shape, Beta: 10}
		fmt.Printf("%-22s h(0) = %6.4f  h(0.1) = %6.4f  h(0.5) = %6.4f\n", h, h.Deriv(0), h.Deriv(0.1), h.Deriv(0.5))
	}
	// Output:
	// superspike(β=10)       h(0) = 1.0000  h(0.1) = 0.2500  h(0.5) = 0.0278
	// sigmoid(β=10)          h(0) = 0.2500  h(0.1) = 0.1966  h(0.5) = 0.0066
	// esser(β=10)            h(0) = 1.0000  h(0.1) = 0.0000  h(0.5) = 0.0000
	// asymptotic(β=10)       h(0) = 10.0000  h(0.1) = 2.5000  h(0.5) = 0.2778
	// exact(β=10)            h(0) = 0.0000  h(0.1) = 0.0000  h(0.5) = 0.0000
}

// ExampleParseShape shows the names the command line and the settings
// files accept, and the error for any other.
func ExampleParseShape() {
	fmt.Println(surrogate.ShapeNames())
	_, err := surrogate.ParseShape("fast-sigmoid")
	fmt.Println(err)
	// Output:
	// [superspike sigmoid esser asymptotic exact]
	// unknown surrogate "fast-sigmoid": want one of superspike, sigmoid, esser, asymptotic, exact
}
