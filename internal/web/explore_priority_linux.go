package web

import "syscall"

// simulationNice is the niceness of a simulation's thread: on Linux a
// thread's priority is its own, so only the simulation gives way.
const simulationNice = 10

// lowerThreadPriority lowers the priority of the calling thread. Failing
// to is harmless: the simulation then runs at the normal priority.
func lowerThreadPriority() {
	_ = syscall.Setpriority(syscall.PRIO_PROCESS, syscall.Gettid(), simulationNice)
}
