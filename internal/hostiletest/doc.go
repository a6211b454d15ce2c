// Package hostiletest runs the commands on the hostile corpus
// (testdata/hostile): crafted checkpoints, configuration and sweep files
// and archives, each with the exit status and messages that its line of
// testdata/hostile/manifest.txt expects. Every case runs as a real process
// — the calling package's test binary standing in for its command, as the
// command tests do — under a time limit and a cap on its address space,
// and must end without a panic, a Go runtime failure or a hang.
//
// A package's TestMain lets its test binary stand in for the command with
//
//	if os.Getenv(hostiletest.AsCommand) == "1" {
//		main()
//	}
//
// The cases need a Unix shell (ulimit) and resource usage.
package hostiletest

// AsCommand is the environment variable that makes a test binary run its
// command's main with its own arguments.
const AsCommand = "SPIKEGRAD_AS_COMMAND"
