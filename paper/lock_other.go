//go:build !unix

package paper

import "sync"

var timingMu sync.Mutex

// lockDir serialises the timing-file updates of this process only: on
// systems without flock, reproductions sharing an output folder should
// each run as a shard (their timing files are their own).
func lockDir(string) (unlock func(), err error) {
	timingMu.Lock()
	return timingMu.Unlock, nil
}
