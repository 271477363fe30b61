package scan

import (
	"runtime"
	"sync"
)

// parseAll parses the files on all CPUs; the result is in input order.
func parseAll(dir string, files []string) []parsedFile {
	out := make([]parsedFile, len(files))
	workers := min(runtime.GOMAXPROCS(0), len(files))
	var wg sync.WaitGroup
	next := make(chan int)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				out[i] = parseOne(dir, files[i])
			}
		}()
	}
	for i := range files {
		next <- i
	}
	close(next)
	wg.Wait()
	return out
}
