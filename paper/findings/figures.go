package findings

import (
	"encoding/csv"
	"fmt"
	"image/color"
	"io"
	"math"
	"path/filepath"
	"strconv"

	"github.com/spikegrad/spikegrad/internal/atomicfile"
	"github.com/spikegrad/spikegrad/report/chart"
)

// figures writes the files of the figures folder and keeps their list.
type figures struct {
	dir   string
	files []string
	notes []string // figures not drawn, and why
}

func (f *figures) path(name string) string { return filepath.Join(f.dir, name) }

// done notes a written file.
func (f *figures) done(name string) { f.files = append(f.files, f.path(name)) }

// skip notes a figure that could not be drawn.
func (f *figures) skip(name string, err error) {
	f.notes = append(f.notes, fmt.Sprintf("%s: %v", name, err))
}

// csv writes rows (a header first) to name, atomically.
func (f *figures) csv(name string, rows [][]string) error {
	err := atomicfile.Write(f.path(name), func(w io.Writer) error {
		cw := csv.NewWriter(w)
		if err := cw.WriteAll(rows); err != nil {
			return err
		}
		cw.Flush()
		return cw.Error()
	})
	if err == nil {
		f.done(name)
	}
	return err
}

// barChart draws c into name.png with its data in name.csv.
func (f *figures) barChart(name string, c chart.BarChart) error {
	rows := [][]string{{"cluster", "series", "test_mean", "test_std", "k", "runs"}}
	for j, s := range c.Series {
		for i, cl := range c.Clusters {
			v := c.Values[j][i]
			if v.N == 0 {
				continue
			}
			rows = append(rows, []string{cl, s, num(v.Mean), num(v.Std), strconv.Itoa(v.K), strconv.Itoa(v.N)})
		}
	}
	if err := f.csv(name+".csv", rows); err != nil {
		return err
	}
	if err := chart.DrawBarChart(f.path(name+".png"), c); err != nil {
		f.skip(name+".png", err)
		return nil
	}
	f.done(name + ".png")
	return nil
}

// curves draws c into name.png with its data in name.csv.
func (f *figures) curves(name string, c chart.CurveChart) error {
	rows := [][]string{{"group", "curve", "x", "y"}}
	for i, cv := range c.Curves {
		for k := range cv.X {
			rows = append(rows, []string{c.Groups[cv.Group], strconv.Itoa(i), num(cv.X[k]), num(cv.Y[k])})
		}
	}
	if err := f.csv(name+".csv", rows); err != nil {
		return err
	}
	if err := chart.DrawCurves(f.path(name+".png"), c); err != nil {
		f.skip(name+".png", err)
		return nil
	}
	f.done(name + ".png")
	return nil
}

// num formats a number for CSV; NaN (no spread of a single run) is empty.
func num(x float64) string {
	if math.IsNaN(x) {
		return ""
	}
	return strconv.FormatFloat(x, 'g', -1, 64)
}

// Colours of the paper's figures, from the Okabe–Ito palette: controls in
// grey, the impaired case in orange (vermillion), shades of blue for the
// surrogates.
var (
	grey      = color.RGBA{0x99, 0x99, 0x99, 0xff}
	black     = color.RGBA{0, 0, 0, 0xff}
	blue      = color.RGBA{0x00, 0x72, 0xB2, 0xff}
	skyBlue   = color.RGBA{0x56, 0xB4, 0xE9, 0xff}
	vermilion = color.RGBA{0xD5, 0x5E, 0x00, 0xff}
	orange    = color.RGBA{0xE6, 0x9F, 0x00, 0xff}
)
