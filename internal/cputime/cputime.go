// Package cputime reads the processor time the process has used, for
// benchmarks on a shared machine: unlike the wall time, it does not count
// the time other programs held the processors, so it approximates the
// wall time of the same work on an idle machine.
package cputime

import (
	"syscall"
	"time"
)

// Process returns the user and system time the process has used so far,
// or 0 where the system does not report it.
func Process() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// Report adds the processor time used since start, per iteration, to a
// benchmark's results as cpu-ms/op.
func Report(b interface {
	ReportMetric(float64, string)
}, start time.Duration, n int) {
	if n > 0 {
		b.ReportMetric(float64(Process()-start)/float64(n)/1e6, "cpu-ms/op")
	}
}
