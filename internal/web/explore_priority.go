package web

import "runtime"

// lowPriority runs f on an operating-system thread of its own whose
// scheduling priority is lowered where the system allows it (see
// lowerThreadPriority), so a what-if simulation gives way to the requests
// for cached pages that share the processors. The thread is never handed
// back to the Go scheduler: it ends with f. A panic in f is raised again
// in the caller, as if f had run there.
func lowPriority[T any](f func() (T, error)) (T, error) {
	type result struct {
		v     T
		err   error
		panic any
	}
	done := make(chan result, 1)
	go func() {
		runtime.LockOSThread() // never unlocked: the lowered thread exits with this goroutine
		lowerThreadPriority()
		var r result
		defer func() {
			r.panic = recover()
			done <- r
		}()
		r.v, r.err = f()
	}()
	r := <-done
	if r.panic != nil {
		panic(r.panic)
	}
	return r.v, r.err
}
