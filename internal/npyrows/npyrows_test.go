package npyrows_test

import (
	"reflect"
	"testing"

	"gorgonia.org/tensor"

	"github.com/spikegrad/spikegrad/internal/npyrows"
)

func TestRowsShareTheMatrix(t *testing.T) {
	m := tensor.New(tensor.WithShape(2, 3), tensor.WithBacking([]float32{1, 2, 3, 4, 5, 6}))
	rows, err := npyrows.Of(m)
	if err != nil {
		t.Fatal(err)
	}
	if want := [][]float32{{1, 2, 3}, {4, 5, 6}}; !reflect.DeepEqual(rows, want) {
		t.Errorf("rows %v, want %v", rows, want)
	}
	if _, err := npyrows.Of(tensor.New(tensor.WithShape(2), tensor.WithBacking([]float64{1, 2}))); err == nil {
		t.Error("a vector was taken for a matrix")
	}
	if _, err := npyrows.Of(tensor.New(tensor.WithShape(1, 1), tensor.WithBacking([]int{1}))); err == nil {
		t.Error("an int matrix was accepted")
	}
}
