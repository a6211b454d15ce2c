package findings

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/spikegrad/spikegrad/datasets/synthetic"
	"github.com/spikegrad/spikegrad/paper"
	"github.com/spikegrad/spikegrad/sweep"
)

// TestAudioSweepsOnSyntheticFiles runs one run of each Fig. 6 readout case
// on SHD, RawHD and RawSC stand-ins written in the published layouts, and
// checks that the findings set them beside the paper's numbers.
func TestAudioSweepsOnSyntheticFiles(t *testing.T) {
	if testing.Short() {
		t.Skip("trains 12 networks")
	}
	data := t.TempDir()
	if err := synthetic.WriteSHD(filepath.Join(data, "shd"), 40, 20, 1); err != nil {
		t.Fatal(err)
	}
	if err := synthetic.WriteRawHD(filepath.Join(data, "rawhd"), 40, 20, 1); err != nil {
		t.Fatal(err)
	}
	if err := synthetic.WriteRawSC(filepath.Join(data, "rawsc"), []string{"yes", "no", "up"}, 12, 1); err != nil {
		t.Fatal(err)
	}
	set := []sweep.Assignment{{Key: "epochs", Value: "1"}, {Key: "limit", Value: "20"}, {Key: "batch", Value: "10"}, {Key: "hidden", Value: "16"}}
	p, err := paper.NewPlan(paper.Options{Scale: paper.Full, Data: data, Set: set})
	if err != nil {
		t.Fatal(err)
	}
	for i := range p.Batches {
		b := &p.Batches[i]
		if !strings.HasPrefix(b.Sweep, "fig6-") || !slices.Contains([]string{"shd", "rawhd", "rawsc"}, b.Dataset) {
			b.Jobs = nil
			continue
		}
		if b.Absent != "" {
			t.Fatalf("%s: %s", b.Sweep, b.Absent)
		}
		var keep []sweep.Job
		for _, j := range b.Jobs {
			if j.Settings.LR == 0.002 && j.Settings.Seed == 1 {
				keep = append(keep, j)
			}
		}
		b.Jobs = keep
	}
	if p.Runs() != 12 {
		t.Fatalf("%d runs planned, want 12", p.Runs())
	}
	out := t.TempDir()
	if err := paper.Execute(context.Background(), p, out, 2, "", nil); err != nil {
		t.Fatal(err)
	}
	r, err := paper.Load(p, out)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := Draw(context.Background(), r, Options{Dir: t.TempDir(), Data: data})
	if err != nil {
		t.Fatal(err)
	}
	found := 0
	for _, row := range rep.Rows {
		for _, ds := range []string{"SHD:", "RawHD:", "RawSC:"} {
			if strings.HasPrefix(row.Panel, "Fig. 6") && strings.HasPrefix(row.Finding, ds) {
				found++
				if !strings.Contains(row.Ours, "Max, RC") || !strings.Contains(row.Ours, "top 1 of 1") || strings.HasPrefix(row.Verdict, "not run") {
					t.Errorf("%s: ours %q, verdict %q", row.Finding, row.Ours, row.Verdict)
				}
			}
		}
	}
	if found != 3 {
		t.Errorf("%d audio rows, want 3", found)
	}
	ss, err := paper.LoadSessions(filepath.Join(out, paper.TimingFile))
	if err != nil || len(ss) != 1 || ss[0].Trained != 12 || !ss[0].Completed {
		t.Errorf("sessions: %+v, %v", ss, err)
	}
}
